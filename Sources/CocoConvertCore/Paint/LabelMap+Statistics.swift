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
        var tally = ValueTally(capacity: Int(maxValue) + 1)
        let w = width
        pixels.withUnsafeBufferPointer { px in
            guard let base = px.baseAddress else { return }
            for y in 0..<height {
                let row = base + y &* w
                var x = 0
                while x < w {
                    let v = row[x]
                    let end = LabelRun.end(in: row, from: x &+ 1, to: w, value: v)
                    tally.add(Int(v), x: x, end: end, y: y)
                    x = end
                }
            }
        }
        return tally.statistics()
    }
}

/// Per-value pixel counts and extents, grown on demand (``LabelMap/maxValue`` is only a hint).
private struct ValueTally {
    var count: [Int]
    var minX: [Int]
    var maxX: [Int]
    var minY: [Int]
    var maxY: [Int]

    init(capacity: Int) {
        count = []
        minX = []
        maxX = []
        minY = []
        maxY = []
        grow(to: capacity)
    }

    mutating func grow(to size: Int) {
        let extra = size - count.count
        guard extra > 0 else { return }
        count += repeatElement(0, count: extra)
        minX += repeatElement(Int.max, count: extra)
        maxX += repeatElement(-1, count: extra)
        minY += repeatElement(Int.max, count: extra)
        maxY += repeatElement(-1, count: extra)
    }

    /// Adds the run `x..<end` of row `y` holding value `i`.
    @inline(__always)
    mutating func add(_ i: Int, x: Int, end: Int, y: Int) {
        if i >= count.count { grow(to: i + 1) }
        count[i] &+= end &- x
        if x < minX[i] { minX[i] = x }
        if end &- 1 > maxX[i] { maxX[i] = end &- 1 }
        if y < minY[i] { minY[i] = y }
        maxY[i] = y
    }

    func statistics() -> [LabelValueStatistics] {
        var out: [LabelValueStatistics] = []
        for i in count.indices where count[i] > 0 {
            out.append(LabelValueStatistics(
                value: UInt16(i), pixelCount: count[i],
                bbox: BoundingBox(x: Double(minX[i]), y: Double(minY[i]),
                                  width: Double(maxX[i] - minX[i] + 1), height: Double(maxY[i] - minY[i] + 1))))
        }
        return out
    }
}
