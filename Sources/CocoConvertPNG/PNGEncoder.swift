import CocoConvertCore

/// Encodes label maps and small images as PNG, in memory.
///
/// Thread-safe: every call owns its libpng and encoder state. Output is deterministic for given inputs.
public enum PNGEncoder {
    /// Encodes a label map.
    ///
    /// - 8-bit palette PNG when `palette` is given and `labelMap.maxValue <= 255` (the PLTE chunk
    ///   holds `maxValue + 1` entries of `palette`, padded with black if the palette is shorter);
    /// - 8-bit gray when there is no palette and `maxValue <= 255`;
    /// - 16-bit gray when `maxValue > 255`, palette or not (PNG palettes have at most 256 entries).
    ///
    /// Compressed with `compression`: by default cococonvert's label-map deflate encoder
    /// (``PNGCompression/labelMap``), libpng writing the container.
    ///
    /// Throws ``ConversionError`` (`.invalidValue`) for an empty map or a pixel above 255 while
    /// `maxValue` says otherwise, and (`.library`) when libpng fails.
    public static func encode(labelMap: LabelMap, palette: [RGB]?,
                              compression: PNGCompression = .labelMapDefault) throws -> [UInt8] {
        try checkSize(width: labelMap.width, height: labelMap.height)
        let sixteen = labelMap.maxValue > 255
        var pngPalette: [RGB]?
        if let palette, !sixteen {
            let count = Int(labelMap.maxValue) + 1
            var entries = Array(palette.prefix(count))
            if entries.count < count {
                entries += [RGB](repeating: RGB(0, 0, 0), count: count - entries.count)
            }
            pngPalette = entries
        }
        let request = LibPNG.EncodeRequest(width: labelMap.width, height: labelMap.height,
                                           bitDepth: sixteen ? 16 : 8,
                                           colorType: pngPalette == nil ? .gray : .palette,
                                           palette: pngPalette, compression: compression)
        guard labelMap.pixels.count == labelMap.width * labelMap.height else {
            throw ConversionError(.invalidValue, "label map: \(labelMap.pixels.count) pixels given, \(labelMap.width)×\(labelMap.height) expected",
                                  hint: "the pixel buffer does not match width × height")
        }
        switch compression.engine {
        case .zlib:
            return try labelMap.pixels.withUnsafeBufferPointer { try LibPNG.encode(request, samples: $0) }
        case .labelMap:
            let scanlines = try labelMap.pixels.withUnsafeBufferPointer {
                try FilteredScanlines(samples: $0, width: labelMap.width, height: labelMap.height, sixteenBit: sixteen)
            }
            return try LibPNG.writeContainer(request, zlibStream: scanlines.zlibStream())
        }
    }

    /// Encodes an 8-bit gray image (`pixels` row-major, `width × height` bytes), e.g. a 0/1 instance mask.
    public static func encodeGray8(width: Int, height: Int, pixels: [UInt8],
                                   compression: PNGCompression = .labelMapDefault) throws -> [UInt8] {
        try checkSize(width: width, height: height)
        try checkCount(pixels.count, width * height, what: "gray")
        let request = LibPNG.EncodeRequest(width: width, height: height, bitDepth: 8, colorType: .gray,
                                           palette: nil, compression: compression)
        return try encode8(request, pixels: pixels, channels: 1)
    }

    /// Encodes an 8-bit RGB image (`pixels` row-major, `r, g, b` per pixel), e.g. a panoptic id PNG.
    public static func encodeRGB8(width: Int, height: Int, pixels: [UInt8],
                                  compression: PNGCompression = .rgbDefault) throws -> [UInt8] {
        try checkSize(width: width, height: height)
        try checkCount(pixels.count, width * height * 3, what: "RGB")
        let request = LibPNG.EncodeRequest(width: width, height: height, bitDepth: 8, colorType: .rgb,
                                           palette: nil, compression: compression)
        return try encode8(request, pixels: pixels, channels: 3)
    }

    /// 8-bit samples through the engine `request.compression` names.
    private static func encode8(_ request: LibPNG.EncodeRequest, pixels: [UInt8], channels: Int) throws -> [UInt8] {
        switch request.compression.engine {
        case .zlib:
            return try pixels.withUnsafeBufferPointer { try LibPNG.encode(request, samples: $0) }
        case .labelMap:
            let scanlines = try pixels.withUnsafeBufferPointer {
                try FilteredScanlines(bytes: $0, width: request.width, height: request.height, channels: channels)
            }
            return try LibPNG.writeContainer(request, zlibStream: scanlines.zlibStream())
        }
    }

    private static func checkSize(width: Int, height: Int) throws {
        guard width > 0, height > 0, width <= Int(Int32.max), height <= Int(Int32.max) else {
            throw ConversionError(.invalidValue, "cannot write a \(width)×\(height) PNG",
                                  hint: "PNG images must be at least 1×1 pixels; check the image's width and height")
        }
    }

    private static func checkCount(_ count: Int, _ expected: Int, what: String) throws {
        guard count == expected else {
            throw ConversionError(.invalidValue, "\(what) PNG: \(count) samples given, \(expected) expected",
                                  hint: "the pixel buffer does not match width × height")
        }
    }
}

extension PNGCompression {
    /// Default for RGB images (panoptic ids): the Sub filter turns runs of one colour into zero
    /// bytes, which zlib's run-length strategy then compresses.
    public static let rgbDefault = PNGCompression(level: 6, strategy: .rle, filters: .sub)
}
