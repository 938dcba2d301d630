/// Exact mask → polygon conversion (formats/rle.md, "Mask → polygon").
///
/// Polygons run along pixel corners (pixel (c, r) is the square [c, c+1] × [r, r+1]), so pycocotools'
/// rasteriser (and ``RLE/init(polygons:height:width:limits:)``) gives back exactly the source mask.
/// Foreground parts are 8-connected (two pixels touching only at a corner are one part, and its ring passes
/// through that corner twice); holes are 4-connected background regions enclosed by a part. A hole is kept by
/// a zero-width "keyhole" bridge from its top-left corner straight up to the ring around it: even-odd filling
/// of the one ring restores the hole, and the bridge, drawn twice, adds nothing.
public enum MaskPolygons {
    /// One flat COCO polygon `[x1, y1, x2, y2, …]` per connected part of the mask, holes keyholed into their
    /// part, parts in column-major order of their first pixel. An empty mask gives `[]`.
    ///
    /// - Parameters:
    ///   - simplify: tolerance in pixels (Douglas–Peucker per ring section between fixed vertices: bridge
    ///     ends and pinch points), starting from the corner-cut ring (midpoints of the first and last unit step
    ///     of every edge, which rasterises exactly too). 0 (default) is exact. A part whose simplification
    ///     crosses itself or falls below ``minimumPartIoU`` with its exact mask is retried with half the
    ///     tolerance (five times, then kept exact); if the simplified parts together change the topology
    ///     (parts merging or vanishing, holes lost), the exact polygons are returned.
    /// - Throws: ``ConversionError/Code/invalidMask`` or ``ConversionError/Code/limitExceeded`` for an RLE
    ///   that is not valid within `limits`, and ``ConversionError/Code/limitExceeded`` for a mask with more
    ///   foreground runs than `limits.maxPolygonPoints` (work and memory are linear in the runs).
    public static func trace(_ rle: RLE, simplify: Double = 0, limits: Limits = .standard) throws -> [[Double]] {
        try parts(rle, simplify: simplify, limits: limits).map(flatten)
    }

    /// All parts of the mask joined into one ring by zero-width bridges (for formats with one polygon per
    /// object, such as YOLO). Parts are joined along a spanning tree of short bridges: each part is linked to
    /// the already-joined part closest by bounding box, at the closest pair of vertices. An empty mask gives `[]`.
    public static func singleRing(_ rle: RLE, simplify: Double = 0, limits: Limits = .standard) throws -> [Double] {
        let rings = try parts(rle, simplify: simplify, limits: limits)
        return flatten(join(rings))
    }

    /// The mask's traced rings: counts of parts (outer rings) and holes. Used to check that a
    /// simplification keeps the topology.
    public static func topology(_ rle: RLE) -> (parts: Int, holes: Int) {
        let tracer = MaskTracer(rle)
        return (tracer.outerRings.count, tracer.holeCount)
    }

    typealias Ring = [(Double, Double)]

    static func flatten(_ ring: Ring) -> [Double] {
        var out: [Double] = []
        out.reserveCapacity(ring.count * 2)
        for (x, y) in ring { out.append(x); out.append(y) }
        return out
    }

    static func parts(_ rle: RLE, simplify: Double, limits: Limits) throws -> [Ring] {
        let rle = try rle.validated(limits: limits)
        // Every foreground run adds at least one vertex; bound the work (edges, hash) before tracing.
        guard rle.counts.count / 2 <= limits.maxPolygonPoints else {
            throw ConversionError(.limitExceeded,
                                  "the mask has \(rle.counts.count / 2) runs; its polygons would exceed the limit of \(limits.maxPolygonPoints) points",
                                  context: ErrorContext(field: "segmentation"),
                                  hint: "keep such masks as RLE (--segmentation rle), or raise the polygon point limit")
        }
        var tracer = MaskTracer(rle)
        let topology = (tracer.outerRings.count, tracer.holeCount)
        tracer.keyhole()
        let corners = tracer.outerRings.map { tracer.vertices(ofRing: $0) }
        let exact: [Ring] = corners.map { $0.map { (Double($0.0), Double($0.1)) } }
        guard simplify > 0, simplify.isFinite, !exact.isEmpty else { return exact }
        let midpoints = corners.map(midpointRing)
        var chosen: [Ring] = []
        chosen.reserveCapacity(exact.count)
        for (i, ring) in exact.enumerated() {
            guard let exactMask = try? RLE(polygons: [flatten(ring)], height: rle.height, width: rle.width, limits: limits) else {
                chosen.append(ring)
                continue
            }
            var tolerance = simplify
            var pick = ring
            for _ in 0..<6 {
                let candidate = simplifyRing(midpoints[i].points, fixed: midpoints[i].fixed, tolerance: tolerance)
                if candidate.count >= 3, !hasProperCrossing(candidate),
                   let back = try? RLE(polygons: [flatten(candidate)], height: rle.height, width: rle.width, limits: limits),
                   RLE.iou(back, exactMask) >= minimumPartIoU {
                    pick = candidate
                    break
                }
                tolerance /= 2
            }
            chosen.append(pick)
        }
        // Parts must not merge, vanish or lose holes: otherwise give the exact polygons.
        if let back = try? RLE(polygons: chosen.map(flatten), height: rle.height, width: rle.width, limits: limits),
           topologyOf(back) == topology {
            return chosen
        }
        return exact
    }

    /// A simplified part must keep at least this IoU with its exact mask; the tolerance is halved (up to
    /// five times, then the part stays exact) until it does. Small objects therefore keep their shape.
    public static let minimumPartIoU = 0.99

    static func topologyOf(_ rle: RLE) -> (Int, Int) {
        let t = MaskTracer(rle)
        return (t.outerRings.count, t.holeCount)
    }

    // MARK: Simplification

    /// The corner ring with every corner cut: each edge contributes the midpoints of its first and last unit
    /// step. A 45° staircase becomes a straight line, and every pixel centre keeps its side (crossings of
    /// column centres happen only at those midpoints, which lie on the original edges), so this ring
    /// rasterises like the corner ring. Points next to a corner that occurs more than once (keyhole bridge
    /// ends, pinch points) are fixed.
    static func midpointRing(_ ring: [(Int, Int)]) -> (points: Ring, fixed: [Bool]) {
        let n = ring.count
        var count: [Int64: Int] = [:]
        for (x, y) in ring { count[Int64(x) << 32 | Int64(UInt32(truncatingIfNeeded: y)), default: 0] += 1 }
        var points: Ring = []
        var fixed: [Bool] = []
        points.reserveCapacity(2 * n)
        for i in 0..<n {
            let (ax, ay) = ring[i], (bx, by) = ring[(i + 1) % n]
            let length = abs(bx - ax) + abs(by - ay)
            guard length > 0 else { continue }
            let ux = Double((bx - ax).signum()) * 0.5, uy = Double((by - ay).signum()) * 0.5
            let aFixed = count[Int64(ax) << 32 | Int64(UInt32(truncatingIfNeeded: ay))]! > 1
            let bFixed = count[Int64(bx) << 32 | Int64(UInt32(truncatingIfNeeded: by))]! > 1
            points.append((Double(ax) + ux, Double(ay) + uy))
            fixed.append(aFixed || (length == 1 && bFixed))
            if length > 1 {
                points.append((Double(bx) - ux, Double(by) - uy))
                fixed.append(bFixed)
            }
        }
        return (points, fixed)
    }

    /// Douglas–Peucker between fixed points (or, without any, between the first point and the point
    /// farthest from it).
    static func simplifyRing(_ ring: Ring, fixed: [Bool], tolerance: Double) -> Ring {
        let n = ring.count
        guard n > 4 else { return ring }
        var keep = fixed
        var anchors = (0..<n).filter { fixed[$0] }
        if anchors.count < 2 {
            var far = 0, best = -1.0
            let (x0, y0) = ring[0]
            for (i, (x, y)) in ring.enumerated() {
                let d = (x - x0) * (x - x0) + (y - y0) * (y - y0)
                if d > best { best = d; far = i }
            }
            keep[0] = true
            keep[far] = true
            anchors = Array(Set([0, far] + anchors)).sorted()
        }
        for k in 0..<anchors.count {
            let a = anchors[k]
            let b = k + 1 < anchors.count ? anchors[k + 1] : anchors[0] + n
            douglasPeucker(ring, a, b, tolerance, &keep)
        }
        var out: Ring = []
        for i in 0..<n where keep[i] { out.append(ring[i]) }
        return out
    }

    /// Marks the points of `ring[a...b]` (indices mod count) that Douglas–Peucker keeps (iterative).
    private static func douglasPeucker(_ ring: Ring, _ a: Int, _ b: Int, _ tolerance: Double, _ keep: inout [Bool]) {
        let n = ring.count
        var stack = [(a, b)]
        while let (s, e) = stack.popLast() {
            guard e - s > 1 else { continue }
            let (x0, y0) = ring[s % n], (x1, y1) = ring[e % n]
            let dx = x1 - x0, dy = y1 - y0
            let length = (dx * dx + dy * dy).squareRoot()
            var far = -1, best = -1.0
            for i in (s + 1)..<e {
                let (x, y) = ring[i % n]
                let px = x - x0, py = y - y0
                let d = length > 0 ? abs(px * dy - py * dx) / length : (px * px + py * py).squareRoot()
                if d > best { best = d; far = i }
            }
            // A closed section (s and e the same point) always keeps its farthest point.
            if best > tolerance || length == 0 {
                keep[far % n] = true
                stack.append((s, far))
                stack.append((far, e))
            }
        }
    }

    /// True when two edges of the ring cross at a single point interior to both (touching and collinear
    /// overlaps, as at keyhole bridges and pinch points, do not count). Grid-bucketed.
    static func hasProperCrossing(_ ring: Ring) -> Bool {
        let n = ring.count
        guard n > 3 else { return false }
        var minX = Double.infinity, minY = Double.infinity, maxX = -Double.infinity, maxY = -Double.infinity
        for (x, y) in ring { minX = min(minX, x); maxX = max(maxX, x); minY = min(minY, y); maxY = max(maxY, y) }
        let side = Double(max(1, Int(Double(n).squareRoot())))
        let cellW = max(1, (maxX - minX) / side), cellH = max(1, (maxY - minY) / side)
        // Work budget: a pathological ring (many long chords in few cells) counts as crossing, so the caller
        // falls back to a smaller tolerance or the exact ring instead of spending quadratic time.
        var budget = 50 * n + 2_000_000
        var cells: [Int: [Int]] = [:]
        for i in 0..<n {
            let (ax, ay) = ring[i], (bx, by) = ring[(i + 1) % n]
            let cx0 = Int((min(ax, bx) - minX) / cellW), cx1 = Int((max(ax, bx) - minX) / cellW)
            let cy0 = Int((min(ay, by) - minY) / cellH), cy1 = Int((max(ay, by) - minY) / cellH)
            budget -= (cx1 - cx0 + 1) * (cy1 - cy0 + 1)
            if budget < 0 { return true }
            for cx in cx0...cx1 { for cy in cy0...cy1 { cells[cx &* 1_000_003 &+ cy, default: []].append(i) } }
        }
        for (_, edges) in cells where edges.count > 1 {
            budget -= edges.count * (edges.count - 1) / 2
            if budget < 0 { return true }
            for p in 0..<edges.count {
                for q in (p + 1)..<edges.count {
                    let i = edges[p], j = edges[q]
                    if properCross(ring[i], ring[(i + 1) % n], ring[j], ring[(j + 1) % n]) { return true }
                }
            }
        }
        return false
    }

    @inline(__always)
    static func orient(_ a: (Double, Double), _ b: (Double, Double), _ c: (Double, Double)) -> Int {
        let v = (b.0 - a.0) * (c.1 - a.1) - (b.1 - a.1) * (c.0 - a.0)
        return v > 0 ? 1 : (v < 0 ? -1 : 0)
    }

    static func properCross(_ a: (Double, Double), _ b: (Double, Double), _ c: (Double, Double), _ d: (Double, Double)) -> Bool {
        orient(a, b, c) * orient(a, b, d) < 0 && orient(c, d, a) * orient(c, d, b) < 0
    }

    // MARK: Joining parts

    /// Joins rings into one along a spanning tree (Prim's algorithm over bounding-box gaps), each bridge
    /// between the closest pair of vertices of the two rings; every bridge is walked there and back.
    static func join(_ rings: [Ring]) -> Ring {
        let p = rings.count
        if p == 0 { return [] }
        if p == 1 { return rings[0] }
        var boxes: [(Double, Double, Double, Double)] = []
        for r in rings {
            var b = (Double.infinity, Double.infinity, -Double.infinity, -Double.infinity)
            for (x, y) in r { b = (min(b.0, x), min(b.1, y), max(b.2, x), max(b.3, y)) }
            boxes.append(b)
        }
        func gap(_ i: Int, _ j: Int) -> Double {
            let a = boxes[i], b = boxes[j]
            let dx = max(0, max(a.0, b.0) - min(a.2, b.2))
            let dy = max(0, max(a.1, b.1) - min(a.3, b.3))
            return dx * dx + dy * dy
        }
        // Prim: O(p²) distance evaluations; beyond 3000 parts chain them in trace order instead.
        var treeParent = [Int](repeating: -1, count: p)
        if p <= 3000 {
            var inTree = [Bool](repeating: false, count: p)
            var best = [Double](repeating: .infinity, count: p)
            inTree[0] = true
            for j in 1..<p { best[j] = gap(0, j); treeParent[j] = 0 }
            for _ in 1..<p {
                var pick = -1
                for j in 0..<p where !inTree[j] && (pick < 0 || best[j] < best[pick]) { pick = j }
                inTree[pick] = true
                for j in 0..<p where !inTree[j] {
                    let g = gap(pick, j)
                    if g < best[j] { best[j] = g; treeParent[j] = pick }
                }
            }
        } else {
            for j in 1..<p { treeParent[j] = j - 1 }
        }
        // Bridge ends: the closest vertex pair (sampled when both rings are large).
        var attach = [[(at: Int, child: Int, entry: Int)]](repeating: [], count: p)
        for child in 1..<p {
            let parent = treeParent[child]
            let (i, j) = closestPair(rings[parent], rings[child], budget: max(10_000, 40_000_000 / p))
            attach[parent].append((i, child, j))
        }
        // Walk the tree iteratively: a child's ring is inserted after the parent's vertex, then the walk
        // comes back over the same bridge to that vertex.
        var byVertex = [[Int: [(child: Int, entry: Int)]]](repeating: [:], count: p)
        for part in 0..<p { for a in attach[part] { byVertex[part][a.at, default: []].append((a.child, a.entry)) } }
        struct Frame { var part: Int; var start: Int; var k = 0; var child = 0; var emitted = false }
        var out: Ring = []
        var stack = [Frame(part: 0, start: 0)]
        while !stack.isEmpty {
            let top = stack.count - 1
            let f = stack[top]
            let ring = rings[f.part]
            let n = ring.count
            if !f.emitted {
                if top == 0 && f.k == n { stack.removeLast(); continue }  // the root ring is closed implicitly
                out.append(ring[(f.start + f.k) % n])
                stack[top].emitted = true
                if f.k == n {
                    // A child ring is back at its entry vertex: return over the bridge to the parent's vertex.
                    stack.removeLast()
                    let parent = stack[stack.count - 1]
                    let pr = rings[parent.part]
                    out.append(pr[(parent.start + parent.k) % pr.count])
                }
                continue
            }
            let kids = byVertex[f.part][(f.start + f.k) % n] ?? []
            if f.child < kids.count {
                stack[top].child += 1
                stack.append(Frame(part: kids[f.child].child, start: kids[f.child].entry))
            } else {
                stack[top].k += 1
                stack[top].child = 0
                stack[top].emitted = false
            }
        }
        var deduped: Ring = []
        deduped.reserveCapacity(out.count)
        for v in out where deduped.last.map({ $0 != v }) ?? true { deduped.append(v) }
        while deduped.count > 1, deduped[0] == deduped[deduped.count - 1] { deduped.removeLast() }
        return deduped
    }

    /// The closest vertex pair of two rings; with more than `budget` pairs, every k-th vertex of `a` is tried.
    static func closestPair(_ a: Ring, _ b: Ring, budget: Int) -> (Int, Int) {
        let strideA = max(1, a.count * b.count / budget + 1)
        var best = Double.infinity, bi = 0, bj = 0
        for i in Swift.stride(from: 0, to: a.count, by: strideA) {
            let (ax, ay) = a[i]
            for j in 0..<b.count {
                let dx = ax - b[j].0, dy = ay - b[j].1
                let d = dx * dx + dy * dy
                if d < best { best = d; bi = i; bj = j }
            }
        }
        return (bi, bj)
    }
}
