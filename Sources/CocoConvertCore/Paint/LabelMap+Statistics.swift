/// Pixel count and bounding box of one value of a ``LabelMap``.
public struct LabelValueStatistics: Sendable, Hashable {
    public var value: UInt16
    public var pixelCount: Int
    /// `[x, y, w, h]` in pixel-edge coordinates (a single pixel at (3, 4) is `[3, 4, 1, 1]`).
    public var bbox: BoundingBox

    public init(value: UInt16, pixelCount: Int, bbox: BoundingBox) {
        self.value = value
        self.pixelCount = pixelCount
        self.bbox = bbox
    }
}

extension LabelMap {
    /// Pixel count and box of every value present, ordered by value, in one pass over the map.
    public func valueStatistics() -> [LabelValueStatistics] {
        let size = Int(computeMaxValue()) + 1
        var count = [Int](repeating: 0, count: size)
        var minX = [Int](repeating: Int.max, count: size)
        var maxX = [Int](repeating: -1, count: size)
        var minY = [Int](repeating: Int.max, count: size)
        var maxY = [Int](repeating: -1, count: size)
        let w = width
        pixels.withUnsafeBufferPointer { px in
            for y in 0..<height {
                let row = y &* w
                var x = 0
                while x < w {
                    let v = px[row &+ x]
                    var end = x &+ 1
                    while end < w && px[row &+ end] == v { end &+= 1 }
                    let i = Int(v)
                    count[i] &+= end &- x
                    if x < minX[i] { minX[i] = x }
                    if end &- 1 > maxX[i] { maxX[i] = end &- 1 }
                    if y < minY[i] { minY[i] = y }
                    maxY[i] = y
                    x = end
                }
            }
        }
        var out: [LabelValueStatistics] = []
        for i in 0..<size where count[i] > 0 {
            out.append(LabelValueStatistics(
                value: UInt16(i), pixelCount: count[i],
                bbox: BoundingBox(x: Double(minX[i]), y: Double(minY[i]),
                                  width: Double(maxX[i] - minX[i] + 1), height: Double(maxY[i] - minY[i] + 1))))
        }
        return out
    }
}
