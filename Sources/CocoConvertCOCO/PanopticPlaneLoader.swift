import CocoConvertCore
import CocoConvertPNG

/// Reads a panoptic segment PNG into a plane of segment ids (`R + 256·G + 256²·B`; 0 is void).
enum PanopticPlaneLoader {
    /// Loads `path`, which must be an 8-bit RGB (or RGBA, alpha ignored) PNG of the given size.
    static func load(path: String, width: Int, height: Int, limits: Limits) throws -> LabelPlane {
        let png = try PNGDecoder.decode(file: path, limits: limits)
        let context = ErrorContext(file: path, field: "file_name")
        guard png.colorType == .rgb || png.colorType == .rgba, png.bitDepth == 8 else {
            throw ConversionError(.invalidValue, "a panoptic segment PNG must be 8-bit RGB, this one is \(png.colorType) at \(png.fileBitDepth) bits",
                                  context: context, hint: "segment ids are R + 256·G + 256²·B of an RGB PNG (panopticapi)")
        }
        guard png.width == width, png.height == height else {
            throw ConversionError(.sizeMismatch, "the segment PNG is \(png.width)×\(png.height) but the image is \(width)×\(height)",
                                  context: context)
        }
        let channels = png.channels
        let count = width * height
        var ids = [UInt32](repeating: 0, count: count)
        ids.withUnsafeMutableBufferPointer { out in
            png.samples.withUnsafeBufferPointer { samples in
                for k in 0..<count {
                    let s = k * channels
                    out[k] = UInt32(samples[s]) | UInt32(samples[s + 1]) << 8 | UInt32(samples[s + 2]) << 16
                }
            }
        }
        return LabelPlane(width: width, height: height, pixels: ids)
    }
}
