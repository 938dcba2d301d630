// Mask → rings on pixel corners, straight from the RLE runs (formats/rle.md, "Mask → polygon").
//
// Coordinates: pixel (column c, row r) is the square [c, c+1] × [r, r+1]; pycocotools tests its centre
// (c + 0.5, r + 0.5), so rings through integer corners are 0.5 px away from every tie and re-rasterise
// exactly.
//
// How: the RLE is cut into column groups (one partial column, or a block of identical full columns), each
// with its sorted foreground intervals [y0, y1). Every interval gives a top edge (heading west) and a
// bottom edge (heading east); every line x = c between two different columns gives vertical edges where
// exactly one side is foreground (heading south when the right side is foreground, north otherwise).
// So the foreground is always on the left of an edge as drawn on screen (y down). Edges are linked at
// their end points; where four edges meet (two pixels touching only at a corner) the ring turns right,
// which keeps diagonal neighbours in one part: foreground is 8-connected, background (and so every hole)
// 4-connected. Outer rings have negative shoelace sum, holes positive.
//
// Holes are then spliced into their outer ring with a vertical zero-width bridge from the hole's top-left
// corner straight up to the first ring the ray meets (the outer ring, or a hole handled earlier that is
// already part of it). Holes are processed top to bottom, so that ring is always already joined.
//
// Memory and time are O(runs) (plus a hash of edge end points); nothing is dense.

/// Edge directions in image coordinates (y down): east, south, west, north. A right turn is +1 mod 4.
@usableFromInline
enum EdgeDirection {
    static let east: UInt8 = 0, south: UInt8 = 1, west: UInt8 = 2, north: UInt8 = 3
}

/// The boundary of a mask as linked edges, before and after keyholing.
struct MaskTracer {
    let height: Int
    let width: Int

    // Column groups: columns [gxa, gxb) share the foreground intervals iStart[g] ..< iStart[g + 1].
    var gxa: [Int] = []
    var gxb: [Int] = []
    var gStart: [Int] = [0]
    // Intervals [iy0, iy1) and their top and bottom edges.
    var iy0: [Int] = []
    var iy1: [Int] = []
    var iTop: [Int32] = []
    var iBottom: [Int32] = []

    // Edges.
    var ex0: [Int] = [], ey0: [Int] = [], ex1: [Int] = [], ey1: [Int] = []
    var dir: [UInt8] = []
    var next: [Int32] = []
    var prev: [Int32] = []
    var ring: [Int32] = []

    // Rings (as traced, before keyholing).
    var ringFirstEdge: [Int32] = []
    var ringArea2: [Int64] = []       // twice the signed area; < 0 outer, > 0 hole
    var ringTopLeft: [Int32] = []     // the edge starting at the ring's top-left corner (heading east for a hole)

    /// The ids of the outer rings in trace order, each with its holes spliced in after ``keyhole()``.
    var outerRings: [Int32] = []
    var holeCount = 0

    init(_ rle: RLE) {
        height = rle.height
        width = rle.width
        buildGroups(rle)
        buildEdges()
        link()
        traceRings()
    }

    // MARK: Column groups

    private mutating func appendInterval(column x: Int, _ a: Int, _ b: Int) {
        let g = gxa.count - 1
        if g >= 0 && gxa[g] == x && gxb[g] == x + 1 {
            // Same partial column: extend a touching interval (zero-length background runs) or append.
            if let last = iy1.last, last == a, iy0.count > gStart[g] { iy1[iy1.count - 1] = b; return }
            iy0.append(a); iy1.append(b)
            gStart[g + 1] = iy0.count
            return
        }
        if a == 0 && b == height && g >= 0 && gxb[g] == x && gStart[g + 1] - gStart[g] == 1
            && iy0[gStart[g]] == 0 && iy1[gStart[g]] == height {
            gxb[g] = x + 1  // another full column next to a block of full columns
            return
        }
        gxa.append(x); gxb.append(x + 1)
        iy0.append(a); iy1.append(b)
        gStart.append(iy0.count)
    }

    private mutating func appendFullColumns(_ xa: Int, _ xb: Int) {
        guard xa < xb else { return }
        appendInterval(column: xa, 0, height)
        let g = gxa.count - 1
        gxb[g] = max(gxb[g], xb)
    }

    private mutating func buildGroups(_ rle: RLE) {
        let h = height
        guard h > 0, width > 0 else { return }
        var runs: [(Int, Int)] = []
        rle.forEachRun { start, length in runs.append((start, length)) }
        for (s, length) in runs {
            let e = s + length
            let x0 = s / h, y0 = s % h
            let x1 = (e - 1) / h, y1 = (e - 1) % h + 1
            if x0 == x1 {
                appendInterval(column: x0, y0, y1)
            } else {
                appendInterval(column: x0, y0, h)
                appendFullColumns(x0 + 1, x1)
                appendInterval(column: x1, 0, y1)
            }
        }
    }

    /// The group holding column `c`, or nil when the column is empty.
    func group(ofColumn c: Int) -> Int? {
        var lo = 0, hi = gxa.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if gxb[mid] <= c { lo = mid + 1 } else { hi = mid }
        }
        return lo < gxa.count && gxa[lo] <= c ? lo : nil
    }

    /// The interval of group `g` containing row `y`, or nil.
    func interval(ofGroup g: Int, containing y: Int) -> Int? {
        var lo = gStart[g], hi = gStart[g + 1]
        while lo < hi {
            let mid = (lo + hi) / 2
            if iy1[mid] <= y { lo = mid + 1 } else { hi = mid }
        }
        return lo < gStart[g + 1] && iy0[lo] <= y ? lo : nil
    }

    // MARK: Edges

    private mutating func addEdge(_ x0: Int, _ y0: Int, _ x1: Int, _ y1: Int, _ d: UInt8) -> Int32 {
        ex0.append(x0); ey0.append(y0); ex1.append(x1); ey1.append(y1); dir.append(d)
        return Int32(ex0.count - 1)
    }

    private mutating func buildEdges() {
        let groups = gxa.count
        iTop = [Int32](repeating: -1, count: iy0.count)
        iBottom = [Int32](repeating: -1, count: iy0.count)
        for g in 0..<groups {
            for i in gStart[g]..<gStart[g + 1] {
                iTop[i] = addEdge(gxb[g], iy0[i], gxa[g], iy0[i], EdgeDirection.west)
                iBottom[i] = addEdge(gxa[g], iy1[i], gxb[g], iy1[i], EdgeDirection.east)
            }
        }
        for g in 0..<groups {
            let leftRange = (g > 0 && gxb[g - 1] == gxa[g]) ? gStart[g - 1]..<gStart[g] : 0..<0
            verticalEdges(line: gxa[g], left: leftRange, right: gStart[g]..<gStart[g + 1])
            if !(g + 1 < groups && gxa[g + 1] == gxb[g]) {
                verticalEdges(line: gxb[g], left: gStart[g]..<gStart[g + 1], right: 0..<0)
            }
        }
    }

    /// Vertical edges on the line x = `line` where exactly one of the two columns is foreground.
    private mutating func verticalEdges(line c: Int, left: Range<Int>, right: Range<Int>) {
        var i = left.lowerBound, j = right.lowerBound
        var inL = false, inR = false
        var segmentStart = 0
        while true {
            // Next breakpoint on either side.
            let nextL = i < left.upperBound ? (inL ? iy1[i] : iy0[i]) : Int.max
            let nextR = j < right.upperBound ? (inR ? iy1[j] : iy0[j]) : Int.max
            let yNext = min(nextL, nextR)
            if yNext == Int.max { break }
            let wasL = inL, wasR = inR
            if nextL == yNext { if inL { i += 1 }; inL.toggle() }
            if nextR == yNext { if inR { j += 1 }; inR.toggle() }
            // Close the running segment when its type changes.
            let oldType = wasL == wasR ? 0 : (wasR ? 1 : 2)
            let newType = inL == inR ? 0 : (inR ? 1 : 2)
            if oldType != newType {
                if oldType == 1 { _ = addEdge(c, segmentStart, c, yNext, EdgeDirection.south) }
                if oldType == 2 { _ = addEdge(c, yNext, c, segmentStart, EdgeDirection.north) }
                segmentStart = yNext
            }
        }
    }

    @inline(__always) private func key(_ x: Int, _ y: Int) -> Int { x &* (height &+ 1) &+ y }

    private mutating func link() {
        let n = ex0.count
        var first: [Int: Int32] = [:]
        var second: [Int: Int32] = [:]
        first.reserveCapacity(n)
        for e in 0..<n {
            let k = key(ex0[e], ey0[e])
            if first[k] == nil { first[k] = Int32(e) } else { second[k] = Int32(e) }
        }
        next = [Int32](repeating: -1, count: n)
        prev = [Int32](repeating: -1, count: n)
        for e in 0..<n {
            let k = key(ex1[e], ey1[e])
            guard let a = first[k] else { continue }  // cannot happen for a consistent boundary
            var chosen = a
            if let b = second[k] {
                // Two pixels touching at a corner: turn right (8-connected foreground).
                let right = (dir[e] &+ 1) & 3
                chosen = dir[Int(a)] == right ? a : b
            }
            next[e] = chosen
            prev[Int(chosen)] = Int32(e)
        }
    }

    private mutating func traceRings() {
        let n = ex0.count
        ring = [Int32](repeating: -1, count: n)
        for start in 0..<n where ring[start] < 0 {
            let id = Int32(ringFirstEdge.count)
            var area: Int64 = 0
            var best = start
            var e = start
            var steps = 0
            repeat {
                ring[e] = id
                area += Int64(ex0[e]) * Int64(ey1[e]) - Int64(ex1[e]) * Int64(ey0[e])
                // Top-left corner: smallest y, then smallest x; among edges starting there, the eastward one.
                if ey0[e] < ey0[best] || (ey0[e] == ey0[best] && (ex0[e] < ex0[best]
                    || (ex0[e] == ex0[best] && dir[e] == EdgeDirection.east))) {
                    best = e
                }
                let m = Int(next[e])
                steps += 1
                if m < 0 || steps > n { break }
                e = m
            } while e != start
            ringFirstEdge.append(Int32(start))
            ringArea2.append(area)
            ringTopLeft.append(Int32(best))
            if area < 0 { outerRings.append(id) } else { holeCount += 1 }
        }
    }

    // MARK: Keyholes

    /// Splices every hole into the outer ring around it with a vertical zero-width bridge.
    mutating func keyhole() {
        guard holeCount > 0 else { return }
        var holes: [Int32] = []
        for r in 0..<ringArea2.count where ringArea2[r] > 0 { holes.append(Int32(r)) }
        holes.sort { a, b in
            let ea = Int(ringTopLeft[Int(a)]), eb = Int(ringTopLeft[Int(b)])
            return (ey0[ea], ex0[ea]) < (ey0[eb], ex0[eb])
        }
        var parent = [Int32](repeating: -1, count: ringArea2.count)
        func root(_ r: Int32) -> Int32 {
            var r = r
            while parent[Int(r)] >= 0 { r = parent[Int(r)] }
            return r
        }
        for hole in holes {
            let holeOut = Int(ringTopLeft[Int(hole)])
            let c = ex0[holeOut], r = ey0[holeOut]
            // Column c holds the pixel above the hole's top-left pixel; find where its run above starts.
            guard let gc = group(ofColumn: c), let ic = interval(ofGroup: gc, containing: r - 1) else { continue }
            let sC = iy0[ic]
            var sL = r
            var il: Int? = nil
            if let gl = group(ofColumn: c - 1) {
                if let i = interval(ofGroup: gl, containing: r - 1) { sL = iy0[i]; il = i }
                else if let i = interval(ofGroup: gl, containing: r), iy0[i] == r { il = i }
            }
            let hitY = max(sC, sL)
            // The splice goes between `a` (ends at Q = (c, hitY)) and `b` (starts at Q).
            let a: Int, b: Int
            if sC >= sL {
                a = Int(iTop[ic]); b = Int(next[a])
            } else {
                guard let il else { continue }
                b = Int(iTop[il]); a = Int(prev[b])
            }
            guard a >= 0, b >= 0 else { continue }
            let holeIn = Int(prev[holeOut])
            if hitY == r {
                next[a] = Int32(holeOut); prev[holeOut] = Int32(a)
                next[holeIn] = Int32(b); prev[b] = Int32(holeIn)
            } else {
                let down = Int(addEdge(c, hitY, c, r, EdgeDirection.south))
                let up = Int(addEdge(c, r, c, hitY, EdgeDirection.north))
                next.append(-1); next.append(-1); prev.append(-1); prev.append(-1)
                ring.append(hole); ring.append(hole)
                next[a] = Int32(down); prev[down] = Int32(a)
                next[down] = Int32(holeOut); prev[holeOut] = Int32(down)
                next[holeIn] = Int32(up); prev[up] = Int32(holeIn)
                next[up] = Int32(b); prev[b] = Int32(up)
            }
            parent[Int(hole)] = root(ring[a])
        }
    }

    // MARK: Output

    /// The vertices of ring `id` (following `next`, so holes spliced in come along), collinear vertices
    /// dropped, as (x, y) integer pairs.
    func vertices(ofRing id: Int32) -> [(Int, Int)] {
        var start = Int(ringTopLeft[Int(id)])
        // Start at the top-left corner (always a corner; the loop is a safeguard): an edge whose direction differs from its predecessor's.
        var guardCount = 0
        while dir[Int(prev[start])] == dir[start] {
            start = Int(prev[start])
            guardCount += 1
            if guardCount > ex0.count { break }
        }
        var out: [(Int, Int)] = []
        var e = start
        var lastDir: UInt8 = 255
        var steps = 0
        repeat {
            if dir[e] != lastDir {
                out.append((ex0[e], ey0[e]))
                lastDir = dir[e]
            }
            e = Int(next[e])
            steps += 1
        } while e != start && e >= 0 && steps <= ex0.count
        return out
    }
}
