import CocoConvertCore

/// The formats cococonvert knows by name.
public enum FormatID: String, CaseIterable, Sendable {
    case coco, png, voc, hdf5, tfrecord
}

/// What the command line needs from a format: its name, what it reads and writes, and factories.
///
/// Each format fills one of these in `Formats/<Name>Format.swift`; ``FormatPlugin/all`` lists them.
struct FormatPlugin: Sendable {
    typealias ReaderFactory = @Sendable (_ input: String, _ options: ConvertOptions, _ skips: SkipReport) throws -> any DatasetReader
    typealias WriterFactory = @Sendable (_ output: String, _ options: ConvertOptions, _ skips: SkipReport) throws -> any DatasetWriter

    let id: FormatID
    /// One line for `cococonvert formats`.
    let summary: String
    /// What the reader accepts (nil: this format cannot be read yet).
    let reads: String?
    /// What the writer produces (nil: this format cannot be written yet).
    let writes: String?
    let makeReader: ReaderFactory?
    let makeWriter: WriterFactory?

    /// Every format, in the order `cococonvert formats` lists them.
    static var all: [FormatPlugin] { [.coco, .png, .voc, .hdf5, .tfrecord] }

    static func named(_ id: FormatID) -> FormatPlugin {
        all.first { $0.id == id } ?? .coco
    }
}
