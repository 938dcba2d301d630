import CocoConvertCore
@testable import CocoConvertDeflate
@testable import CocoConvertPNG
import Foundation
import Testing

/// The label-map deflate encoder: every output must inflate (libpng's zlib) to exactly the input.
@Suite("Label-map deflate encoder")
struct LabelMapDeflateTests {
    /// The plain definition of Adler-32 (RFC 1950 §8).
    static func referenceAdler(_ bytes: [UInt8]) -> UInt32 {
        var a: UInt32 = 1, b: UInt32 = 0
        for v in bytes {
            a = (a + UInt32(v)) % 65521
            b = (b + a) % 65521
        }
        return b << 16 | a
    }

    /// Checks the scanlines the encoder compresses: bytes, checksum and row flags, from first principles.
    func checkScanlines(_ map: LabelMap, _ what: String) throws {
        let sixteen = map.maxValue > 255
        let s = try map.pixels.withUnsafeBufferPointer {
            try FilteredScanlines(samples: $0, width: map.width, height: map.height, sixteenBit: sixteen)
        }
        var expected: [UInt8] = []
        for y in 0..<map.height {
            expected.append(0)
            for x in 0..<map.width {
                let v = map[x, y]
                if sixteen { expected.append(UInt8(v >> 8)) }
                expected.append(UInt8(truncatingIfNeeded: v))
            }
        }
        #expect(s.bytes == expected, "\(what): scanline bytes")
        #expect(s.adler == Self.referenceAdler(expected), "\(what): Adler-32")
        for y in 0..<map.height {
            let row = map.pixels[(y * map.width)..<((y + 1) * map.width)]
            let same = y > 0 && Array(row) == Array(map.pixels[((y - 1) * map.width)..<(y * map.width)])
            let uniform = row.allSatisfy { $0 == row.first }
            #expect((s.rowFlags[y] & FilteredScanlines.identicalToAbove != 0) == same, "\(what): row \(y) repeat flag")
            #expect((s.rowFlags[y] & FilteredScanlines.uniform != 0) == uniform, "\(what): row \(y) uniform flag")
        }
    }

    /// Encodes with the label-map engine, decodes with libpng, compares; returns the PNG.
    @discardableResult
    func roundTrip(_ map: LabelMap, palette: [RGB]? = nil, _ what: String = "") throws -> [UInt8] {
        if map.pixels.count <= 200_000 { try checkScanlines(map, what) }
        let png = try PNGEncoder.encode(labelMap: map, palette: palette, compression: .labelMap)
        let back = try PNGDecoder.decode(png)
        #expect(back.width == map.width && back.height == map.height, "\(what)")
        #expect(back.bitDepth == (map.maxValue > 255 ? 16 : 8), "\(what)")
        #expect(back.samples == map.pixels, "\(what): pixels differ after a round trip")
        return png
    }

    /// A map of `width × height` with values from `value(x, y)`.
    func map(_ width: Int, _ height: Int, _ value: (Int, Int) -> UInt16) -> LabelMap {
        var pixels = [UInt16](repeating: 0, count: width * height)
        for y in 0..<height { for x in 0..<width { pixels[y * width + x] = value(x, y) } }
        return LabelMap(width: width, height: height, pixels: pixels)
    }

    /// Paints `count` random rectangles (values 1...maxValue) on a zero map: what label maps look like.
    func rectangles(_ width: Int, _ height: Int, count: Int, maxValue: UInt16, rng: inout SplitMix64) -> LabelMap {
        var m = LabelMap(width: width, height: height)
        for _ in 0..<count {
            let x0 = Int.random(in: 0..<width, using: &rng), y0 = Int.random(in: 0..<height, using: &rng)
            let x1 = Int.random(in: x0...min(width - 1, x0 + width / 2), using: &rng)
            let y1 = Int.random(in: y0...min(height - 1, y0 + height / 2), using: &rng)
            let v = UInt16.random(in: 1...maxValue, using: &rng)
            for y in y0...y1 { for x in x0...x1 { m[x, y] = v } }
        }
        return m
    }

    @Test("every oracle label map re-encodes and decodes to the same pixels (8-bit and 16-bit)")
    func oracleMaps() throws {
        let files = try TestData.oraclePNGs()
        #expect(files.count == 102)
        var ours = 0, zlibRLE = 0
        for (_, url) in files {
            let decoded = try PNGDecoder.decode(file: url.path)
            let map = LabelMap(width: decoded.width, height: decoded.height, pixels: decoded.samples)
            ours += try roundTrip(map, url.lastPathComponent).count
            zlibRLE += try PNGEncoder.encode(labelMap: map, palette: nil, compression: .zlibRLE).count
            try roundTrip(map, palette: Palette.voc, url.lastPathComponent + " (palette)")
            // Shifted above 255: a 16-bit map with the same shapes.
            let wide = LabelMap(width: map.width, height: map.height, pixels: map.pixels.map { $0 == 0 ? 0 : $0 &+ 300 })
            try roundTrip(wide, url.lastPathComponent + " (16-bit)")
        }
        // The encoder's reason to exist besides speed: no bigger than zlib's run-length strategy.
        #expect(ours <= zlibRLE, "label-map encoder \(ours) bytes vs zlib Z_RLE \(zlibRLE) bytes")
    }

    @Test("PNGEncoder's default is the label-map engine")
    func defaultEngine() throws {
        #expect(PNGCompression.labelMapDefault.engine == .labelMap)
        let m = map(40, 30) { x, y in UInt16((x / 10 + y / 10) % 3) }
        #expect(try PNGEncoder.encode(labelMap: m, palette: nil) == PNGEncoder.encode(labelMap: m, palette: nil, compression: .labelMap))
    }

    @Test("shapes: constant, stripes, noise, 1×N, N×1, 1×1, 16-bit values above 255")
    func shapes() throws {
        var rng = SplitMix64(seed: 7)
        try roundTrip(LabelMap(width: 1, height: 1), "1×1 zero")
        try roundTrip(LabelMap(width: 1, height: 1, filledWith: 200), "1×1")
        try roundTrip(LabelMap(width: 1, height: 1, filledWith: 4000), "1×1 16-bit")
        try roundTrip(LabelMap(width: 640, height: 480, filledWith: 0), "constant 0")
        try roundTrip(LabelMap(width: 640, height: 480, filledWith: 255), "constant 255")
        try roundTrip(LabelMap(width: 333, height: 77, filledWith: 65535), "constant 65535")
        try roundTrip(map(1, 1000) { _, y in UInt16(y / 7 % 5) }, "1×1000")
        try roundTrip(map(1000, 1) { x, _ in UInt16(x / 7 % 5) }, "1000×1")
        try roundTrip(map(1, 300) { _, _ in UInt16.random(in: 0...255, using: &rng) }, "width 1 noise")
        try roundTrip(map(300, 1) { _, _ in UInt16.random(in: 0...1, using: &rng) }, "height 1 noise")
        try roundTrip(map(97, 61) { x, _ in UInt16(x % 2) }, "vertical stripes 1 px")
        try roundTrip(map(97, 61) { _, y in UInt16(y % 3) }, "horizontal stripes")
        try roundTrip(map(97, 61) { x, y in UInt16((x + y) % 7) }, "diagonals")
        try roundTrip(map(257, 255) { _, _ in UInt16.random(in: 0...255, using: &rng) }, "8-bit noise")
        try roundTrip(map(123, 45) { _, _ in UInt16.random(in: 0...65535, using: &rng) }, "16-bit noise")
        try roundTrip(map(200, 100) { x, y in UInt16(256 + (x / 13) * 7 + y / 9) }, "16-bit blocks")
        try roundTrip(map(200, 100) { x, _ in x < 100 ? 0x0101 : 0x0202 }, "16-bit, equal high and low bytes")
        try roundTrip(map(64, 64) { x, y in x == y ? 300 : 0 }, "16-bit diagonal line")
    }

    @Test("row lengths around the deflate limits: 258-byte matches, 32 KiB window")
    func wideRows() throws {
        var rng = SplitMix64(seed: 11)
        for width in [2, 3, 4, 255, 256, 257, 258, 259, 260, 516, 517, 32767, 32768, 32769, 40000] {
            try roundTrip(map(width, 3) { x, y in x < width / 2 ? UInt16(y) : 9 }, "width \(width), halves")
            try roundTrip(map(width, 4) { _, _ in 5 }, "width \(width), constant")
            try roundTrip(rectangles(width, 5, count: 4, maxValue: 20, rng: &rng), "width \(width), rectangles")
        }
        // 16-bit rows longer than 32 KiB: the row above is out of the window.
        try roundTrip(map(16500, 3) { x, y in UInt16(300 + (x / 1000 + y) % 4) }, "16-bit, 33 001-byte rows")
    }

    @Test("runs of exactly 1, 2, 3, 4, 257, 258, 259, 260, 261, 516 bytes; identical and near-identical rows")
    func runLengths() throws {
        for run in [1, 2, 3, 4, 257, 258, 259, 260, 261, 516] {
            // alternate runs of `run` pixels of 1 and 2 after a single 0.
            let width = 3 * run + 5
            try roundTrip(map(width, 4) { x, y in x == 0 ? 0 : UInt16(((x - 1) / run) % 2 + 1 + (y == 2 ? 1 : 0)) }, "run \(run)")
            try roundTrip(map(width, 3) { x, _ in x < run ? 7 : 0 }, "leading run \(run)")
        }
        // Rows identical to the one above, then one differing pixel, then identical again.
        try roundTrip(map(300, 50) { x, y in y == 25 && x == 150 ? 3 : UInt16(x / 30) }, "one odd pixel")
        try roundTrip(map(300, 50) { x, _ in UInt16(x / 30) }, "all rows identical")
        try roundTrip(map(2, 600) { x, _ in UInt16(x) }, "2-pixel rows identical")
    }

    @Test("random label maps: rectangles, sizes, value ranges (seeded)")
    func randomMaps() throws {
        var rng = SplitMix64(seed: 2024)
        for i in 0..<60 {
            let width = Int.random(in: 1...700, using: &rng)
            let height = Int.random(in: 1...300, using: &rng)
            let maxValue: UInt16 = i % 4 == 0 ? 2000 : (i % 4 == 1 ? 255 : 91)
            var m = rectangles(width, height, count: Int.random(in: 0...40, using: &rng), maxValue: maxValue, rng: &rng)
            if i % 5 == 0 {   // sprinkle noise
                for _ in 0..<(width * height / 50) {
                    let p = Int.random(in: 0..<(width * height), using: &rng)
                    m.pixels[p] = UInt16.random(in: 0...maxValue, using: &rng)
                }
                m.maxValue = m.computeMaxValue()
            }
            try roundTrip(m, palette: i % 3 == 0 ? Palette.voc : nil, "random map \(i) \(width)×\(height)")
        }
    }

    @Test("gray and RGB helpers through the label-map engine")
    func helpers() throws {
        var rng = SplitMix64(seed: 5)
        let gray = (0..<(90 * 40)).map { i in UInt8((i / 90) % 4 == 0 ? 1 : 0) }
        let g = try PNGDecoder.decode(try PNGEncoder.encodeGray8(width: 90, height: 40, pixels: gray, compression: .labelMap))
        #expect(g.samples == gray.map(UInt16.init))
        var rgb = [UInt8](repeating: 0, count: 70 * 50 * 3)
        for i in stride(from: 0, to: rgb.count, by: 3) where (i / 3) % 70 > 30 {
            rgb[i] = 200; rgb[i + 1] = 3; rgb[i + 2] = UInt8((i / 210) % 2)
        }
        for i in 0..<100 { rgb[Int.random(in: 0..<rgb.count, using: &rng)] = UInt8(i) }
        let c = try PNGDecoder.decode(try PNGEncoder.encodeRGB8(width: 70, height: 50, pixels: rgb, compression: .labelMap))
        #expect(c.colorType == .rgb && c.samples == rgb.map(UInt16.init))
        #expect(throws: ConversionError.self) { try PNGEncoder.encodeGray8(width: 3, height: 3, pixels: [1, 2], compression: .labelMap) }
    }

    @Test("a stale maxValue is an error, not a truncated value")
    func staleMaxValue() throws {
        var m = LabelMap(width: 3, height: 2, pixels: [1, 2, 3, 4, 256, 0])
        m.maxValue = 4
        #expect(throws: ConversionError.self) { try PNGEncoder.encode(labelMap: m, palette: nil, compression: .labelMap) }
    }

    @Test("stored, fixed and dynamic blocks all occur and all inflate; multi-block streams")
    func blockTypes() throws {
        var rng = SplitMix64(seed: 99)
        // BTYPE of the first block is bits 1-2 of the byte after the 2-byte zlib header.
        func firstBlockType(_ m: LabelMap) throws -> UInt8 {
            let s = try m.pixels.withUnsafeBufferPointer {
                try FilteredScanlines(samples: $0, width: m.width, height: m.height, sixteenBit: m.maxValue > 255)
            }
            let z = s.zlibStream()
            return (z[2] >> 1) & 3
        }
        let noise = map(300, 300) { _, _ in UInt16.random(in: 0...255, using: &rng) }   // 90 300 bytes, > 1 block
        #expect(try firstBlockType(noise) == 0)
        try roundTrip(noise, "noise, stored blocks")
        let tiny = map(3, 2) { x, _ in UInt16(x) }
        #expect(try firstBlockType(tiny) == 1)
        try roundTrip(tiny, "tiny, fixed block")
        let labels = rectangles(640, 480, count: 12, maxValue: 80, rng: &rng)
        #expect(try firstBlockType(labels) == 2)
        try roundTrip(labels, "label map, dynamic block")
        // Half noise, half label map: a stream mixing block types.
        var mixed = labels
        for i in 0..<(640 * 240) { mixed.pixels[i] = UInt16.random(in: 0...80, using: &rng) }
        try roundTrip(mixed, "mixed blocks")
        // Many symbols in a compressible map: 2-pixel stripes give a symbol every 2 bytes.
        try roundTrip(map(1000, 200) { x, y in UInt16((x / 2 + y) % 3) }, "many dynamic blocks")
    }

    @Test("Adler-32 segments combine to zlib's checksum")
    func adler() {
        var rng = SplitMix64(seed: 3)
        let bytes = (0..<20000).map { _ in UInt8.random(in: 0...255, using: &rng) }
        // Reference: the plain definition.
        var a: UInt32 = 1, b: UInt32 = 0
        for v in bytes { a = (a + UInt32(v)) % 65521; b = (b + a) % 65521 }
        let reference = b << 16 | a
        bytes.withUnsafeBufferPointer { all in
            var whole = Adler32()
            whole.append(all)
            #expect(whole.value == reference)
            for cuts in [[0, 1, 33, 5536, 5537, 11000, 20000], [0, 20000], [0, 31, 32, 64, 19999, 20000]] {
                var pieces = Adler32()
                for (from, to) in zip(cuts, cuts.dropFirst()) { pieces.append(UnsafeBufferPointer(rebasing: all[from..<to])) }
                #expect(pieces.value == reference)
            }
        }
        // All 0xFF: the largest sums, checks the deferred modulo.
        let ff = [UInt8](repeating: 255, count: 100_000)
        var a2: UInt32 = 1, b2: UInt32 = 0
        for v in ff { a2 = (a2 + UInt32(v)) % 65521; b2 = (b2 + a2) % 65521 }
        ff.withUnsafeBufferPointer { p in
            var s = Adler32()
            s.append(p)
            #expect(s.value == b2 << 16 | a2)
        }
        // Closed form of uniform rows against the bytes themselves.
        for pixels in [1, 2, 3, 100, 5552, 70000] {
            for (value, bpp) in [(UInt16(0), 1), (7, 1), (255, 1), (300, 2), (0xFFFF, 2), (0x0100, 2), (0x00FF, 2)] {
                var row: [UInt8] = [0]
                for _ in 0..<pixels {
                    if bpp == 2 { row.append(UInt8(value >> 8)) }
                    row.append(UInt8(truncatingIfNeeded: value))
                }
                let direct = row.withUnsafeBufferPointer { Adler32.segment($0) }
                #expect(Adler32.uniformRow(value: value, pixels: pixels, bytesPerPixel: bpp) == direct,
                        "uniform row of \(pixels) × \(value), \(bpp) bytes per pixel")
            }
        }
        // Known value: adler32("Wikipedia") = 0x11E60398.
        Array("Wikipedia".utf8).withUnsafeBufferPointer { p in
            var s = Adler32()
            s.append(p)
            #expect(s.value == 0x11E6_0398)
        }
    }

    @Test("Huffman lengths obey the limit and Kraft's equality")
    func huffman() {
        var builder = HuffmanCodeBuilder()
        var rng = SplitMix64(seed: 17)
        // Fibonacci frequencies force depths beyond 15 without a limit.
        var fib: [UInt32] = [1, 1]
        while fib.count < 30 { fib.append(fib[fib.count - 1] + fib[fib.count - 2]) }
        let cases: [([UInt32], Int)] = [
            (fib, 15), (fib, 7), (Array(fib.prefix(19)), 7), ([5, 0, 0, 9], 15), ([1, 1], 7),
            ((0..<286).map { _ in UInt32.random(in: 0...1000, using: &rng) }, 15),
            ((0..<286).map { i in i % 17 == 0 ? 100_000 : UInt32(i % 3) }, 15),
        ]
        for (frequencies, limit) in cases {
            var lengths = [UInt8](repeating: 0, count: frequencies.count)
            frequencies.withUnsafeBufferPointer { f in
                lengths.withUnsafeMutableBufferPointer { builder.lengths(frequencies: f, limit: limit, into: $0) }
            }
            var kraft = 0.0
            for (f, l) in zip(frequencies, lengths) {
                #expect((f == 0) == (l == 0))
                #expect(Int(l) <= limit)
                if l > 0 { kraft += 1.0 / Double(1 << Int(l)) }
            }
            #expect(kraft == 1.0, "lengths \(lengths) for limit \(limit)")
        }
    }
}
