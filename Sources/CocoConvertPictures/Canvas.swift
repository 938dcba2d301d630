import CocoConvertCore

/// Drawing on an ``RGBImage``: rectangles, blended colour, text in ``BitmapFont``, scaled pictures.
/// Everything is clipped to the image.
public struct Canvas {
    public var image: RGBImage

    public init(width: Int, height: Int, color: RGB) {
        image = RGBImage(width: width, height: height, color: color)
    }

    public var width: Int { image.width }
    public var height: Int { image.height }

    /// Sets one pixel.
    @inline(__always)
    public mutating func set(_ x: Int, _ y: Int, _ c: RGB) {
        guard x >= 0, y >= 0, x < image.width, y < image.height else { return }
        let i = (y * image.width + x) * 3
        image.pixels[i] = c.r
        image.pixels[i + 1] = c.g
        image.pixels[i + 2] = c.b
    }

    /// Mixes `c` into one pixel: `alpha` of `c`, the rest of what is there.
    @inline(__always)
    public mutating func blend(_ x: Int, _ y: Int, _ c: RGB, alpha: Double) {
        guard x >= 0, y >= 0, x < image.width, y < image.height else { return }
        let i = (y * image.width + x) * 3
        func mix(_ old: UInt8, _ new: UInt8) -> UInt8 { UInt8((Double(old) * (1 - alpha) + Double(new) * alpha).rounded()) }
        image.pixels[i] = mix(image.pixels[i], c.r)
        image.pixels[i + 1] = mix(image.pixels[i + 1], c.g)
        image.pixels[i + 2] = mix(image.pixels[i + 2], c.b)
    }

    /// Fills the rectangle `x..<x+w`, `y..<y+h`.
    public mutating func fill(x: Int, y: Int, width w: Int, height h: Int, _ c: RGB) {
        for yy in max(0, y)..<max(max(0, y), min(image.height, y + h)) {
            for xx in max(0, x)..<max(max(0, x), min(image.width, x + w)) { set(xx, yy, c) }
        }
    }

    /// A one-pixel (or `thickness`) rectangle outline.
    public mutating func frame(x: Int, y: Int, width w: Int, height h: Int, _ c: RGB, thickness: Int = 1) {
        fill(x: x, y: y, width: w, height: thickness, c)
        fill(x: x, y: y + h - thickness, width: w, height: thickness, c)
        fill(x: x, y: y, width: thickness, height: h, c)
        fill(x: x + w - thickness, y: y, width: thickness, height: h, c)
    }

    /// Text with its top-left corner at (x, y), each font cell `scale` pixels.
    public mutating func text(_ text: String, x: Int, y: Int, _ c: RGB, scale: Int = 1) {
        var left = x
        for character in text {
            let rows = BitmapFont.rows(of: character)
            for (row, bits) in rows.enumerated() where bits != 0 {
                for column in 0..<BitmapFont.glyphWidth where (bits >> UInt8(BitmapFont.glyphWidth - 1 - column)) & 1 == 1 {
                    fill(x: left + column * scale, y: y + row * scale, width: scale, height: scale, c)
                }
            }
            left += BitmapFont.advance * scale
        }
    }

    /// Text on a filled label background (padding 1 px), as on boxes.
    public mutating func label(_ text: String, x: Int, y: Int, ink: RGB, paper: RGB, scale: Int = 1) {
        let w = BitmapFont.width(of: text, scale: scale) + 2, h = BitmapFont.glyphHeight * scale + 2
        fill(x: x, y: y, width: w, height: h, paper)
        self.text(text, x: x + 1, y: y + 1, ink, scale: scale)
    }

    /// Draws `picture` scaled to `w × h` (nearest neighbour) with its top-left at (x, y).
    public mutating func draw(_ picture: RGBImage, x: Int, y: Int, width w: Int, height h: Int) {
        guard picture.width > 0, picture.height > 0, w > 0, h > 0 else { return }
        for ty in 0..<h {
            let sy = min(picture.height - 1, ty * picture.height / h)
            for tx in 0..<w {
                let sx = min(picture.width - 1, tx * picture.width / w)
                let i = (sy * picture.width + sx) * 3
                set(x + tx, y + ty, RGB(picture.pixels[i], picture.pixels[i + 1], picture.pixels[i + 2]))
            }
        }
    }

    /// A straight line (Bresenham), for marking bad tiles.
    public mutating func line(from a: (Int, Int), to b: (Int, Int), _ c: RGB) {
        var (x0, y0) = a
        let (x1, y1) = b
        let dx = abs(x1 - x0), dy = -abs(y1 - y0), sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1
        var err = dx + dy
        while true {
            set(x0, y0, c)
            if x0 == x1 && y0 == y1 { break }
            let e2 = 2 * err
            if e2 >= dy { err += dy; x0 += sx }
            if e2 <= dx { err += dx; y0 += sy }
        }
    }
}
