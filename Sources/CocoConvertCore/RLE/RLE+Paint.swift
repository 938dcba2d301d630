// Painting an RLE straight into a dense row-major label map.

extension RLE {
    /// Stores `value` into `pixels[y·width + x]` wherever the mask is set ("later wins" painting into a
    /// full row-major label map). One strided store per foreground pixel, no intermediate buffers;
    /// the fastest way to composite masks when the whole map is in memory anyway.
    ///
    /// Runs beyond `height × width` are ignored, so this never writes out of bounds.
    /// - Precondition: `pixels.count ≥ height × width`.
    public func paint(into pixels: UnsafeMutableBufferPointer<UInt16>, value: UInt16) {
        paintRuns(into: pixels, value: value)
    }

    /// ``paint(into:value:)`` for 32-bit label maps.
    public func paint(into pixels: UnsafeMutableBufferPointer<UInt32>, value: UInt32) {
        paintRuns(into: pixels, value: value)
    }

    /// ``paint(into:value:)`` for 8-bit label maps.
    public func paint(into pixels: UnsafeMutableBufferPointer<UInt8>, value: UInt8) {
        paintRuns(into: pixels, value: value)
    }

    @inline(__always)
    private func paintRuns<T>(into pixels: UnsafeMutableBufferPointer<T>, value: T) {
        guard let total = pixelCount, total > 0 else { return }
        precondition(pixels.count >= total, "RLE.paint: label map smaller than height × width")
        guard let base = pixels.baseAddress else { return }
        let h = height, w = width
        forEachRun { start, length in
            guard start < total else { return }
            let end = Swift.min(start &+ length, total)
            var x = start / h
            var y = start &- x &* h
            var p = start
            while p < end {
                // The part of the run inside column x: rows y ..< min(h, y + remaining).
                let rows = Swift.min(h &- y, end &- p)
                var q = base + (y &* w &+ x)
                for _ in 0..<rows {
                    q.pointee = value
                    q += w
                }
                p &+= rows
                x &+= 1
                y = 0
            }
        }
    }
}
