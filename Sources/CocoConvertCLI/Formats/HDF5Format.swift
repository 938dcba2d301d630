import CocoConvertCore

extension FormatPlugin {
    /// Placeholder until the HDF5 reader and writer land.
    static let hdf5 = FormatPlugin(id: .hdf5, summary: "HDF5", reads: nil, writes: nil, makeReader: nil, makeWriter: nil)
}
