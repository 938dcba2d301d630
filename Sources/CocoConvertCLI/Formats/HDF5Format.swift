import CocoConvertCore
import CocoConvertHDF5

extension FormatPlugin {
    /// HDF5 tensor shards in cococonvert's versioned layout (formats/hdf5.md).
    static let hdf5 = FormatPlugin(
        id: .hdf5,
        summary: "HDF5 tensor shards: labels (N,H,W) uint8/uint16, instances table, optional image bytes",
        reads: "a directory of <split>-NNNNN-of-MMMMM.h5 shards written by cococonvert, or one shard",
        writes: "OUT/<split>-00000-of-000NN.h5, --shard samples per file",
        makeReader: { input, options, skips in
            try HDF5ShardReader(path: input, split: options.split, skips: skips)
        },
        // The writer needs the label painter (CocoConvertCore/Paint) and LabelOptions; wired when they land.
        makeWriter: nil)
}
