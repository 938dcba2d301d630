// Dense column-major masks <-> RLE (maskApi.c `rleEncode` / `rleDecode`).

extension RLE {
    /// Encodes a column-major 0/1 mask (`mask[x·height + y]`); any non-zero byte counts as foreground.
    ///
    /// - Precondition: `mask.count == height × width`, `height, width ≥ 0`, and the size fits `UInt32`.
    public init(encodingColumnMajor mask: [UInt8], height: Int, width: Int) {
        precondition(height >= 0 && width >= 0 && mask.count == height &* width && mask.count <= Int(UInt32.max),
                     "RLE(encodingColumnMajor:): mask.count must equal height × width")
        var counts: [UInt32] = []
        mask.withUnsafeBufferPointer { m in
            var previous = false
            var runStart = 0
            for i in 0..<m.count {
                let v = m[i] != 0
                if v != previous {
                    counts.append(UInt32(truncatingIfNeeded: i &- runStart))
                    runStart = i
                    previous = v
                }
            }
            counts.append(UInt32(truncatingIfNeeded: m.count &- runStart))
        }
        self.init(height: height, width: width, counts: counts)
    }

    /// Decodes into a column-major 0/1 mask of `height × width` bytes (`mask[x·height + y]`).
    ///
    /// Runs beyond `height × width` are cut off and a short RLE leaves the rest 0, so this never traps;
    /// validate RLEs from files first. Returns `[]` for a negative size or one beyond `UInt32.max` pixels.
    public func decodeColumnMajor() -> [UInt8] {
        guard let total = pixelCount, total <= Int(UInt32.max) else { return [] }
        var mask = [UInt8](repeating: 0, count: total)
        mask.withUnsafeMutableBufferPointer { out in
            guard let base = out.baseAddress else { return }
            forEachRun { start, length in
                guard start < total else { return }
                let n = Swift.min(length, total &- start)
                (base + start).update(repeating: 1, count: n)
            }
        }
        return mask
    }
}
