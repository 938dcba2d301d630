import Testing
@testable import CocoConvertCore

/// Seeded random masks (including 1×N and N×1) checked against dense, obviously-correct models.
@Suite("RLE properties")
struct RLEPropertyTests {
    static func randomSize(_ rng: inout SeededRNG) -> (Int, Int) {
        switch Int.random(in: 0..<6, using: &rng) {
        case 0: return (1, Int.random(in: 1...40, using: &rng))
        case 1: return (Int.random(in: 1...40, using: &rng), 1)
        default: return (Int.random(in: 1...33, using: &rng), Int.random(in: 1...33, using: &rng))
        }
    }

    @Test("dense encode/decode, string round trip, area, bbox", arguments: [1, 2, 3, 4] as [UInt64])
    func roundTrips(seed: UInt64) throws {
        var rng = SeededRNG(seed: seed)
        for _ in 0..<300 {
            let (h, w) = Self.randomSize(&rng)
            let mask = Dense.randomMask(height: h, width: w, rng: &rng)
            let rle = RLE(encodingColumnMajor: mask, height: h, width: w)
            #expect(rle.decodeColumnMajor() == mask)
            #expect(try RLE(compressed: rle.compressedString, height: h, width: w) == rle)
            #expect(try rle.validated() == rle)
            #expect(rle.area == mask.reduce(0) { $0 + Int($1) })
            // Canonical: no zero runs except a leading one.
            #expect(!rle.counts.dropFirst().contains(0))
            // toBbox equals the dense box unless a run wraps a column (then y spans the full height).
            var dense = Dense.boundingBox(mask, height: h, width: w)
            var wraps = false
            rle.forEachRun { start, length in if start / h != (start + length - 1) / h { wraps = true } }
            if wraps { dense[1] = 0; dense[3] = Double(h) }
            #expect(rle.boundingBox.array == dense)
            // forEachRun covers exactly the set pixels.
            var covered = [UInt8](repeating: 0, count: h * w)
            rle.forEachRun { start, length in for i in start..<(start + length) { covered[i] = 1 } }
            #expect(covered == mask.map { $0 != 0 ? 1 : 0 })
        }
    }

    @Test("row stream and row encoder agree with the transposed dense mask", arguments: [5, 6, 7] as [UInt64])
    func rows(seed: UInt64) throws {
        var rng = SeededRNG(seed: seed)
        for _ in 0..<250 {
            let (h, w) = Self.randomSize(&rng)
            let mask = Dense.randomMask(height: h, width: w, rng: &rng)
            let rowMajor = Dense.transpose(mask, height: h, width: w)
            let rle = RLE(encodingColumnMajor: mask, height: h, width: w)

            // RLE → rows
            var stream = RLERowStream(rle)
            var streamed: [UInt8] = []
            var row = [UInt8](repeating: 9, count: w)
            while row.withUnsafeMutableBufferPointer({ stream.nextRow(into: $0) }) { streamed += row }
            #expect(streamed == rowMajor)

            // Painting and spans agree with the rows.
            var painter = RLERowStream(rle)
            var spans = RLERowStream(rle)
            for y in 0..<h {
                var labels = [UInt16](repeating: 3, count: w)
                let painted = labels.withUnsafeMutableBufferPointer { painter.paintNextRow($0, value: 7) }
                #expect(painted)
                let expected = (0..<w).map { rowMajor[y * w + $0] != 0 ? UInt16(7) : UInt16(3) }
                #expect(labels == expected)
                var fromSpans = [UInt8](repeating: 0, count: w)
                var lastEnd = -1
                var ordered = true
                let more = spans.nextRowSpans { s, e in
                    if !(s > lastEnd && s < e) { ordered = false }
                    lastEnd = e
                    for x in s..<e { fromSpans[x] = 1 }
                }
                #expect(more && ordered)
                #expect(fromSpans == Array(rowMajor[(y * w)..<((y + 1) * w)]))
            }
            // Painting the whole RLE into a dense row-major map.
            var map16 = [UInt16](repeating: 3, count: h * w)
            map16.withUnsafeMutableBufferPointer { rle.paint(into: $0, value: 7) }
            #expect(map16 == rowMajor.map { $0 != 0 ? 7 : 3 })
            var map32 = [UInt32](repeating: 3, count: h * w)
            map32.withUnsafeMutableBufferPointer { rle.paint(into: $0, value: 70000) }
            #expect(map32 == rowMajor.map { $0 != 0 ? 70000 : 3 })
            var map8 = [UInt8](repeating: 0, count: h * w)
            map8.withUnsafeMutableBufferPointer { rle.paint(into: $0, value: 1) }
            #expect(map8 == rowMajor)
            let exhausted = !painter.advance()
            #expect(exhausted)

            // rows → RLE (0/1 bytes, UInt16 and UInt32 labels)
            var encoder = RLERowEncoder(height: h, width: w)
            var encoder16 = RLERowEncoder(height: h, width: w)
            var encoder32 = RLERowEncoder(height: h, width: w)
            for y in 0..<h {
                let r = Array(rowMajor[(y * w)..<((y + 1) * w)])
                encoder.appendRow(r)
                let l16 = r.map { $0 != 0 ? UInt16(300) : UInt16(2) }
                l16.withUnsafeBufferPointer { encoder16.appendRow($0, equalTo: 300) }
                let l32 = r.map { $0 != 0 ? UInt32(70000) : UInt32(300) }
                l32.withUnsafeBufferPointer { encoder32.appendRow($0, equalTo: 70000) }
            }
            #expect(encoder.finish() == rle)
            #expect(encoder16.finish() == rle)
            #expect(encoder32.finish() == rle)
        }
    }

    @Test("label encoder: one RLE per value, equal to the per-value masks", arguments: [21, 22] as [UInt64])
    func labelEncoder(seed: UInt64) {
        var rng = SeededRNG(seed: seed)
        for _ in 0..<150 {
            let (h, w) = Self.randomSize(&rng)
            let k = UInt32.random(in: 1...5, using: &rng)
            // Blocky label maps (runs) mixed with noise.
            var labels = [UInt32](repeating: 0, count: h * w)
            var v = UInt32.random(in: 0..<k, using: &rng) * 1000
            for i in labels.indices {
                if Int.random(in: 0..<6, using: &rng) == 0 { v = UInt32.random(in: 0..<k, using: &rng) * 1000 }
                labels[i] = v
            }
            var encoder = RLELabelEncoder(height: h, width: w)
            var encoder16 = RLELabelEncoder(height: h, width: w)
            labels.withUnsafeBufferPointer { b in
                for y in 0..<h { encoder.appendRow(UnsafeBufferPointer(rebasing: b[(y * w)..<((y + 1) * w)])) }
            }
            let labels16 = labels.map { UInt16($0) }
            labels16.withUnsafeBufferPointer { b in
                for y in 0..<h { encoder16.appendRow(UnsafeBufferPointer(rebasing: b[(y * w)..<((y + 1) * w)])) }
            }
            var encoder8 = RLELabelEncoder(height: h, width: w)
            let labels8 = labels.map { UInt8($0 / 1000) }
            labels8.withUnsafeBufferPointer { b in
                for y in 0..<h { encoder8.appendRow(UnsafeBufferPointer(rebasing: b[(y * w)..<((y + 1) * w)])) }
            }
            let result = encoder.finish()
            let result16 = encoder16.finish()
            let result8 = encoder8.finish()
            #expect(result8.map(\.rle) == result.map(\.rle))
            let present = Array(Set(labels)).sorted()
            #expect(result.map(\.value) == present)
            #expect(result16.map(\.value) == present)
            let plane = LabelPlane(width: w, height: h, pixels: labels)
            for (i, (value, rle)) in result.enumerated() {
                let expected = RLE(labelPlane: plane, equalTo: value)
                #expect(rle == expected)
                #expect(result16[i].rle == expected)
            }
        }
        // Missing rows belong to no value.
        var partial = RLELabelEncoder(height: 3, width: 2)
        let row: [UInt32] = [4, 9]
        row.withUnsafeBufferPointer { partial.appendRow($0) }
        let parts = partial.finish()
        #expect(parts.map(\.value) == [4, 9])
        #expect(parts[0].rle == RLE(height: 3, width: 2, counts: [0, 1, 5]))
        #expect(parts[1].rle == RLE(height: 3, width: 2, counts: [3, 1, 2]))
    }

    @Test("row encoder: missing rows are background") func missingRows() {
        var encoder = RLERowEncoder(height: 4, width: 2)
        encoder.appendRow([1, 1])
        encoder.appendRow([0, 1])
        #expect(encoder.finish() == RLE(encodingColumnMajor: [1, 0, 0, 0, 1, 1, 0, 0], height: 4, width: 2))
    }

    @Test("merge laws against dense OR/AND", arguments: [11, 12] as [UInt64])
    func merge(seed: UInt64) {
        var rng = SeededRNG(seed: seed)
        for _ in 0..<300 {
            let (h, w) = Self.randomSize(&rng)
            let k = Int.random(in: 2...4, using: &rng)
            let masks = (0..<k).map { _ in Dense.randomMask(height: h, width: w, rng: &rng) }
            let rles = masks.map { RLE(encodingColumnMajor: $0, height: h, width: w) }
            var or = [UInt8](repeating: 0, count: h * w), and = [UInt8](repeating: 1, count: h * w)
            for m in masks { for i in m.indices { or[i] |= m[i]; and[i] &= m[i] } }
            let union = RLE.merge(rles, intersect: false)
            let intersection = RLE.merge(rles, intersect: true)
            #expect(union == RLE(encodingColumnMajor: or, height: h, width: w))
            #expect(intersection == RLE(encodingColumnMajor: and, height: h, width: w))
            #expect(RLE.merge(rles.reversed(), intersect: false) == union)
            #expect(RLE.merge(rles.reversed(), intersect: true) == intersection)
            #expect(RLE.merge([rles[0], rles[0]]) == rles[0])
            // IoU of two masks from the dense counts.
            let i2 = zip(masks[0], masks[1]).filter { $0 != 0 && $1 != 0 }.count
            let u2 = zip(masks[0], masks[1]).filter { $0 != 0 || $1 != 0 }.count
            let iou = RLE.iou(rles[0], rles[1])
            if i2 == 0 { #expect(iou == 0) } else {
                // pycocotools may return 0 when the boxes do not overlap; otherwise the exact ratio.
                #expect(iou == Double(i2) / Double(u2))
            }
        }
    }

    @Test("labelValue geometry selects the plane's pixels equal to the value") func labelValue() throws {
        var rng = SeededRNG(seed: 99)
        for _ in 0..<100 {
            let (h, w) = Self.randomSize(&rng)
            let pixels = (0..<(h * w)).map { _ in UInt32.random(in: 0...3, using: &rng) }
            let plane = LabelPlane(width: w, height: h, pixels: pixels)
            let value = UInt32.random(in: 0...3, using: &rng)
            var columnMajor = [UInt8](repeating: 0, count: h * w)
            for y in 0..<h { for x in 0..<w where pixels[y * w + x] == value { columnMajor[x * h + y] = 1 } }
            #expect(try Geometry.labelValue(plane, value).rle(height: h, width: w)
                    == RLE(encodingColumnMajor: columnMajor, height: h, width: w))
        }
        #expect(try Geometry.none.rle(height: 3, width: 5) == RLE(height: 3, width: 5, counts: [15]))
    }
}
