import CocoConvertCore

/// A VOC `bndbox`: 1-based, inclusive pixel indices (`xmin = 1` is the first column).
///
/// Conversion from a COCO box `[x, y, w, h]` (pixel-edge coordinates, pixel `i` spans `[i, i+1)`):
/// `xmin`/`xmax` are the 1-based indices of the first and last pixel column whose centre
/// `i + 0.5` lies inside `[x, x + w]`, i.e. `xmin = ⌈x − ½⌉ + 1`, `xmax = ⌊x + w − ½⌋ + 1`
/// (rows likewise), clamped to the image and with `xmax ≥ xmin`. For integer boxes (every mask
/// box) that is simply `xmin = x + 1`, `xmax = x + w`, and ``boundingBox`` inverts it exactly:
/// `x = xmin − 1`, `w = xmax − xmin + 1`.
public struct VOCBox: Hashable, Sendable {
    public var xmin: Double
    public var ymin: Double
    public var xmax: Double
    public var ymax: Double

    public init(xmin: Double, ymin: Double, xmax: Double, ymax: Double) {
        self.xmin = xmin
        self.ymin = ymin
        self.xmax = xmax
        self.ymax = ymax
    }

    /// The VOC box of the pixels whose centres lie in `box`, within a `width × height` image.
    /// Non-finite coordinates give the whole image.
    public init(_ box: BoundingBox, width: Int, height: Int) {
        func span(_ start: Double, _ length: Double, _ limit: Int) -> (Double, Double) {
            let upper = Double(max(limit, 1))
            guard start.isFinite, length.isFinite else { return (1, upper) }
            let first = min(max((start - 0.5).rounded(.up) + 1, 1), upper)
            let last = min(max((start + length - 0.5).rounded(.down) + 1, first), upper)
            return (first, last)
        }
        let (x0, x1) = span(box.x, box.width, width)
        let (y0, y1) = span(box.y, box.height, height)
        self.init(xmin: x0, ymin: y0, xmax: x1, ymax: y1)
    }

    /// The COCO box `[xmin − 1, ymin − 1, xmax − xmin + 1, ymax − ymin + 1]`.
    public var boundingBox: BoundingBox {
        BoundingBox(x: xmin - 1, y: ymin - 1, width: xmax - xmin + 1, height: ymax - ymin + 1)
    }
}
