import CocoConvertCore

extension FormatPlugin {
    /// Placeholder until the TFRecord reader and writer land.
    static let tfrecord = FormatPlugin(id: .tfrecord, summary: "TFRecord", reads: nil, writes: nil, makeReader: nil, makeWriter: nil)
}
