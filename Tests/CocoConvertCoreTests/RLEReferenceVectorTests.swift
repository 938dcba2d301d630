import Testing
@testable import CocoConvertCore

/// Every vector of REFERENCE.md §2.2, §2.3 and its appendix (computed by the reference C implementation).
@Suite("RLE reference vectors")
struct RLEReferenceVectorTests {
    struct Vector: Sendable, CustomStringConvertible {
        var name: String
        var height: Int
        var width: Int
        var counts: [UInt32]
        var string: String
        var area: Int
        var bbox: [Double]
        var description: String { name }
    }

    static let appendix: [Vector] = [
        Vector(name: "square0-10 in 20x20", height: 20, width: 20,
               counts: [0, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 210],
               string: "0::00000000000000000X6", area: 100, bbox: [0, 0, 10, 10]),
        Vector(name: "frac rect h8w10", height: 8, width: 10, counts: [18, 3, 5, 3, 5, 3, 5, 3, 5, 3, 5, 3, 19],
               string: "b035000000000>", area: 18, bbox: [2, 2, 6, 3]),
        Vector(name: "tri h10w10", height: 10, width: 10, counts: [11, 6, 4, 5, 5, 4, 6, 3, 7, 2, 8, 1, 38],
               string: ";64O1O1O1O1On0", area: 21, bbox: [1, 1, 6, 6]),
        Vector(name: "bbox[1,2,3,4] 10x10", height: 10, width: 10, counts: [12, 4, 6, 4, 6, 4, 64],
               string: "<46000j1", area: 12, bbox: [1, 2, 3, 4]),
        Vector(name: "dense 0011101", height: 7, width: 1, counts: [2, 3, 1, 1], string: "231N", area: 4,
               bbox: [0, 2, 1, 5]),
        Vector(name: "dense 1111110", height: 7, width: 1, counts: [0, 6, 1], string: "061", area: 6,
               bbox: [0, 0, 1, 6]),
        Vector(name: "big counts", height: 1000, width: 201, counts: [100, 5, 3, 200000, 1], string: "T353kYS6N",
               area: 200005, bbox: [0, 0, 201, 1000]),
        Vector(name: "delta neg example", height: 38, width: 1, counts: [3, 10, 20, 5], string: "3:d0K", area: 15,
               bbox: [0, 3, 1, 35]),
        Vector(name: "union", height: 10, width: 1, counts: [2, 5, 3], string: "253", area: 5, bbox: [0, 2, 1, 5]),
        Vector(name: "intersect", height: 10, width: 1, counts: [4, 1, 5], string: "415", area: 1, bbox: [0, 4, 1, 1]),
        Vector(name: "centers 0.5..9.5 20x20", height: 20, width: 20,
               counts: [21, 9, 11, 9, 11, 9, 11, 9, 11, 9, 11, 9, 11, 9, 11, 9, 11, 9, 210],
               string: "e09;000000000000000W6", area: 81, bbox: [1, 1, 9, 9]),
        Vector(name: "out-of-bounds -5..5 10x10", height: 10, width: 10,
               counts: [0, 5, 5, 5, 5, 5, 5, 5, 5, 5, 55], string: "0550000000b1", area: 25, bbox: [0, 0, 5, 5]),
        Vector(name: "out-of-bounds 5..15 10x10", height: 10, width: 10,
               counts: [55, 5, 5, 5, 5, 5, 5, 5, 5, 5], string: "g1550000000", area: 25, bbox: [5, 5, 5, 5]),
        Vector(name: "big h1000 w401", height: 1000, width: 401, counts: [100, 5, 3, 200000, 200892],
               string: "T353kYS6iUT6", area: 200005, bbox: [0, 0, 201, 1000]),
        Vector(name: "degenerate 2pt (as pycocotools output)", height: 10, width: 10, counts: [100], string: "T3",
               area: 0, bbox: [0, 0, 0, 0]),
    ]

    @Test("counts → string, string → counts, area, bbox", arguments: appendix)
    func vector(_ v: Vector) throws {
        let rle = RLE(height: v.height, width: v.width, counts: v.counts)
        #expect(rle.compressedString == v.string)
        #expect(try RLE.decodeCompressedCounts(v.string) == v.counts)
        if v.counts.reduce(0, { $0 + Int($1) }) == v.height * v.width {
            let decoded = try RLE(compressed: v.string, height: v.height, width: v.width)
            #expect(decoded.counts == v.counts)
        } else {
            // The appendix's "big counts" vector does not sum to h·w (pycocotools never checks); we refuse it.
            #expect(throws: ConversionError.self) { try RLE(compressed: v.string, height: v.height, width: v.width) }
        }
        #expect(rle.area == v.area)
        #expect(rle.boundingBox.array == v.bbox)
    }

    @Test("§2.2 text vectors") func textVectors() throws {
        #expect(RLE(height: 7, width: 1, counts: [2, 3, 1, 1]).compressedString == "231N")
        #expect(RLE(height: 7, width: 1, counts: [0, 6, 1]).compressedString == "061")
        #expect(RLE(height: 38, width: 1, counts: [3, 10, 20, 5]).compressedString == "3:d0K")
        let big = RLE(height: 1000, width: 401, counts: [100, 5, 3, 200000, 200892])
        #expect(big.compressedString == "T353kYS6iUT6")
        #expect(try RLE(compressed: "T353kYS6iUT6", height: 1000, width: 401) == big)
    }

    @Test("rleEncode docstring examples") func encodeExamples() {
        #expect(RLE(encodingColumnMajor: [0, 0, 1, 1, 1, 0, 1], height: 7, width: 1).counts == [2, 3, 1, 1])
        #expect(RLE(encodingColumnMajor: [1, 1, 1, 1, 1, 1, 0], height: 7, width: 1).counts == [0, 6, 1])
    }

    @Test("merge: union and intersection of [2,3,5] and [4,3,3]") func mergeVector() {
        let a = RLE(height: 10, width: 1, counts: [2, 3, 5])
        let b = RLE(height: 10, width: 1, counts: [4, 3, 3])
        #expect(RLE.merge([a, b], intersect: false).counts == [2, 5, 3])
        #expect(RLE.merge([a, b], intersect: true).counts == [4, 1, 5])
        #expect(RLE.merge([], intersect: false) == RLE(height: 0, width: 0, counts: []))
        #expect(RLE.merge([a], intersect: true) == a)
        #expect(RLE.merge([a, RLE(height: 5, width: 2, counts: [10])]) == RLE(height: 0, width: 0, counts: []))
    }

    @Test("polygon vectors of §2.3") func polygons() throws {
        func check(_ poly: [Double], _ h: Int, _ w: Int, counts: [UInt32]? = nil, string: String? = nil,
                   area: Int, bbox: [Double], countsEven: Bool? = nil) throws {
            let rle = try RLE(polygons: [poly], height: h, width: w)
            if let counts { #expect(rle.counts == counts, "\(poly)") }
            if let string { #expect(rle.compressedString == string, "\(poly)") }
            #expect(rle.area == area, "\(poly)")
            #expect(rle.boundingBox.array == bbox, "\(poly)")
            if let countsEven { #expect((rle.counts.count % 2 == 0) == countsEven) }
        }
        try check([0, 0, 10, 0, 10, 10, 0, 10], 20, 20, string: "0::00000000000000000X6", area: 100, bbox: [0, 0, 10, 10])
        try check([0.5, 0.5, 9.5, 0.5, 9.5, 9.5, 0.5, 9.5], 20, 20, string: "e09;000000000000000W6", area: 81,
                  bbox: [1, 1, 9, 9])
        try check([2.3, 1.7, 7.6, 1.7, 7.6, 5.2, 2.3, 5.2], 8, 10, string: "b035000000000>", area: 18, bbox: [2, 2, 6, 3])
        try check([1, 1, 8, 1, 1, 8], 10, 10, counts: [11, 6, 4, 5, 5, 4, 6, 3, 7, 2, 8, 1, 38],
                  string: ";64O1O1O1O1On0", area: 21, bbox: [1, 1, 6, 6])
        try check([-5, -5, 5, -5, 5, 5, -5, 5], 10, 10, string: "0550000000b1", area: 25, bbox: [0, 0, 5, 5])
        try check([5, 5, 15, 5, 15, 15, 5, 15], 10, 10, string: "g1550000000", area: 25, bbox: [5, 5, 5, 5],
                  countsEven: true)
    }

    @Test("frBbox [1,2,3,4] on 10x10") func box() throws {
        let rle = try RLE(box: BoundingBox(x: 1, y: 2, width: 3, height: 4), height: 10, width: 10)
        #expect(rle.counts == [12, 4, 6, 4, 6, 4, 64])
        #expect(rle.compressedString == "<46000j1")
    }

    @Test("toBbox column-wrap rule and odd-m truncation") func bboxQuirks() {
        // A run from (x=0,y=3) to (x=1,y=1) on h=4: wraps a column boundary → full height.
        #expect(RLE(height: 4, width: 2, counts: [3, 3, 2]).boundingBox.array == [0, 0, 2, 4])
        // Odd m: the trailing background count is ignored; even m with a final foreground run is used.
        #expect(RLE(height: 4, width: 2, counts: [5, 3]).boundingBox.array == [1, 1, 1, 3])
        #expect(RLE(height: 4, width: 2, counts: [8]).boundingBox.array == [0, 0, 0, 0])
    }
}
