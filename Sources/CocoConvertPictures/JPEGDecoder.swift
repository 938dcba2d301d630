import CJPEGShim
import CocoConvertCore

/// Decodes JPEG pictures through libjpeg-turbo (see CJPEGShim).
public enum JPEGDecoder {
    /// Whether `bytes` start like a JPEG (SOI marker).
    public static func looksLikeJPEG(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 3 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF
    }

    /// The decoded picture; throws ``ConversionError`` (`.malformedInput`) for damaged or truncated
    /// data and (`.limitExceeded`) for pictures beyond `limits`.
    public static func decode(_ bytes: [UInt8], limits: Limits = .standard, file: String? = nil) throws -> RGBImage {
        var message = [CChar](repeating: 0, count: 256)
        var width: Int32 = 0, height: Int32 = 0
        let context = ErrorContext(file: file)
        let sized = bytes.withUnsafeBufferPointer { data in
            ccjpeg_size(data.baseAddress, data.count, &width, &height, &message, message.count)
        }
        guard sized == 0 else {
            throw ConversionError(.malformedInput, "not a readable JPEG: \(text(message))", context: context,
                                  hint: "the image file is damaged or not a JPEG")
        }
        guard width > 0, height > 0 else {
            throw ConversionError(.malformedInput, "JPEG declares no size (\(width)×\(height)); the file ends before its frame header",
                                  context: context, hint: "the file is truncated or damaged; copy it again from its source")
        }
        let pixels = Int(width) * Int(height)
        guard pixels <= limits.maxPixels else {
            throw ConversionError(.limitExceeded, "JPEG is \(width)×\(height), beyond the \(limits.maxPixels)-pixel limit",
                                  context: context, hint: "raise --max-pixels if the picture is genuine")
        }
        var rgb = [UInt8](repeating: 0, count: pixels * 3)
        let status = bytes.withUnsafeBufferPointer { data in
            rgb.withUnsafeMutableBufferPointer { out in
                ccjpeg_decode_rgb(data.baseAddress, data.count, out.baseAddress, width, height, &message, message.count)
            }
        }
        guard status == 0 else {
            throw ConversionError(.malformedInput, "JPEG could not be decoded: \(text(message))", context: context,
                                  hint: "the file is truncated or damaged; copy it again from its source")
        }
        return RGBImage(width: Int(width), height: Int(height), pixels: rgb)
    }

    private static func text(_ message: [CChar]) -> String {
        let bytes = message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }
}
