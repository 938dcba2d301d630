/// Writes deflate blocks (RFC 1951) from LZ77 symbols: each block as dynamic Huffman, fixed Huffman
/// or stored, whichever is smallest for that block.
///
/// A symbol is a `UInt32`: a literal byte is `byte << 16`; a match has bit 24 set, `length − 3` in
/// bits 16...23 and in bit 0 which of the block's two distances it uses (``match(length:slot:)``).
/// With bits 16...24 as one index (literal byte, or 256 + length − 3) and bits 24 and 0 as
/// another, every symbol is written with two table lookups and one bit write, no branches. The
/// caller counts symbol frequencies while producing them and hands them in with each block.
struct DeflateBlockWriter {
    /// The compressed output.
    let stream: DeflateBitStream
    /// Frequencies of literal/length symbols (0...285) and distance codes (0...29) of the block.
    private var literalFrequency = [UInt32](repeating: 0, count: DeflateTables.literalLengthSymbols)
    private var distanceFrequency = [UInt32](repeating: 0, count: DeflateTables.distanceSymbols)

    private var huffman = HuffmanCodeBuilder()
    private var literalLengths = [UInt8](repeating: 0, count: DeflateTables.literalLengthSymbols)
    private var distanceLengths = [UInt8](repeating: 0, count: DeflateTables.distanceSymbols)
    private var literalCodes = [UInt16](repeating: 0, count: DeflateTables.literalLengthSymbols)
    private var distanceCodes = [UInt16](repeating: 0, count: DeflateTables.distanceSymbols)
    private var codeLengthFrequency = [UInt32](repeating: 0, count: 19)
    private var codeLengthLengths = [UInt8](repeating: 0, count: 19)
    private var codeLengthCodes = [UInt16](repeating: 0, count: 19)
    /// The run-length coded code lengths of a dynamic header: symbol 0...18 in the low 5 bits,
    /// the repeat count's extra-bit value above.
    private var headerSymbols: [UInt16] = []

    static let matchFlag: UInt32 = 1 << 24

    /// Per block: bits and bit count of each literal (0...255) and each match length (256 + length − 3),
    /// Huffman code followed by the length's extra bits.
    private var entryValue = [UInt32](repeating: 0, count: 512)
    private var entryBits = [UInt8](repeating: 0, count: 512)
    /// Per block: the distance part of a symbol, indexed by `isMatch << 1 | slot` (0 bits for literals).
    private var distanceValue = [UInt64](repeating: 0, count: 4)
    private var distanceBits = [UInt8](repeating: 0, count: 4)

    init(expectedOutput: Int) {
        stream = DeflateBitStream(initialCapacity: expectedOutput)
        headerSymbols.reserveCapacity(320)
    }

    /// The symbol for a literal byte.
    @inline(__always)
    static func literal(_ byte: UInt8) -> UInt32 { UInt32(byte) << 16 }

    /// The symbol for a match (`3 ≤ length ≤ 258`) at the block's distance number `slot` (0 or 1).
    @inline(__always)
    static func match(length: Int, slot: Int) -> UInt32 {
        matchFlag | UInt32(truncatingIfNeeded: length - 3) << 16 | UInt32(truncatingIfNeeded: slot & 1)
    }

    /// Writes the zlib header (RFC 1950: deflate, 32 KiB window, no dictionary, "fastest").
    func writeZlibHeader() {
        stream.reserve(bits: 16)
        stream.write(0x78, count: 8)
        stream.write(0x01, count: 8)   // (0x78 << 8 | 0x01) is a multiple of 31
    }

    /// Ends the stream: aligns to a byte and writes the Adler-32 of the uncompressed data, big-endian.
    func writeZlibTrailer(adler: UInt32) {
        stream.reserve(bits: 96)
        stream.alignToByte()
        for shift in stride(from: 24, through: 0, by: -8) {
            stream.writeAlignedByte(UInt8(truncatingIfNeeded: adler >> UInt32(shift)))
        }
    }

    /// Writes one block of `symbols`, which expand to exactly `raw`; a match of slot k copies from
    /// `distances.k` (1...32768) bytes back. `literalCounts` (286 entries) and `distanceCounts`
    /// (30) must be the frequencies of `symbols`; the end-of-block symbol is added here.
    mutating func writeBlock(symbols: UnsafeBufferPointer<UInt32>, raw: UnsafeBufferPointer<UInt8>, final: Bool,
                             distances: (Int, Int),
                             literalCounts: UnsafeBufferPointer<UInt32>, distanceCounts: UnsafeBufferPointer<UInt32>) {
        for i in literalFrequency.indices { literalFrequency[i] = i < literalCounts.count ? literalCounts[i] : 0 }
        for i in distanceFrequency.indices { distanceFrequency[i] = i < distanceCounts.count ? distanceCounts[i] : 0 }
        literalFrequency[DeflateTables.endOfBlock] = 1
        // Extra bits do not depend on the code; count them once.
        var extraBits = 0
        for code in 0..<29 {
            extraBits += Int(literalFrequency[257 + code]) * Int(DeflateTables.lengthExtra[code])
        }
        for code in 0..<30 {
            extraBits += Int(distanceFrequency[code]) * Int(DeflateTables.distanceExtra[code])
        }
        var fixedBits = 3 + extraBits
        for (symbol, f) in literalFrequency.enumerated() { fixedBits += Int(f) * DeflateTables.fixedLiteralLength(symbol) }
        for f in distanceFrequency { fixedBits += Int(f) * 5 }

        // Deflate decoders expect complete codes: give each alphabet at least two used symbols.
        Self.ensureTwoSymbols(&literalFrequency)
        Self.ensureTwoSymbols(&distanceFrequency)
        literalFrequency.withUnsafeBufferPointer { f in
            literalLengths.withUnsafeMutableBufferPointer { huffman.lengths(frequencies: f, limit: 15, into: $0) }
        }
        distanceFrequency.withUnsafeBufferPointer { f in
            distanceLengths.withUnsafeMutableBufferPointer { huffman.lengths(frequencies: f, limit: 15, into: $0) }
        }
        let header = buildDynamicHeader()
        var dynamicBits = 3 + header.bits + extraBits
        for (f, l) in zip(literalFrequency, literalLengths) { dynamicBits += Int(f) * Int(l) }
        for (f, l) in zip(distanceFrequency, distanceLengths) { dynamicBits += Int(f) * Int(l) }

        let storedBlocks = max(1, (raw.count + 65534) / 65535)
        let storedBits = storedBlocks * (3 + 7 + 32) + 8 * raw.count

        if storedBits < dynamicBits && storedBits < fixedBits {
            writeStored(raw, final: final)
        } else if fixedBits <= dynamicBits {
            stream.reserve(bits: fixedBits + 64)
            stream.write(final ? 1 : 0, count: 1)
            stream.write(1, count: 2)
            Self.fixedCodes(literal: &literalLengths, literalCodes: &literalCodes,
                            distance: &distanceLengths, distanceCodes: &distanceCodes)
            writeSymbols(symbols, distances: distances)
        } else {
            stream.reserve(bits: dynamicBits + 64)
            stream.write(final ? 1 : 0, count: 1)
            stream.write(2, count: 2)
            literalLengths.withUnsafeBufferPointer { l in
                literalCodes.withUnsafeMutableBufferPointer { HuffmanCodeBuilder.codes(lengths: l, into: $0) }
            }
            distanceLengths.withUnsafeBufferPointer { l in
                distanceCodes.withUnsafeMutableBufferPointer { HuffmanCodeBuilder.codes(lengths: l, into: $0) }
            }
            writeDynamicHeader(literalCount: header.literalCount, distanceCount: header.distanceCount,
                               codeLengthCount: header.codeLengthCount)
            writeSymbols(symbols, distances: distances)
        }
    }

    // MARK: - Blocks

    private func writeStored(_ raw: UnsafeBufferPointer<UInt8>, final: Bool) {
        stream.reserve(bits: 8 * raw.count + 64 * max(1, raw.count / 65535 + 1))
        var offset = 0
        repeat {
            let length = min(65535, raw.count - offset)
            let last = offset + length == raw.count
            stream.write(final && last ? 1 : 0, count: 1)
            stream.write(0, count: 2)
            stream.alignToByte()
            stream.writeAlignedByte(UInt8(truncatingIfNeeded: length))
            stream.writeAlignedByte(UInt8(truncatingIfNeeded: length >> 8))
            stream.writeAlignedByte(UInt8(truncatingIfNeeded: ~length))
            stream.writeAlignedByte(UInt8(truncatingIfNeeded: ~length >> 8))
            stream.writeAligned(UnsafeBufferPointer(rebasing: raw[offset..<(offset + length)]))
            offset += length
        } while offset < raw.count
    }

    /// Writes `symbols` and end-of-block with the current code (lengths and codes set).
    private mutating func writeSymbols(_ symbols: UnsafeBufferPointer<UInt32>, distances: (Int, Int)) {
        // Literal and length entries: code, then extra bits.
        for b in 0..<256 {
            entryValue[b] = UInt32(literalCodes[b])
            entryBits[b] = literalLengths[b]
        }
        for l in 0..<256 {
            let lc = Int(DeflateTables.lengthCodeOf[l])
            let bits = literalLengths[257 + lc]
            let extra = UInt32(l + 3 - Int(DeflateTables.lengthBase[lc]))
            entryValue[256 + l] = UInt32(literalCodes[257 + lc]) | extra << UInt32(bits)
            entryBits[256 + l] = bits + DeflateTables.lengthExtra[lc]
        }
        distanceValue[0] = 0
        distanceBits[0] = 0
        distanceValue[1] = 0
        distanceBits[1] = 0
        for (slot, distance) in [distances.0, distances.1].enumerated() {
            guard distance >= 1 && distance <= DeflateTables.maxDistance else {
                distanceValue[2 + slot] = 0
                distanceBits[2 + slot] = 0
                continue
            }
            let dc = DeflateTables.distanceCodeOf.withUnsafeBufferPointer { DeflateTables.distanceCode(distance, table: $0) }
            let bits = distanceLengths[dc]
            let extra = UInt64(distance - Int(DeflateTables.distanceBase[dc]))
            distanceValue[2 + slot] = UInt64(distanceCodes[dc]) | extra << UInt64(bits)
            distanceBits[2 + slot] = bits + DeflateTables.distanceExtra[dc]
        }
        let endValue = UInt64(literalCodes[DeflateTables.endOfBlock])
        let endBits = Int(literalLengths[DeflateTables.endOfBlock])
        entryValue.withUnsafeBufferPointer { value in
        entryBits.withUnsafeBufferPointer { bits in
        distanceValue.withUnsafeBufferPointer { dValue in
        distanceBits.withUnsafeBufferPointer { dBits in
            stream.withCursor { out in
                for symbol in symbols {
                    let entry = Int(symbol >> 16) & 0x1FF
                    let d = Int((symbol >> 23) & 2 | (symbol & 1))
                    let n = UInt64(bits[entry])
                    out.write(UInt64(value[entry]) | dValue[d] << n, count: Int(n) &+ Int(dBits[d]))
                }
                out.write(endValue, count: endBits)
            }
        }}}}
    }

    // MARK: - Dynamic header

    /// Run-length codes the code lengths (§3.2.7), builds the code-length code and returns the
    /// header's size in bits (after BFINAL/BTYPE) and its HLIT/HDIST/HCLEN counts.
    private mutating func buildDynamicHeader() -> (bits: Int, literalCount: Int, distanceCount: Int, codeLengthCount: Int) {
        var literalCount = 257
        for s in stride(from: DeflateTables.literalLengthSymbols - 1, through: 257, by: -1) where literalLengths[s] != 0 {
            literalCount = s + 1
            break
        }
        var distanceCount = 1
        for s in stride(from: DeflateTables.distanceSymbols - 1, through: 1, by: -1) where distanceLengths[s] != 0 {
            distanceCount = s + 1
            break
        }
        headerSymbols.removeAll(keepingCapacity: true)
        for i in codeLengthFrequency.indices { codeLengthFrequency[i] = 0 }
        let total = literalCount + distanceCount
        var i = 0
        while i < total {
            let value = lengthInSequence(i, literalCount: literalCount)
            var run = 1
            while i + run < total && lengthInSequence(i + run, literalCount: literalCount) == value { run += 1 }
            i += run
            if value == 0 {
                while run >= 11 {
                    let n = min(run, 138)
                    emitHeader(18, extra: n - 11)
                    run -= n
                }
                if run >= 3 {
                    emitHeader(17, extra: run - 3)
                    run = 0
                }
            } else {
                emitHeader(Int(value), extra: 0)
                run -= 1
                while run >= 3 {
                    let n = min(run, 6)
                    emitHeader(16, extra: n - 3)
                    run -= n
                }
            }
            while run > 0 {
                emitHeader(Int(value), extra: 0)
                run -= 1
            }
        }
        Self.ensureTwoSymbols(&codeLengthFrequency)
        codeLengthFrequency.withUnsafeBufferPointer { f in
            codeLengthLengths.withUnsafeMutableBufferPointer { huffman.lengths(frequencies: f, limit: 7, into: $0) }
        }
        var codeLengthCount = 4
        for k in stride(from: 18, through: 4, by: -1) where codeLengthLengths[DeflateTables.codeLengthOrder[k]] != 0 {
            codeLengthCount = k + 1
            break
        }
        var bits = 5 + 5 + 4 + 3 * codeLengthCount
        for symbol in headerSymbols {
            let s = Int(symbol & 31)
            bits += Int(codeLengthLengths[s]) + Self.headerExtraBits(s)
        }
        return (bits, literalCount, distanceCount, codeLengthCount)
    }

    private mutating func writeDynamicHeader(literalCount: Int, distanceCount: Int, codeLengthCount: Int) {
        codeLengthLengths.withUnsafeBufferPointer { l in
            codeLengthCodes.withUnsafeMutableBufferPointer { HuffmanCodeBuilder.codes(lengths: l, into: $0) }
        }
        stream.write(UInt64(literalCount - 257), count: 5)
        stream.write(UInt64(distanceCount - 1), count: 5)
        stream.write(UInt64(codeLengthCount - 4), count: 4)
        for k in 0..<codeLengthCount {
            stream.write(UInt64(codeLengthLengths[DeflateTables.codeLengthOrder[k]]), count: 3)
        }
        for symbol in headerSymbols {
            let s = Int(symbol & 31)
            let extra = UInt64(symbol >> 5)
            let codeBits = Int(codeLengthLengths[s])
            stream.write(UInt64(codeLengthCodes[s]) | extra << UInt64(codeBits), count: codeBits + Self.headerExtraBits(s))
        }
    }

    @inline(__always)
    private func lengthInSequence(_ i: Int, literalCount: Int) -> UInt8 {
        i < literalCount ? literalLengths[i] : distanceLengths[i - literalCount]
    }

    private mutating func emitHeader(_ symbol: Int, extra: Int) {
        headerSymbols.append(UInt16(truncatingIfNeeded: symbol | extra << 5))
        codeLengthFrequency[symbol] &+= 1
    }

    private static func headerExtraBits(_ symbol: Int) -> Int {
        switch symbol {
        case 16: 2
        case 17: 3
        case 18: 7
        default: 0
        }
    }

    // MARK: - Helpers

    /// Gives symbols 0 and 1 a frequency of 1 when fewer than two symbols are used.
    private static func ensureTwoSymbols(_ frequency: inout [UInt32]) {
        var used = 0
        for f in frequency where f > 0 { used += 1 }
        var s = 0
        while used < 2 && s < frequency.count {
            if frequency[s] == 0 {
                frequency[s] = 1
                used += 1
            }
            s += 1
        }
    }

    /// The fixed Huffman code (§3.2.6), bit-reversed.
    private static func fixedCodes(literal: inout [UInt8], literalCodes: inout [UInt16],
                                   distance: inout [UInt8], distanceCodes: inout [UInt16]) {
        // Codes for all 288 fixed symbols are defined; 286/287 never occur, so 286 lengths suffice
        // for the canonical assignment of 0...285 (the reserved ones sort after every used code).
        var full = [UInt8](repeating: 0, count: 288)
        for s in 0..<288 { full[s] = UInt8(DeflateTables.fixedLiteralLength(s)) }
        var codes = [UInt16](repeating: 0, count: 288)
        full.withUnsafeBufferPointer { l in codes.withUnsafeMutableBufferPointer { HuffmanCodeBuilder.codes(lengths: l, into: $0) } }
        for s in 0..<DeflateTables.literalLengthSymbols {
            literal[s] = full[s]
            literalCodes[s] = codes[s]
        }
        for s in 0..<DeflateTables.distanceSymbols {
            distance[s] = 5
            distanceCodes[s] = HuffmanCodeBuilder.reverse(UInt16(s), bits: 5)
        }
    }
}
