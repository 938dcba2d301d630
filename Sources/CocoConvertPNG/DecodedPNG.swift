import CocoConvertCore

/// A decoded PNG: its samples as 16-bit values whatever the file's depth.
///
/// Palette images keep their indices (the palette is in ``palette``); gray images below 8 bits are
/// scaled to 8 bits as libpng's `expand_gray_1_2_4_to_8` does; nothing else is transformed
/// (a `tRNS` chunk is ignored, alpha stays a channel, 16-bit samples are in host order).
public struct DecodedPNG: Sendable, Hashable {
    public var width: Int
    public var height: Int
    /// Bit depth of ``samples``: 8 (values 0...255) or 16.
    public var bitDepth: Int
    /// The bit depth stored in the file (1, 2, 4, 8 or 16).
    public var fileBitDepth: Int
    public var colorType: PNGColorType
    /// The PLTE chunk, if the file has one (palette images always do).
    public var palette: [RGB]?
    /// Row-major samples, channels interleaved: `samples[(y * width + x) * channels + c]`.
    public var samples: [UInt16]

    public init(width: Int, height: Int, bitDepth: Int, fileBitDepth: Int, colorType: PNGColorType,
                palette: [RGB]?, samples: [UInt16]) {
        self.width = width
        self.height = height
        self.bitDepth = bitDepth
        self.fileBitDepth = fileBitDepth
        self.colorType = colorType
        self.palette = palette
        self.samples = samples
    }

    /// Samples per pixel.
    public var channels: Int { colorType.channels }
}
