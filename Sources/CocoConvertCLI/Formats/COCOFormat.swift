import CocoConvertCore

extension FormatPlugin {
    /// Placeholder until the COCO reader and writer land.
    static let coco = FormatPlugin(id: .coco, summary: "COCO", reads: nil, writes: nil, makeReader: nil, makeWriter: nil)
}
