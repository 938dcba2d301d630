import CocoConvertCore
import CocoConvertPNG

/// Turns a decoded VOC mask PNG into one label value per pixel.
///
/// Palette PNGs give their indices, grayscale PNGs their values (8 or 16 bit), gray+alpha the gray
/// channel. RGB(A) PNGs (CVAT's "Segmentation mask" export, Datumaro with `--apply-colormap`) are
/// decoded through `colors`: first the given colour table (labelmap.txt), then the VOC colormap
/// (which covers 0 = black and 255 = void). Values in `void` (a labelmap.txt `ignored` line that is
/// not at index 255) read as 255 whatever the PNG type.
struct VOCLabelImage {
    let width: Int
    let height: Int
    /// Row-major label values.
    let values: [UInt32]

    init(_ png: DecodedPNG, colors: [RGB], void: Set<UInt32> = [], file: String) throws {
        width = png.width
        height = png.height
        let count = png.width * png.height
        let channels = png.channels
        guard png.samples.count == count * channels else {
            throw ConversionError(.malformedInput, "PNG sample count does not match its size", context: ErrorContext(file: file))
        }
        switch png.colorType {
        case .gray, .palette, .grayAlpha:
            values = png.samples.withUnsafeBufferPointer { samples in
                [UInt32](unsafeUninitializedCapacity: count) { out, initialized in
                    if void.isEmpty {
                        for i in 0..<count { out[i] = UInt32(samples[i &* channels]) }
                    } else {
                        for i in 0..<count {
                            let v = UInt32(samples[i &* channels])
                            out[i] = void.contains(v) ? 255 : v
                        }
                    }
                    initialized = count
                }
            }
        case .rgb, .rgba:
            guard png.bitDepth == 8 else {
                throw ConversionError(.unsupported, "16-bit RGB masks are not supported", context: ErrorContext(file: file),
                                      hint: "save the mask as an 8-bit palette, grayscale or RGB PNG")
            }
            var lookup: [UInt32: UInt32] = [:]
            for (index, c) in Palette.voc.enumerated() { lookup[Self.key(c)] = UInt32(index) }
            for (index, c) in colors.enumerated() { lookup[Self.key(c)] = void.contains(UInt32(index)) ? 255 : UInt32(index) }
            var unknown: (x: Int, y: Int, color: UInt32)?
            values = png.samples.withUnsafeBufferPointer { samples in
                [UInt32](unsafeUninitializedCapacity: count) { out, initialized in
                    var lastKey: UInt32 = .max
                    var lastValue: UInt32 = 0
                    for i in 0..<count {
                        let s = i &* channels
                        let r = UInt32(samples[s]), g = UInt32(samples[s &+ 1]), b = UInt32(samples[s &+ 2])
                        let key: UInt32 = r << 16 | g << 8 | b
                        if key != lastKey {
                            guard let v = lookup[key] else {
                                unknown = (i % png.width, i / png.width, key)
                                out[i] = 0
                                continue
                            }
                            lastKey = key
                            lastValue = v
                        }
                        out[i] = lastValue
                    }
                    initialized = count
                }
            }
            if let unknown {
                let c = unknown.color
                throw ConversionError(.invalidValue,
                                      "colour (\(c >> 16), \(c >> 8 & 0xFF), \(c & 0xFF)) at x=\(unknown.x), y=\(unknown.y) is neither in labelmap.txt nor in the VOC colormap",
                                      context: ErrorContext(file: file),
                                      hint: "add the class and its colour to labelmap.txt (name:r,g,b::)")
            }
        }
    }

    /// `r << 16 | g << 8 | b`.
    static func key(_ c: RGB) -> UInt32 { UInt32(c.r) << 16 | UInt32(c.g) << 8 | UInt32(c.b) }
}
