import CocoConvertCore

extension FormatPlugin {
    /// Placeholder until the PNG reader and writer land.
    static let png = FormatPlugin(id: .png, summary: "PNG", reads: nil, writes: nil, makeReader: nil, makeWriter: nil)
}
