/// A zlib/deflate encoder specialised for label maps (RFC 1950 / RFC 1951 output that any inflater
/// reads).
///
/// Label maps are long runs of one value, and rows that repeat the row above wholly or in long
/// stretches. A general LZ77 matcher (zlib) hashes every position and searches chains; this one
/// tries exactly two match candidates at each position:
/// - the pixel to the left (distance = bytes per pixel): runs of one value;
/// - the pixel above (distance = row stride, when ≤ 32 KiB): repeated rows and row stretches.
///
/// Match lengths are measured 8 bytes at a time and the longer candidate wins (the left one on a
/// tie: distance 1 needs no extra bits); fewer than 3 matching bytes give a literal. Symbols are
/// collected per block (up to 32 768) and written as a dynamic Huffman block with optimal
/// 15-bit-limited codes (package-merge), or fixed/stored if that is smaller. Compared with zlib's
/// `Z_RLE` strategy (runs only, ≈ 0.35 GB/s), the "above" candidate also makes files smaller.
public enum LabelMapDeflate {
    /// `rowFlags` bit: the row equals the row above.
    public static let rowIdenticalToAbove: UInt8 = 1
    /// `rowFlags` bit: every pixel of the row has the same value.
    public static let uniformRow: UInt8 = 2

    /// Symbols per deflate block.
    static let blockSymbols = 1 << 15

    /// Compresses `data`, rows of `stride` bytes with pixels of `bytesPerPixel` bytes, into a zlib
    /// stream ending with `adler` (which must be the Adler-32 of `data`). `rowFlags` (one per row,
    /// or empty) are the caller's facts about each row (``rowIdenticalToAbove``, ``uniformRow``), which must be true: a uniform row
    /// is taken to match itself shifted by one pixel, a repeated row the row above, without looking.
    public static func compress(_ data: UnsafeBufferPointer<UInt8>, stride: Int, bytesPerPixel: Int,
                         rowFlags: UnsafeBufferPointer<UInt8>, adler: UInt32) -> [UInt8] {
        var writer = DeflateBlockWriter(expectedOutput: data.count / 32 + 256)
        writer.writeZlibHeader()
        guard let base = data.baseAddress, data.count > 0 else {
            // An empty stream: one final fixed block holding only end-of-block.
            writer.stream.reserve(bits: 16)
            writer.stream.write(1, count: 1)
            writer.stream.write(1, count: 2)
            writer.stream.write(0, count: 7)
            writer.writeZlibTrailer(adler: adler)
            return writer.stream.bytes()
        }
        let n = data.count
        let left = max(1, min(bytesPerPixel, DeflateTables.maxDistance))
        let above = stride
        let useAbove = stride > 0 && stride <= DeflateTables.maxDistance && stride != left

        let symbols = UnsafeMutablePointer<UInt32>.allocate(capacity: blockSymbols)
        defer { symbols.deallocate() }
        var literalCounts = [UInt32](repeating: 0, count: DeflateTables.literalLengthSymbols)
        var distanceCounts = [UInt32](repeating: 0, count: DeflateTables.distanceSymbols)

        DeflateTables.lengthCodeOf.withUnsafeBufferPointer { lengthCodeOf in
        DeflateTables.distanceCodeOf.withUnsafeBufferPointer { distanceCodeOf in
        literalCounts.withUnsafeMutableBufferPointer { literalFrequency in
        distanceCounts.withUnsafeMutableBufferPointer { distanceFrequency in
            let leftCode = DeflateTables.distanceCode(left, table: distanceCodeOf)
            let aboveCode = useAbove ? DeflateTables.distanceCode(above, table: distanceCodeOf) : 0
            let knownRows = stride > 0 && rowFlags.count == n / stride && n % stride == 0
            var count = 0
            var blockStart = 0
            var pos = 0
            // The row holding `pos`, and what is known about it.
            var row = 0
            var rowStart = 0
            var rowEnd = stride
            var flags: UInt8 = knownRows ? rowFlags[0] : 0
            while pos < n {
                if knownRows {
                    while pos >= rowEnd && row + 1 < rowFlags.count {
                        row += 1
                        rowStart = rowEnd
                        rowEnd += stride
                        flags = rowFlags[row]
                    }
                }
                let limit = min(DeflateTables.maxMatch, n - pos)
                var length = 0
                var fromAbove = false
                if limit >= DeflateTables.minMatch {
                    if pos >= left {
                        // In a uniform row, once the pixel to the left is in the row too, the run
                        // reaches at least the row's end.
                        let known = flags & Self.uniformRow != 0 && pos - left > rowStart ? rowEnd - pos : 0
                        length = matchLength(base, pos, pos - left, limit, known: known)
                    }
                    if length < limit && useAbove && pos >= above {
                        // A repeated row matches the row above up to its end at least.
                        let known = flags & Self.rowIdenticalToAbove != 0 ? rowEnd - pos : 0
                        let up = matchLength(base, pos, pos - above, limit, known: known)
                        if up > length {
                            length = up
                            fromAbove = true
                        }
                    }
                }
                if length >= DeflateTables.minMatch {
                    symbols[count] = DeflateBlockWriter.match(length: length, slot: fromAbove ? 1 : 0)
                    literalFrequency[257 + Int(lengthCodeOf[length - 3])] &+= 1
                    distanceFrequency[fromAbove ? aboveCode : leftCode] &+= 1
                    pos += length
                } else {
                    let byte = base[pos]
                    symbols[count] = DeflateBlockWriter.literal(byte)
                    literalFrequency[Int(byte)] &+= 1
                    pos += 1
                }
                count += 1
                if count == blockSymbols || pos == n {
                    writer.writeBlock(symbols: UnsafeBufferPointer(start: symbols, count: count),
                                      raw: UnsafeBufferPointer(rebasing: data[blockStart..<pos]), final: pos == n,
                                      distances: (left, useAbove ? above : 0),
                                      literalCounts: UnsafeBufferPointer(literalFrequency),
                                      distanceCounts: UnsafeBufferPointer(distanceFrequency))
                    for i in literalFrequency.indices { literalFrequency[i] = 0 }
                    for i in distanceFrequency.indices { distanceFrequency[i] = 0 }
                    count = 0
                    blockStart = pos
                }
            }
        }}}}
        writer.writeZlibTrailer(adler: adler)
        return writer.stream.bytes()
    }

    /// How many bytes from `a` equal the bytes from `b` (`b < a`), at most `limit`, given that the
    /// first `known` are equal; `a + limit` must not pass the end of the buffer. Overlap is
    /// intended: it is how LZ77 copies runs.
    @inline(__always)
    static func matchLength(_ base: UnsafePointer<UInt8>, _ a: Int, _ b: Int, _ limit: Int, known: Int) -> Int {
        let raw = UnsafeRawPointer(base)
        var n = min(max(0, known), limit)
        while n &+ 16 <= limit {
            let x = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: a &+ n, as: UInt64.self))
                ^ UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: b &+ n, as: UInt64.self))
            let y = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: a &+ n &+ 8, as: UInt64.self))
                ^ UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: b &+ n &+ 8, as: UInt64.self))
            if x | y != 0 {
                return x != 0 ? n &+ x.trailingZeroBitCount >> 3 : n &+ 8 &+ y.trailingZeroBitCount >> 3
            }
            n &+= 16
        }
        while n &+ 8 <= limit {
            let x = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: a &+ n, as: UInt64.self))
                ^ UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: b &+ n, as: UInt64.self))
            if x != 0 { return n &+ x.trailingZeroBitCount >> 3 }
            n &+= 8
        }
        while n < limit && base[a &+ n] == base[b &+ n] { n &+= 1 }
        return n
    }
}
