import CocoConvertCore
import Foundation

/// A sample's image as the bytes that go into `image/encoded`, never decoded or re-encoded.
public struct EncodedImage: Sendable, Hashable {
    public var bytes: [UInt8]
    /// `image/format`: `jpeg`, `png`, `gif`, `bmp`, or the file extension when the bytes are unrecognised.
    public var format: String

    public init(bytes: [UInt8], format: String) {
        self.bytes = bytes
        self.format = format
    }

    /// The image of `sample`: its file read from disk, or its in-memory bytes.
    ///
    /// - Throws: `ConversionError` naming the path: `invalidValue` (a sample problem, skippable) when
    ///   the file does not exist or the sample has no image at all, `io` when it cannot be read.
    public static func load(_ sample: Sample) throws -> EncodedImage {
        let context = ErrorContext(imageID: sample.id)
        switch sample.image {
        case .bytes(let bytes):
            return EncodedImage(bytes: bytes, format: format(of: bytes, fileName: sample.fileName))
        case .file(let path):
            let data: Data
            do {
                data = try Data(contentsOf: URL(fileURLWithPath: path), options: .mappedIfSafe)
            } catch {
                // A missing file is a problem of this sample (its file_name points nowhere), which
                // --on-error skip may leave out; any other read failure is an I/O failure that stops the run.
                if !FileManager.default.fileExists(atPath: path) {
                    throw ConversionError(.missingFile, "image file not found",
                                          context: context.merged(with: ErrorContext(file: path, field: "file_name")),
                                          hint: "pass --images DIR with the directory holding the images, or --on-error skip to leave such samples out")
                }
                throw ConversionError(.io, "cannot read the image file: \(error.localizedDescription)",
                                      context: context.merged(with: ErrorContext(file: path)),
                                      hint: "check the file's permissions")
            }
            let bytes = [UInt8](data)
            return EncodedImage(bytes: bytes, format: format(of: bytes, fileName: path))
        case .none:
            throw ConversionError(.missingFile, "the sample has no image ('\(sample.fileName)' was not found)",
                                  context: context,
                                  hint: "TFRecord embeds the image bytes: pass --images DIR with the directory holding the images")
        }
    }

    /// The `image/format` value for `bytes`: from the magic number, else from the file extension.
    public static func format(of bytes: [UInt8], fileName: String) -> String {
        if bytes.count >= 3, bytes[0] == 0xFF, bytes[1] == 0xD8, bytes[2] == 0xFF { return "jpeg" }
        if bytes.count >= 8, bytes[0..<8].elementsEqual([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return "png" }
        if bytes.count >= 4, bytes[0..<4].elementsEqual(Array("GIF8".utf8)) { return "gif" }
        if bytes.count >= 2, bytes[0] == 0x42, bytes[1] == 0x4D { return "bmp" }
        let ext = URL(fileURLWithPath: fileName).pathExtension.lowercased()
        switch ext {
        case "jpg", "jpeg", "jpe": return "jpeg"
        case "": return "jpeg"
        default: return ext
        }
    }

    /// The file extension for an `image/format` value (`jpeg` → `jpg`).
    public static func fileExtension(forFormat format: String) -> String {
        switch format.lowercased() {
        case "jpeg", "jpg", "": "jpg"
        default: format.lowercased()
        }
    }
}
