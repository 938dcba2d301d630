/// Finding runs of equal values in a row of 16-bit labels, sixteen pixels at a time.
///
/// Label maps are mostly long runs (background, then object interiors), so every pass that walks a
/// map run by run (statistics, class look-ups) spends its time finding where a run ends.
public enum LabelRun {
    /// The first index in `start..<limit` whose value differs from `value`, or `limit`.
    @inlinable @inline(__always)
    public static func end(in pixels: UnsafePointer<UInt16>, from start: Int, to limit: Int, value: UInt16) -> Int {
        var x = start
        let splat = SIMD16<UInt16>(repeating: value)
        let raw = UnsafeRawPointer(pixels)
        while x &+ 16 <= limit {
            let block = raw.loadUnaligned(fromByteOffset: x &* 2, as: SIMD16<UInt16>.self)
            if any(block .!= splat) { break }
            x &+= 16
        }
        while x < limit && pixels[x] == value { x &+= 1 }
        return x
    }
}
