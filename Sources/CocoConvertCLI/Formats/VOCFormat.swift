import CocoConvertCore

extension FormatPlugin {
    /// Placeholder until the VOC reader and writer land.
    static let voc = FormatPlugin(id: .voc, summary: "VOC", reads: nil, writes: nil, makeReader: nil, makeWriter: nil)
}
