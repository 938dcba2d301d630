import CocoConvertCore
import CocoConvertPNG

/// An 8-bit RGB picture, row-major, three bytes a pixel.
public struct RGBImage: Sendable, Hashable {
    public let width: Int
    public let height: Int
    public var pixels: [UInt8]

    /// A picture filled with `color`.
    public init(width: Int, height: Int, color: RGB = RGB(0, 0, 0)) {
        self.width = width
        self.height = height
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        if color != RGB(0, 0, 0) {
            for i in stride(from: 0, to: pixels.count, by: 3) {
                pixels[i] = color.r
                pixels[i + 1] = color.g
                pixels[i + 2] = color.b
            }
        }
        self.pixels = pixels
    }

    /// A picture over existing bytes. - Precondition: `pixels.count == width * height * 3`.
    public init(width: Int, height: Int, pixels: [UInt8]) {
        precondition(pixels.count == width * height * 3, "RGBImage: byte count does not match size")
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// The colour at (x, y); black outside.
    public subscript(x: Int, y: Int) -> RGB {
        guard x >= 0, y >= 0, x < width, y < height else { return RGB(0, 0, 0) }
        let i = (y * width + x) * 3
        return RGB(pixels[i], pixels[i + 1], pixels[i + 2])
    }
}

extension RGBImage {
    /// Compression for pictures (photographs under masks): zlib level 9 with adaptive row filters;
    /// label-map settings would make these files several times larger.
    public static let pictureCompression = PNGCompression(level: 9, strategy: .default, filters: .all)

    /// The picture as an RGB PNG.
    public func pngBytes() throws -> [UInt8] {
        try PNGEncoder.encodeRGB8(width: width, height: height, pixels: pixels, compression: Self.pictureCompression)
    }
}
