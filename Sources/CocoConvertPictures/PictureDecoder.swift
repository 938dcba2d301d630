import CocoConvertCore
import CocoConvertPNG
import Foundation

/// Turns a sample's ``ImageSource`` into RGB pixels: JPEG through libjpeg-turbo, PNG through libpng.
public enum PictureDecoder {
    /// The picture of `source`; nil for ``ImageSource/none``. Throws ``ConversionError`` naming the
    /// file when it cannot be read or decoded.
    public static func decode(_ source: ImageSource, limits: Limits = .standard) throws -> RGBImage? {
        switch source {
        case .none:
            return nil
        case .bytes(let bytes):
            return try decode(bytes: bytes, file: nil, limits: limits)
        case .file(let path):
            guard let data = FileManager.default.contents(atPath: path) else {
                throw ConversionError(.missingFile, "image file cannot be read", context: ErrorContext(file: path),
                                      hint: "check the path (--images DIR tells COCO readers where the images are)")
            }
            return try decode(bytes: [UInt8](data), file: path, limits: limits)
        }
    }

    /// Decodes JPEG or PNG bytes (by signature).
    public static func decode(bytes: [UInt8], file: String?, limits: Limits = .standard) throws -> RGBImage {
        if JPEGDecoder.looksLikeJPEG(bytes) { return try JPEGDecoder.decode(bytes, limits: limits, file: file) }
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]) { return try rgb(PNGDecoder.decode(bytes, limits: limits, file: file)) }
        throw ConversionError(.unsupported, "image is neither JPEG nor PNG", context: ErrorContext(file: file),
                              hint: "preview and overlays decode JPEG and PNG pictures")
    }

    /// A decoded PNG as RGB (gray spread to three channels, palette looked up, alpha dropped, 16 bits cut to 8).
    static func rgb(_ png: DecodedPNG) -> RGBImage {
        let n = png.width * png.height, channels = png.channels
        let shift: UInt16 = png.bitDepth == 16 ? 8 : 0
        var out = [UInt8](repeating: 0, count: n * 3)
        let palette = png.palette ?? []
        for i in 0..<n {
            let base = i * channels
            switch png.colorType {
            case .gray, .grayAlpha:
                let v = UInt8(truncatingIfNeeded: png.samples[base] >> shift)
                out[i * 3] = v; out[i * 3 + 1] = v; out[i * 3 + 2] = v
            case .rgb, .rgba:
                out[i * 3] = UInt8(truncatingIfNeeded: png.samples[base] >> shift)
                out[i * 3 + 1] = UInt8(truncatingIfNeeded: png.samples[base + 1] >> shift)
                out[i * 3 + 2] = UInt8(truncatingIfNeeded: png.samples[base + 2] >> shift)
            case .palette:
                let index = Int(png.samples[base])
                let c = index < palette.count ? palette[index] : RGB(0, 0, 0)
                out[i * 3] = c.r; out[i * 3 + 1] = c.g; out[i * 3 + 2] = c.b
            }
        }
        return RGBImage(width: png.width, height: png.height, pixels: out)
    }
}
