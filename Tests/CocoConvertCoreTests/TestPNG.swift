/// A minimal PNG reader for tests only (8-bit RGB, non-interlaced): enough to read the panoptic id PNG
/// of the shared test data without a dependency from the Core tests on libpng.
enum TestPNG {
    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ s: String) { description = s }
    }

    struct Image {
        var width: Int
        var height: Int
        var rgb: [UInt8]
    }

    static func decodeRGB8(_ bytes: [UInt8]) throws -> Image {
        guard bytes.count > 8, Array(bytes[0..<8]) == [137, 80, 78, 71, 13, 10, 26, 10] else { throw Failure("not a PNG") }
        var p = 8
        var width = 0, height = 0
        var idat: [UInt8] = []
        func be32(_ i: Int) -> Int { Int(bytes[i]) << 24 | Int(bytes[i + 1]) << 16 | Int(bytes[i + 2]) << 8 | Int(bytes[i + 3]) }
        while p + 8 <= bytes.count {
            let length = be32(p)
            let type = String(decoding: bytes[(p + 4)..<(p + 8)], as: UTF8.self)
            guard p + 12 + length <= bytes.count else { throw Failure("truncated chunk") }
            let data = Array(bytes[(p + 8)..<(p + 8 + length)])
            if type == "IHDR" {
                width = Int(data[0]) << 24 | Int(data[1]) << 16 | Int(data[2]) << 8 | Int(data[3])
                height = Int(data[4]) << 24 | Int(data[5]) << 16 | Int(data[6]) << 8 | Int(data[7])
                guard data[8] == 8, data[9] == 2, data[12] == 0 else { throw Failure("only 8-bit RGB, non-interlaced") }
            } else if type == "IDAT" {
                idat += data
            } else if type == "IEND" {
                break
            }
            p += 12 + length
        }
        let raw = try Inflate.zlib(idat)
        let stride = width * 3
        guard raw.count == height * (stride + 1) else { throw Failure("bad image data size") }
        var out = [UInt8](repeating: 0, count: height * stride)
        for y in 0..<height {
            let filter = raw[y * (stride + 1)]
            let src = y * (stride + 1) + 1
            for i in 0..<stride {
                let x = raw[src + i]
                let a = i >= 3 ? Int(out[y * stride + i - 3]) : 0
                let b = y > 0 ? Int(out[(y - 1) * stride + i]) : 0
                let c = (i >= 3 && y > 0) ? Int(out[(y - 1) * stride + i - 3]) : 0
                let predictor: Int
                switch filter {
                case 0: predictor = 0
                case 1: predictor = a
                case 2: predictor = b
                case 3: predictor = (a + b) / 2
                case 4:
                    let pp = a + b - c
                    let pa = abs(pp - a), pb = abs(pp - b), pc = abs(pp - c)
                    predictor = (pa <= pb && pa <= pc) ? a : (pb <= pc ? b : c)
                default: throw Failure("bad filter \(filter)")
                }
                out[y * stride + i] = x &+ UInt8(truncatingIfNeeded: predictor)
            }
        }
        return Image(width: width, height: height, rgb: out)
    }
}

/// RFC 1950/1951 decompression (stored, fixed and dynamic Huffman blocks), for tests.
enum Inflate {
    struct BitReader {
        let bytes: [UInt8]
        var position = 0
        var bit = 0
        mutating func bits(_ n: Int) throws -> Int {
            var value = 0
            for i in 0..<n {
                guard position < bytes.count else { throw TestPNG.Failure("inflate: out of data") }
                value |= Int((bytes[position] >> UInt8(bit)) & 1) << i
                bit += 1
                if bit == 8 { bit = 0; position += 1 }
            }
            return value
        }
    }

    /// Canonical Huffman table: counts per length and symbols ordered by code.
    struct Huffman {
        var counts = [Int](repeating: 0, count: 16)
        var symbols: [Int] = []
        init(lengths: [Int]) {
            for l in lengths { counts[l] += 1 }
            counts[0] = 0
            var offsets = [Int](repeating: 0, count: 16)
            for l in 1..<16 { offsets[l] = offsets[l - 1] + counts[l - 1] }
            symbols = [Int](repeating: 0, count: lengths.count)
            for (s, l) in lengths.enumerated() where l != 0 {
                symbols[offsets[l]] = s
                offsets[l] += 1
            }
        }
        func decode(_ r: inout BitReader) throws -> Int {
            var code = 0, first = 0, index = 0
            for l in 1..<16 {
                code |= try r.bits(1)
                let count = counts[l]
                if code - first < count { return symbols[index + code - first] }
                index += count
                first = (first + count) << 1
                code <<= 1
            }
            throw TestPNG.Failure("inflate: bad code")
        }
    }

    static let lengthBase = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115,
                             131, 163, 195, 227, 258]
    static let lengthExtra = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
    static let distBase = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537,
                           2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577]
    static let distExtra = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13]

    static func zlib(_ data: [UInt8]) throws -> [UInt8] {
        guard data.count >= 2 else { throw TestPNG.Failure("zlib: short") }
        var r = BitReader(bytes: data, position: 2)
        var out: [UInt8] = []
        var last = 0
        repeat {
            last = try r.bits(1)
            let type = try r.bits(2)
            switch type {
            case 0:
                if r.bit != 0 { r.bit = 0; r.position += 1 }
                guard r.position + 4 <= data.count else { throw TestPNG.Failure("inflate: stored") }
                let len = Int(data[r.position]) | Int(data[r.position + 1]) << 8
                r.position += 4
                guard r.position + len <= data.count else { throw TestPNG.Failure("inflate: stored") }
                out += data[r.position..<(r.position + len)]
                r.position += len
            case 1:
                var lengths = [Int](repeating: 8, count: 288)
                for i in 144..<256 { lengths[i] = 9 }
                for i in 256..<280 { lengths[i] = 7 }
                try inflateBlock(&r, &out, Huffman(lengths: lengths), Huffman(lengths: [Int](repeating: 5, count: 30)))
            case 2:
                let hlit = try r.bits(5) + 257, hdist = try r.bits(5) + 1, hclen = try r.bits(4) + 4
                let order = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]
                var codeLengths = [Int](repeating: 0, count: 19)
                for i in 0..<hclen { codeLengths[order[i]] = try r.bits(3) }
                let codeTable = Huffman(lengths: codeLengths)
                var lengths: [Int] = []
                while lengths.count < hlit + hdist {
                    let sym = try codeTable.decode(&r)
                    switch sym {
                    case 0..<16: lengths.append(sym)
                    case 16:
                        guard let prev = lengths.last else { throw TestPNG.Failure("inflate: repeat") }
                        lengths += [Int](repeating: prev, count: 3 + (try r.bits(2)))
                    case 17: lengths += [Int](repeating: 0, count: 3 + (try r.bits(3)))
                    default: lengths += [Int](repeating: 0, count: 11 + (try r.bits(7)))
                    }
                }
                try inflateBlock(&r, &out, Huffman(lengths: Array(lengths[0..<hlit])),
                                 Huffman(lengths: Array(lengths[hlit..<(hlit + hdist)])))
            default:
                throw TestPNG.Failure("inflate: bad block type")
            }
        } while last == 0
        return out
    }

    static func inflateBlock(_ r: inout BitReader, _ out: inout [UInt8], _ lit: Huffman, _ dist: Huffman) throws {
        while true {
            let sym = try lit.decode(&r)
            if sym < 256 {
                out.append(UInt8(sym))
            } else if sym == 256 {
                return
            } else {
                let li = sym - 257
                guard li < 29 else { throw TestPNG.Failure("inflate: bad length") }
                let length = lengthBase[li] + (try r.bits(lengthExtra[li]))
                let di = try dist.decode(&r)
                guard di < 30 else { throw TestPNG.Failure("inflate: bad distance") }
                let distance = distBase[di] + (try r.bits(distExtra[di]))
                guard distance <= out.count else { throw TestPNG.Failure("inflate: distance too far") }
                let start = out.count - distance
                for i in 0..<length { out.append(out[start + i]) }
            }
        }
    }
}
