// Area, bounding box, IoU and run iteration (maskApi.c `rleArea`, `rleToBbox`, `rleIou`).

extension RLE {
    /// Number of foreground pixels: the sum of the odd-indexed counts (pycocotools `area`).
    public var area: Int {
        counts.withUnsafeBufferPointer { c in
            var sum = 0
            var i = 1
            while i < c.count {
                sum &+= Int(c[i])
                i &+= 2
            }
            return sum
        }
    }

    /// The pycocotools `toBbox` box `[x, y, w, h]`, bit for bit, including its quirks:
    /// - an odd number of counts is truncated to even (a trailing background run is ignored);
    /// - no counts (or only one) gives `[0, 0, 0, 0]`;
    /// - a foreground run that starts in one column and ends in a later one makes the box span the
    ///   full height (`y = 0`, `h = height`), even if no single column is covered top to bottom;
    /// - a zero-length foreground run contributes the pixel just before it (arithmetic is on `UInt32`,
    ///   wrapping as in C).
    public var boundingBox: BoundingBox {
        let m = counts.count & ~1
        let h = UInt32(truncatingIfNeeded: height)
        guard m > 0, h > 0, width > 0 else { return BoundingBox(x: 0, y: 0, width: 0, height: 0) }
        var xs = UInt32(truncatingIfNeeded: width)
        var ys = h
        var xe: UInt32 = 0
        var ye: UInt32 = 0
        var cc: UInt32 = 0
        var xp: UInt32 = 0
        counts.withUnsafeBufferPointer { c in
            for j in 0..<m {
                cc &+= c[j]
                let t = cc &- UInt32(j & 1)
                let y = t % h
                let x = (t &- y) / h
                if j & 1 == 0 {
                    xp = x
                } else if xp < x {
                    ys = 0
                    ye = h &- 1
                }
                xs = Swift.min(xs, x)
                xe = Swift.max(xe, x)
                ys = Swift.min(ys, y)
                ye = Swift.max(ye, y)
            }
        }
        return BoundingBox(x: Double(xs), y: Double(ys),
                           width: Double(xe &- xs &+ 1), height: Double(ye &- ys &+ 1))
    }

    /// Intersection over union as pycocotools `iou` computes it for one pair.
    ///
    /// Boxes that do not overlap give 0 without looking at the runs; a size mismatch gives −1;
    /// for a crowd ground truth the denominator is the detection's area. An empty intersection gives 0.
    public static func iou(_ detection: RLE, _ groundTruth: RLE, isCrowd: Bool = false) -> Double {
        let d = detection.boundingBox
        let g = groundTruth.boundingBox
        let bw = Swift.min(d.x + d.width, g.x + g.width) - Swift.max(d.x, g.x)
        if !(bw > 0) { return 0 }
        let bh = Swift.min(d.y + d.height, g.y + g.height) - Swift.max(d.y, g.y)
        if !(bh > 0) { return 0 }
        if detection.height != groundTruth.height || detection.width != groundTruth.width { return -1 }
        guard detection.countSum == groundTruth.countSum else { return -1 }
        var inter = 0
        var union = 0
        RLE.walkPair(detection.counts, groundTruth.counts) { length, a, b in
            if a || b {
                union &+= Int(length)
                if a && b { inter &+= Int(length) }
            }
        }
        if inter == 0 { return 0 }
        if isCrowd { union = detection.area }
        return Double(inter) / Double(union)
    }

    /// Calls `body(start, length)` for every non-empty foreground run, in order; `start` is the
    /// column-major pixel index (x·height + y) of the run's first pixel.
    @inlinable
    public func forEachRun(_ body: (_ start: Int, _ length: Int) -> Void) {
        counts.withUnsafeBufferPointer { c in
            var position = 0
            var i = 0
            let n = c.count
            while i < n {
                let length = Int(c[i])
                if i & 1 == 1 && length > 0 { body(position, length) }
                position &+= length
                i &+= 1
            }
        }
    }

    /// The sum of all counts (equal to `height × width` for a valid RLE).
    public var countSum: Int {
        counts.withUnsafeBufferPointer { c in
            var sum = 0
            for v in c { sum &+= Int(v) }
            return sum
        }
    }

    /// Checks an RLE from a file: positive size within `limits`, counts summing to `height × width`.
    /// Returns `self` unchanged when valid.
    public func validated(limits: Limits = .standard) throws -> RLE {
        let total = try RLE.checkedPixelCount(height: height, width: width, limits: limits)
        let sum = countSum
        guard sum == total else {
            throw ConversionError(.invalidMask,
                                  "RLE counts add up to \(sum), not height×width = \(height)×\(width) = \(total)",
                                  context: ErrorContext(field: "segmentation.counts"),
                                  hint: "the RLE `size` ([height, width]) does not match its `counts`")
        }
        return self
    }

    /// Walks two run lists in lock step, calling `body(length, a, b)` for each non-empty stretch where
    /// both values are constant. Stops when either list runs out (for valid RLEs of one size, both do).
    /// Zero-length runs anywhere are skipped, so non-canonical counts are handled correctly.
    @inline(__always)
    static func walkPair(_ ra: [UInt32], _ rb: [UInt32], _ body: (UInt32, Bool, Bool) -> Void) {
        ra.withUnsafeBufferPointer { A in
            rb.withUnsafeBufferPointer { B in
                let nA = A.count, nB = B.count
                var ca: UInt32 = nA == 0 ? 0 : A[0]
                var cb: UInt32 = nB == 0 ? 0 : B[0]
                var a = 1, b = 1
                var va = false, vb = false
                while true {
                    while ca == 0 && a < nA { ca = A[a]; a &+= 1; va.toggle() }
                    while cb == 0 && b < nB { cb = B[b]; b &+= 1; vb.toggle() }
                    if ca == 0 || cb == 0 { break }
                    let c = Swift.min(ca, cb)
                    body(c, va, vb)
                    ca &-= c
                    cb &-= c
                }
            }
        }
    }
}
