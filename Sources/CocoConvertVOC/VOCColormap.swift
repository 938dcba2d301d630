import CocoConvertCore

/// The Pascal VOC class colormap (devkit `VOClabelcolormap`): the palette VOC label PNGs carry.
///
/// Colour of index `c`: the bits of `c` are dealt out three at a time, bit 0 to red, bit 1 to green,
/// bit 2 to blue, filling each channel from its most significant bit downwards. Index 0 is black,
/// 1 is (128, 0, 0), 15 is (192, 128, 128), 255 (void) is (224, 224, 192).
public enum VOCColormap {
    /// The colour of index `index` (0...255).
    public static func color(_ index: UInt8) -> RGB {
        var c = index
        var r: UInt8 = 0, g: UInt8 = 0, b: UInt8 = 0
        for j in 0..<8 {
            let shift = UInt8(7 - j)
            r |= (c & 1) << shift
            g |= ((c >> 1) & 1) << shift
            b |= ((c >> 2) & 1) << shift
            c >>= 3
        }
        return RGB(r, g, b)
    }

    /// All 256 colours, index order.
    public static let palette: [RGB] = (0...255).map { color(UInt8($0)) }
}
