// Polygon and box rasterisation, bit-identical to pycocotools (maskApi.c `rleFrPoly`, `rleFrBbox`).
//
// What pycocotools does: scale every vertex by 5 and round (+0.5, truncate toward zero), walk every edge
// one unit at a time along its major axis (rounding the minor coordinate the same way), and wherever two
// consecutive walk points change x across the line x5 = 5n+2 | 5n+3 (the centre of pixel column n), record
// a crossing at column n, row ceil((min(v)+0.5)/5 - 0.5) clamped to [0, height]. Sorted crossings
// (column-major indices) plus height·width, differenced, are the counts (zero runs folded away).
//
// How this file does it: the result only depends on the multiset of crossings, and every crossing comes
// from one pair of consecutive walk points of one edge (the points where edges meet coincide, so they add
// nothing). So instead of walking every point we jump straight to each column-centre line an edge crosses:
// along an x-major edge the walk point at a given x is known directly; along a y-major edge the walk's x
// is a monotone function of the step, so the step where it crosses is found by binary search with the
// very same floating-point expression. Cost is O(crossings · log(edge length)), independent of how far
// off-image the vertices are, and memory is O(crossings).
//
// Hostile input: NaN or infinite coordinates throw; finite coordinates are clamped to ±2·10⁸ (there
// pycocotools' 32-bit int arithmetic overflows, so no reference result exists beyond it); polygons with
// fewer than 3 points or an odd number of values throw.

extension RLE {
    /// Coordinates are clamped to `-polygonCoordinateBound ... polygonCoordinateBound` before rasterising.
    /// Within this range results are identical to pycocotools; beyond it pycocotools overflows `int`.
    public static let polygonCoordinateBound: Double = 2.0e8

    /// Largest number of column crossings one polygon part may produce (each costs 4 bytes) before
    /// ``init(polygon:height:width:limits:)`` throws ``ConversionError/Code/limitExceeded``.
    public static let maxPolygonCrossings = 1 << 26

    /// Rasterises COCO polygons (each a flat `[x0, y0, x1, y1, ...]` list in pixel-edge coordinates) and
    /// unions the parts, exactly as pycocotools `annToRLE` (`frPyObjects` + `merge`).
    ///
    /// Throws ``ConversionError/Code/invalidMask`` for an empty list or a bad part (see
    /// ``init(polygon:height:width:limits:)``), ``ConversionError/Code/limitExceeded`` for sizes above `limits`.
    public init(polygons: [[Double]], height: Int, width: Int, limits: Limits = .standard) throws {
        _ = try RLE.checkedPixelCount(height: height, width: width, limits: limits)
        guard !polygons.isEmpty else {
            throw ConversionError(.invalidMask, "the polygon list is empty",
                                  context: ErrorContext(field: "segmentation"),
                                  hint: "an annotation needs at least one polygon with 3 or more points")
        }
        if polygons.count == 1 {
            self = try RLE(polygon: polygons[0], height: height, width: width, limits: limits, part: 0)
            return
        }
        var parts: [RLE] = []
        parts.reserveCapacity(polygons.count)
        for (index, polygon) in polygons.enumerated() {
            parts.append(try RLE(polygon: polygon, height: height, width: width, limits: limits, part: index))
        }
        self = RLE.merge(parts, intersect: false)
    }

    /// Rasterises one polygon part exactly as pycocotools `frPoly`.
    ///
    /// Throws ``ConversionError/Code/invalidMask`` for an odd number of values, fewer than 3 points
    /// (pycocotools would misread 4 values as a box and crash or misbehave on 2), or NaN/infinite values.
    public init(polygon: [Double], height: Int, width: Int, limits: Limits = .standard) throws {
        try self.init(polygon: polygon, height: height, width: width, limits: limits, part: nil)
    }

    /// The box mask of pycocotools `frBbox`: the polygon (x,y), (x,y+h), (x+w,y+h), (x+w,y) rasterised.
    public init(box: BoundingBox, height: Int, width: Int, limits: Limits = .standard) throws {
        let xs = box.x, ys = box.y, xe = box.x + box.width, ye = box.y + box.height
        guard xs.isFinite, ys.isFinite, xe.isFinite, ye.isFinite else {
            throw ConversionError(.invalidMask, "the box [\(box.x), \(box.y), \(box.width), \(box.height)] is not finite",
                                  context: ErrorContext(field: "bbox"), hint: "box values must be finite numbers")
        }
        try self.init(polygon: [xs, ys, xs, ye, xe, ye, xe, ys], height: height, width: width, limits: limits,
                      part: nil)
    }

    init(polygon: [Double], height: Int, width: Int, limits: Limits, part: Int?) throws {
        let total = try RLE.checkedPixelCount(height: height, width: width, limits: limits)
        let field = part.map { "segmentation[\($0)]" } ?? "segmentation"
        let n = polygon.count
        guard n % 2 == 0 else {
            throw ConversionError(.invalidMask, "a polygon has an odd number of values (\(n))",
                                  context: ErrorContext(field: field),
                                  hint: "polygons are flat [x0, y0, x1, y1, ...] lists")
        }
        guard n >= 6 else {
            throw ConversionError(.invalidMask,
                                  "a polygon has \(n / 2) point(s); at least 3 are needed",
                                  context: ErrorContext(field: field),
                                  hint: n == 4
                                    ? "pycocotools would misread these 4 numbers as a box [x, y, w, h]; drop the part or fix the annotation"
                                    : "drop the degenerate part or fix the annotation")
        }
        guard n / 2 <= limits.maxPolygonPoints else {
            throw ConversionError(.limitExceeded,
                                  "a polygon has \(n / 2) points, more than the limit of \(limits.maxPolygonPoints)",
                                  context: ErrorContext(field: field), hint: "simplify the polygon or raise the limit")
        }
        var crossings = try polygon.withUnsafeBufferPointer { xy in
            try RLE.polygonCrossings(xy, height: height, width: width, field: field)
        }
        crossings.append(UInt32(total))
        self.init(height: height, width: width, counts: RLE.countsFromCrossings(&crossings))
    }

    /// Column-major indices of all column-centre crossings of the polygon's outline (unsorted).
    static func polygonCrossings(_ xy: UnsafeBufferPointer<Double>, height h: Int, width w: Int,
                                 field: String) throws -> [UInt32] {
        let k = xy.count / 2
        let bound = RLE.polygonCoordinateBound
        var X = [Int64](repeating: 0, count: k + 1)
        var Y = [Int64](repeating: 0, count: k + 1)
        for j in 0..<k {
            let x = xy[2 * j], y = xy[2 * j + 1]
            guard x.isFinite, y.isFinite else {
                throw ConversionError(.invalidMask, "polygon point \(j) is (\(x), \(y)), not finite",
                                      context: ErrorContext(field: field),
                                      hint: "polygon coordinates must be finite numbers")
            }
            // pycocotools: (int)(5·x + 0.5), i.e. truncation toward zero.
            X[j] = Int64(5 * Swift.min(Swift.max(x, -bound), bound) + 0.5)
            Y[j] = Int64(5 * Swift.min(Swift.max(y, -bound), bound) + 0.5)
        }
        X[k] = X[0]
        Y[k] = Y[0]

        let heightD = Double(h)
        let h64 = Int64(h)
        let lastLine = Int64(5 * (w - 1) + 2)  // the x5 line through the centre of the last column
        let cap = RLE.maxPolygonCrossings
        var out: [UInt32] = []
        out.reserveCapacity(4 * k + 8)

        // The crossing of column n at walk row v (x5 units, the lower of the two points).
        @inline(__always) func emit(_ line: Int64, _ v: Int64) throws {
            var yd = (Double(v) + 0.5) / 5 - 0.5
            if yd < 0 { yd = 0 } else if yd > heightD { yd = heightD }
            yd.round(.up)
            let column = (line - 2) / 5
            out.append(UInt32(truncatingIfNeeded: column * h64 + Int64(yd)))
            if out.count > cap {
                throw ConversionError(.limitExceeded,
                                      "a polygon crosses more than \(cap) pixel columns in total",
                                      context: ErrorContext(field: field),
                                      hint: "the polygon is pathological (millions of edges spanning the image)")
            }
        }
        // The first x5 line 5n+2 at or after `b` (b ≥ 2).
        @inline(__always) func firstLine(atLeast b: Int64) -> Int64 {
            let r = (b - 2) % 5
            return r == 0 ? b : b + (5 - r)
        }

        for j in 0..<k {
            var xs = X[j], xe = X[j + 1], ys = Y[j], ye = Y[j + 1]
            let dx = abs(xe - xs), dy = abs(ys - ye)
            if (dx >= dy && xs > xe) || (dx < dy && ys > ye) {
                swap(&xs, &xe)
                swap(&ys, &ye)
            }
            if dx >= dy {
                if dx == 0 { continue }
                // Walk point t: (xs + t, (int)(ys + s·t + 0.5)), t = 0...dx.
                let s = Double(ye - ys) / Double(dx)
                let ysD = Double(ys)
                let last = Swift.min(xe - 1, lastLine)
                var line = firstLine(atLeast: Swift.max(xs, 2))
                while line <= last {
                    let t = line - xs
                    let v0 = Int64(ysD + s * Double(t) + 0.5)
                    let v1 = Int64(ysD + s * Double(t + 1) + 0.5)
                    try emit(line, Swift.min(v0, v1))
                    line += 5
                }
            } else {
                // Walk point t: ((int)(xs + s·t + 0.5), ys + t), t = 0...dy; x is monotone in t, steps ≤ 1.
                let s = Double(xe - xs) / Double(dy)
                let xsD = Double(xs)
                let u0 = Int64(xsD + 0.5)
                let uD = Int64(xsD + s * Double(dy) + 0.5)
                if u0 == uD { continue }
                let increasing = uD > u0
                let last = Swift.min(Swift.max(u0, uD) - 1, lastLine)
                var line = firstLine(atLeast: Swift.max(Swift.min(u0, uD), 2))
                var lo: Int64 = 1, hi: Int64 = dy
                while line <= last {
                    // Smallest t in [lo, hi] where x has passed the line (x ≥ line+1 going right, x ≤ line going left).
                    var l = lo, r = hi
                    while l < r {
                        let mid = l + (r - l) / 2
                        let u = Int64(xsD + s * Double(mid) + 0.5)
                        if increasing ? (u > line) : (u <= line) { r = mid } else { l = mid + 1 }
                    }
                    try emit(line, ys + l - 1)
                    if increasing { lo = l } else { hi = l }
                    line += 5
                }
            }
        }
        return out
    }

    /// Sorts crossing indices (plus the final `height·width`), differences them and folds zero runs,
    /// as the end of `rleFrPoly`.
    static func countsFromCrossings(_ a: inout [UInt32]) -> [UInt32] {
        a.sort()
        var counts: [UInt32] = []
        counts.reserveCapacity(a.count)
        a.withUnsafeMutableBufferPointer { a in
            let k = a.count
            var previous: UInt32 = 0
            for j in 0..<k {
                let t = a[j]
                a[j] = t &- previous
                previous = t
            }
            counts.append(a[0])
            var j = 1
            while j < k {
                if a[j] > 0 {
                    counts.append(a[j])
                    j += 1
                } else {
                    j += 1
                    if j < k {
                        counts[counts.count - 1] &+= a[j]
                        j += 1
                    }
                }
            }
        }
        return counts
    }
}
