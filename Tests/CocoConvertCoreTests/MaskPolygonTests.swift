import Foundation
import Testing
@testable import CocoConvertCore

/// Mask → polygon (Sources/CocoConvertCore/Trace): traced polygons rasterised with the pycocotools-exact
/// ``RLE/init(polygons:height:width:limits:)`` must give back the source mask.
@Suite struct MaskPolygonTests {
    /// A mask from rows of text ("#" foreground), row-major as drawn.
    static func mask(_ rows: [String]) -> RLE {
        let h = rows.count, w = rows[0].count
        var cm = [UInt8](repeating: 0, count: h * w)
        for (y, row) in rows.enumerated() {
            for (x, ch) in row.enumerated() where ch == "#" { cm[x * h + y] = 1 }
        }
        return RLE(encodingColumnMajor: cm, height: h, width: w)
    }

    static func roundTrip(_ rle: RLE, simplify: Double = 0) throws -> (polygons: RLE, ring: RLE?) {
        let parts = try MaskPolygons.trace(rle, simplify: simplify)
        let ring = try MaskPolygons.singleRing(rle, simplify: simplify)
        if rle.area == 0 {
            #expect(parts.isEmpty && ring.isEmpty)
            return (rle, nil)
        }
        for p in parts { #expect(p.count >= 6 && p.count % 2 == 0) }
        let back = try RLE(polygons: parts, height: rle.height, width: rle.width)
        let backRing = try RLE(polygons: [ring], height: rle.height, width: rle.width)
        return (back, backRing)
    }

    static func expectExact(_ rle: RLE, _ comment: Comment? = nil, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let (back, ring) = try roundTrip(rle)
        #expect(back.counts == RLE(encodingColumnMajor: rle.decodeColumnMajor(), height: rle.height, width: rle.width).counts,
                comment, sourceLocation: sourceLocation)
        if let ring {
            #expect(ring.counts == back.counts, comment, sourceLocation: sourceLocation)
        }
    }

    @Test func handmadeShapes() throws {
        let shapes: [(String, [String])] = [
            ("square", ["....", ".##.", ".##.", "...."]),
            ("L", ["#...", "#...", "###."]),
            ("staircase", ["#....", "##...", "###..", "####."]),
            ("diagonal touching", ["#..", ".#.", "..#"]),
            ("anti-diagonal", ["..#", ".#.", "#.."]),
            ("hole", ["#####", "#...#", "#.#.#", "#...#", "#####"]),
            ("one-pixel hole", ["###", "#.#", "###"]),
            ("hole, island in it, hole in island", [
                "#########", "#.......#", "#.#####.#", "#.#...#.#", "#.#.#.#.#", "#.#...#.#", "#.#####.#",
                "#.......#", "#########"]),
            ("two holes", ["#######", "#.#.#.#", "#######"]),
            ("hole touching outside diagonally", ["####.", "#..#.", "#..##", "#####"]),
            ("hole touching hole diagonally", ["#####", "#.###", "##..#", "#####"]),
            ("multi-part", ["#..#", "....", "##.#"]),
            ("one pixel", ["...", ".#.", "..."]),
            ("full image", ["###", "###"]),
            ("borders", ["#.#", "...", "#.#"]),
            ("comb", ["#####", "#.#.#", "#.#.#"]),
            ("checker", ["#.#.", ".#.#", "#.#.", ".#.#"]),
            ("ring of diagonals", [".#.", "#.#", ".#."]),
            ("empty", ["...", "..."]),
        ]
        for (name, rows) in shapes {
            try Self.expectExact(Self.mask(rows), "\(name)")
        }
        #expect(try MaskPolygons.trace(Self.mask(["...."])).isEmpty)
    }

    @Test func polygonsAreOnPixelCorners() throws {
        let parts = try MaskPolygons.trace(Self.mask(["....", ".##.", ".##.", "...."]))
        #expect(parts == [[1, 1, 1, 3, 3, 3, 3, 1]])
        let hole = try MaskPolygons.trace(Self.mask(["###", "#.#", "###"]))
        #expect(hole.count == 1)
        #expect(hole[0] == [0, 0, 0, 3, 3, 3, 3, 0, 1, 0, 1, 1, 2, 1, 2, 2, 1, 2, 1, 0])
        let two = try MaskPolygons.trace(Self.mask(["#..#"]))
        #expect(two.count == 2)
        let diagonal = try MaskPolygons.trace(Self.mask(["#.", ".#"]))
        #expect(diagonal.count == 1)  // 8-connected: one ring through the shared corner
    }

    @Test func singleRingBridgesTheClosestVertices() throws {
        // Two pixels three columns apart: one bridge (1,1) → (3,1), walked there and back.
        #expect(try MaskPolygons.singleRing(Self.mask(["#..#"])) == [0, 0, 0, 1, 1, 1, 3, 1, 4, 1, 4, 0, 3, 0, 3, 1, 1, 1, 1, 0])
        // A far part attaches to the nearest one, not to the first.
        let rle = Self.mask(["#.........", "..........", ".......#.#"])
        let ring = try MaskPolygons.singleRing(rle)
        #expect(try RLE(polygons: [ring], height: 3, width: 10).counts == rle.counts)
        var length = 0.0
        for i in stride(from: 0, to: ring.count, by: 2) {
            let j = (i + 2) % ring.count
            length += ((ring[j] - ring[i]) * (ring[j] - ring[i]) + (ring[j + 1] - ring[i + 1]) * (ring[j + 1] - ring[i + 1])).squareRoot()
        }
        // 3 unit squares (12) + bridge (1,1)→(7,2) twice (2·√37 ≈ 12.2) + bridge (8,2)→(9,2) twice (2).
        #expect(length < 27)
    }

    @Test func seededRandomMasks() throws {
        var rng = SeededRNG(seed: 16)
        for round in 0..<400 {
            let h = Int.random(in: 1...24, using: &rng), w = Int.random(in: 1...24, using: &rng)
            let dense = Dense.randomMask(height: h, width: w, rng: &rng)
            let rle = RLE(encodingColumnMajor: dense, height: h, width: w)
            try Self.expectExact(rle, "round \(round) \(h)x\(w)")
            // The corner-cut (midpoint) ring that simplification starts from rasterises exactly too.
            if rle.area > 0 {
                let cut = try MaskPolygons.trace(rle, simplify: 0.01)
                #expect(try RLE(polygons: cut, height: h, width: w).counts == rle.counts, "round \(round) corner cut")
            }
            let simplified = try MaskPolygons.trace(rle, simplify: 1)
            if rle.area > 0 {
                let back = try RLE(polygons: simplified, height: h, width: w)
                #expect(MaskPolygons.topologyOf(back) == MaskPolygons.topologyOf(rle), "round \(round)")
            }
        }
    }

    @Test func largeSizesStayCheap() throws {
        // A full 1 × 2³⁰ mask: one run over 2³⁰ columns becomes one block, not 2³⁰ edges (above the
        // default pixel limit, so the test raises it).
        let big = Limits(maxPixels: Int(Int32.max))
        let w = 1 << 30
        let full = RLE(height: 1, width: w, counts: [0, UInt32(w)])
        #expect(try MaskPolygons.trace(full, limits: big) == [[0, 0, 0, 1, Double(w), 1, Double(w), 0]])
        let tall = RLE(height: 1 << 20, width: 1 << 10, counts: [5, 7, UInt32((1 << 30) - 12)])
        let parts = try MaskPolygons.trace(tall, limits: big)
        #expect(try RLE(polygons: parts, height: 1 << 20, width: 1 << 10, limits: big).counts == tall.counts)
        #expect(throws: ConversionError.self) { try MaskPolygons.trace(full) }
        #expect(throws: ConversionError.self) { try MaskPolygons.trace(RLE(height: 2, width: 2, counts: [1, 1])) }
        // More runs than the polygon point limit: refused before any work.
        let noisy = RLE(height: 100, width: 100, counts: [UInt32](repeating: 1, count: 10_000))
        #expect(throws: ConversionError.self) {
            try MaskPolygons.singleRing(noisy, limits: Limits(maxPolygonPoints: 1000))
        }
        #expect(try MaskPolygons.trace(noisy).count == MaskPolygons.topology(noisy).parts)
    }
}

/// Every annotation of `shared/data/coco-real` (instances polygons and crowd RLE, stuff RLE, results,
/// panoptic segments), as pycocotools decoded it (`oracle_annotations.jsonl`): mask → polygons → mask.
@Suite("mask → polygon on coco-real") struct MaskPolygonRealDataTests {
    @Test func everyRealMaskIsReproduced() throws {
        let url = SharedData.cocoReal.appendingPathComponent("oracle_annotations.jsonl")
        let text = try String(contentsOf: url, encoding: .utf8)
        var total = 0, exact = 0, ringExact = 0, topologyKept = 0
        var interSum = 0, unionSum = 0
        var iouSum = 0.0, exactVertices = 0, simplifiedVertices = 0
        var differing: [String] = []
        for line in text.split(separator: "\n") {
            guard let record = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let rle = record["rle"] as? [String: Any], let counts = rle["counts"] as? String,
                  let size = rle["size"] as? [NSNumber], size.count == 2 else { continue }
            let source = try RLE(compressed: counts, height: size[0].intValue, width: size[1].intValue)
            total += 1
            let parts = try MaskPolygons.trace(source)
            let back = source.area == 0 ? source : try RLE(polygons: parts, height: source.height, width: source.width)
            if back.counts == source.counts { exact += 1 } else {
                differing.append("\(record["file"] ?? "?") id \(record["id"] ?? "?")")
            }
            let ring = try MaskPolygons.singleRing(source)
            let ringBack = source.area == 0 ? source : try RLE(polygons: [ring], height: source.height, width: source.width)
            if ringBack.counts == source.counts { ringExact += 1 }
            guard source.area > 0 else { topologyKept += 1; iouSum += 1; continue }
            let simple = try MaskPolygons.trace(source, simplify: 1)
            let simpleBack = try RLE(polygons: simple, height: source.height, width: source.width)
            if MaskPolygons.topologyOf(simpleBack) == MaskPolygons.topologyOf(source) { topologyKept += 1 }
            iouSum += RLE.iou(simpleBack, source)
            let inter = RLE.merge([simpleBack, source], intersect: true).area
            interSum += inter
            unionSum += simpleBack.area + source.area - inter
            exactVertices += parts.reduce(0) { $0 + $1.count / 2 }
            simplifiedVertices += simple.reduce(0) { $0 + $1.count / 2 }
        }
        let meanIoU = iouSum / Double(max(total, 1))
        print("mask → polygon on coco-real: \(exact)/\(total) exact (COCO parts), \(ringExact)/\(total) exact (single ring); "
              + "simplify 1: mean IoU \(meanIoU), pixel-weighted IoU \(Double(interSum) / Double(max(unionSum, 1))), topology kept \(topologyKept)/\(total), vertices \(exactVertices) → \(simplifiedVertices)")
        #expect(total > 1500)
        #expect(Double(exact) >= 0.999 * Double(total), "differing: \(differing.prefix(20))")
        #expect(ringExact == total)
        #expect(topologyKept == total)
        // Every part keeps IoU ≥ MaskPolygons.minimumPartIoU (plain Douglas–Peucker at 1 px gave 0.957 here).
        #expect(meanIoU >= 0.99)
    }
}
