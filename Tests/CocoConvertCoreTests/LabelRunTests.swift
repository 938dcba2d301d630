import Testing
@testable import CocoConvertCore

/// The run-based passes over label maps against pixel-by-pixel definitions.
@Suite struct LabelRunTests {
    /// Rows of runs with lengths around the 16-pixel block size, so block edges are crossed.
    static func randomMap(width: Int, height: Int, values: UInt16, seed: UInt64) -> LabelMap {
        var rng = SeededRNG(seed: seed)
        var pixels: [UInt16] = []
        pixels.reserveCapacity(width * height)
        while pixels.count < width * height {
            let value = UInt16(rng.next() % UInt64(values))
            let length = Int(rng.next() % 40)
            pixels += repeatElement(value, count: min(length, width * height - pixels.count))
        }
        return LabelMap(width: width, height: height, pixels: pixels)
    }

    @Test(arguments: [1, 15, 16, 17, 33, 640])
    func runEndMatchesAScalarScan(width: Int) {
        let map = Self.randomMap(width: width, height: 3, values: 3, seed: UInt64(width))
        map.pixels.withUnsafeBufferPointer { px in
            let base = px.baseAddress!
            for start in 0..<width {
                let value = px[start]
                var expected = start
                while expected < width && px[expected] == value { expected += 1 }
                #expect(LabelRun.end(in: base, from: start, to: width, value: value) == expected)
            }
        }
    }

    @Test func statisticsMatchAPixelByPixelCount() {
        var map = Self.randomMap(width: 97, height: 31, values: 300, seed: 7)
        // maxValue is only a hint: a stale, too-small one must not lose values.
        map.maxValue = 3
        var expected: [UInt16: (count: Int, minX: Int, maxX: Int, minY: Int, maxY: Int)] = [:]
        for y in 0..<map.height {
            for x in 0..<map.width {
                let v = map[x, y]
                var e = expected[v] ?? (0, .max, -1, .max, -1)
                e.count += 1
                e.minX = min(e.minX, x); e.maxX = max(e.maxX, x)
                e.minY = min(e.minY, y); e.maxY = max(e.maxY, y)
                expected[v] = e
            }
        }
        let stats = map.valueStatistics()
        #expect(stats.map(\.value) == expected.keys.sorted())
        for s in stats {
            let e = expected[s.value]!
            #expect(s.pixelCount == e.count)
            #expect(s.bbox == BoundingBox(x: Double(e.minX), y: Double(e.minY),
                                          width: Double(e.maxX - e.minX + 1), height: Double(e.maxY - e.minY + 1)))
        }
    }
}
