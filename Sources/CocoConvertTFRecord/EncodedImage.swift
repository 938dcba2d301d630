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
    /// - Throws: `ConversionError` (`io`) naming the path when the file is missing or unreadable, or
    ///   when the sample has no image at all.
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
                let missing = !FileManager.default.fileExists(atPath: path)
                throw ConversionError(.io, missing ? "image file not found" : "cannot read the image file: \(error.localizedDescription)",
                                      context: context.merged(with: ErrorContext(file: path)),
                                      hint: missing ? "pass --images DIR with the directory holding the images, or --on-error skip to leave such samples out"
                                          : "check the file's permissions")
            }
            let bytes = [UInt8](data)
            return EncodedImage(bytes: bytes, format: format(of: bytes, fileName: path))
        case .none:
            throw ConversionError(.io, "the sample has no image ('\(sample.fileName)' was not found)",
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
