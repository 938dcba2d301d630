import Testing
@testable import CocoConvertCore

/// Bad input must throw a ConversionError, never trap or hang.
@Suite("RLE hostile input")
struct RLEHostileInputTests {
    static func code(_ body: () throws -> Void) -> ConversionError.Code? {
        do { try body() } catch let error as ConversionError { return error.code } catch { return nil }
        return nil
    }

    @Test("bad compressed strings") func strings() throws {
        let bad: [(String, Int, Int)] = [
            ("", 4, 4),                       // empty string, non-empty mask
            ("ooooooooooooo", 4, 4),          // a number that never ends / overflows
            ("oooooooooooo0", 4, 4),          // 13-character number
            ("0000000000000000000", 4, 4),    // sums to 0
            ("231N", 7, 2),                   // sums to 7, not 14
            ("8", 4, 4),                      // 8 ≠ 16
            ("T3 ", 10, 10),                  // space outside alphabet
            ("T3p", 10, 10),                  // 'p' = 112 outside alphabet
            ("/", 1, 1),                      // '/' = 47
            ("\u{00e9}", 1, 1),               // non-ASCII
            ("O", 1, 1),                      // negative first count (−1)
            ("3:d0KK", 38, 1),                // delta makes a count negative
            ("kYS6", 1, 1),                   // 200000 ≠ 1
            ("00000000Q", 10, 10),            // too long trailing continuation: ends with continuation bit
            ("P", 1, 1),                      // continuation bit on the last character
            ("0ooooooooooO", 8, 8),           // huge positive (2^55-ish) > UInt32.max
        ]
        for (s, h, w) in bad {
            #expect(Self.code { _ = try RLE(compressed: s, height: h, width: w) } == .invalidMask, "\(s)")
        }
        // A count of exactly UInt32.max decodes (syntax) but exceeds any allowed size.
        let max = RLE(height: 1, width: 1, counts: [UInt32.max]).compressedString
        #expect(try RLE.decodeCompressedCounts(max) == [UInt32.max])
        #expect(Self.code { _ = try RLE(compressed: max, height: 1, width: 1) } == .invalidMask)
    }

    @Test("counts ≥ 2^31 round-trip through the string") func bigCounts() throws {
        let counts: [UInt32] = [0, 1 << 31, 3, UInt32.max - (1 << 31) - 3]
        let rle = RLE(height: 1, width: 1, counts: counts)
        #expect(try RLE.decodeCompressedCounts(rle.compressedString) == counts)
    }

    @Test("bad sizes") func sizes() {
        #expect(Self.code { _ = try RLE(compressed: "", height: 0, width: 0) } == .invalidMask)
        #expect(Self.code { _ = try RLE(compressed: "0", height: -1, width: 5) } == .invalidMask)
        #expect(Self.code { _ = try RLE(compressed: "0", height: 5, width: 0) } == .invalidMask)
        #expect(Self.code { _ = try RLE(compressed: "0", height: 100_000, width: 100_000) } == .limitExceeded)
        #expect(Self.code { _ = try RLE(compressed: "0", height: Int.max, width: 3) } == .limitExceeded)
        #expect(Self.code { _ = try RLE(polygons: [[0, 0, 1, 0, 1, 1]], height: 0, width: 10) } == .invalidMask)
        let limits = Limits(maxPixels: 100)
        #expect(Self.code { _ = try RLE(polygons: [[0, 0, 1, 0, 1, 1]], height: 11, width: 10, limits: limits) }
                == .limitExceeded)
        #expect(Self.code { _ = try RLE(height: 20, width: 20, counts: [400]).validated(limits: limits) } == .limitExceeded)
        #expect(Self.code { _ = try RLE(height: 2, width: 2, counts: [3]).validated() } == .invalidMask)
        #expect(Self.code { _ = try RLE(height: 2, width: 2, counts: [UInt32.max, 5]).validated() } == .invalidMask)
        #expect(Self.code { _ = try Geometry.none.rle(height: -3, width: 2) } == .invalidMask)
    }

    @Test("bad polygons") func polygons() {
        let cases: [[[Double]]] = [
            [],                                   // no parts
            [[]],                                 // empty part
            [[1, 2, 3, 4]],                       // 2 points (pycocotools: read as a box)
            [[1, 2]],                             // 1 point
            [[1, 2, 3, 4, 5]],                    // odd count
            [[0, 0, 5, 0, 5, 5], [1, 1, 2, 2]],   // a degenerate second part
            [[0, 0, .nan, 0, 5, 5]],
            [[0, 0, .infinity, 0, 5, 5]],
            [[0, 0, 5, -.infinity, 5, 5]],
        ]
        for polygons in cases {
            #expect(Self.code { _ = try RLE(polygons: polygons, height: 10, width: 10) } == .invalidMask, "\(polygons)")
        }
        #expect(Self.code { _ = try RLE(box: BoundingBox(x: .nan, y: 0, width: 1, height: 1), height: 4, width: 4) }
                == .invalidMask)
        let limits = Limits(maxPolygonPoints: 3)
        #expect(Self.code { _ = try RLE(polygon: [0, 0, 1, 0, 1, 1, 0, 1], height: 4, width: 4, limits: limits) }
                == .limitExceeded)
    }

    @Test("huge coordinates are clamped, finish quickly and stay within the image") func hugePolygons() throws {
        let huge: [[Double]] = [
            [-1e300, -1e300, 1e300, -1e300, 1e300, 1e300, -1e300, 1e300],
            [-1e9, 5, 1e9, 5.5, 1e9, 6],
            [3, -1e12, 3.5, 1e12, 4, 1e12],
            [Double.greatestFiniteMagnitude, 0, 0, Double.greatestFiniteMagnitude, -Double.greatestFiniteMagnitude, 0],
        ]
        for polygon in huge {
            let rle = try RLE(polygons: [polygon], height: 480, width: 640)
            #expect(try rle.validated() == rle)
        }
        // A square covering everything far beyond the image is the full mask.
        #expect(try RLE(polygons: [huge[0]], height: 480, width: 640).area == 480 * 640)
    }

    @Test("Geometry size mismatches") func geometryMismatch() {
        let rle = RLE(height: 2, width: 2, counts: [4])
        #expect(Self.code { _ = try Geometry.rle(rle).rle(height: 2, width: 3) } == .sizeMismatch)
        #expect(Self.code { _ = try Geometry.compressedRLE(CompressedRLE(height: 2, width: 2, counts: "4"))
            .rle(height: 3, width: 2) } == .sizeMismatch)
        let plane = LabelPlane(width: 2, height: 2, pixels: [0, 1, 1, 0])
        #expect(Self.code { _ = try Geometry.labelValue(plane, 1).rle(height: 2, width: 1) } == .sizeMismatch)
    }

    @Test("invalid RLEs never trap in the kernels") func kernelsOnInvalid() {
        let invalid = [
            RLE(height: 3, width: 3, counts: []),
            RLE(height: 3, width: 3, counts: [0, 0, 0, 0]),
            RLE(height: 3, width: 3, counts: [4, 100]),
            RLE(height: 3, width: 3, counts: [UInt32.max, UInt32.max, UInt32.max]),
            RLE(height: -3, width: 3, counts: [1]),
            RLE(height: 0, width: 3, counts: [0]),
            RLE(height: 3, width: 0, counts: [0, 5]),
            RLE(height: 1 << 40, width: 1 << 20, counts: [1]),
            RLE(height: Int.max, width: Int.max, counts: [1]),
        ]
        for rle in invalid {
            _ = rle.area
            _ = rle.boundingBox
            _ = rle.compressedString
            _ = rle.decodeColumnMajor()
            _ = RLE.merge([rle, RLE(height: 3, width: 3, counts: [9])])
            _ = RLE.iou(rle, RLE(height: 3, width: 3, counts: [0, 9]))
            var stream = RLERowStream(rle)
            var row = [UInt8](repeating: 0, count: stream.width)
            var rows = 0
            while row.withUnsafeMutableBufferPointer({ stream.nextRow(into: $0) }) { rows += 1 }
            #expect(rows == (rle.height > 1 << 32 ? 0 : max(rle.height, 0)))
        }
    }
}
