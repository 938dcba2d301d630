/// The constant tables of the deflate format (RFC 1951 §3.2.5–§3.2.7).
enum DeflateTables {
    /// Base match length of length codes 257...285 (index 0...28).
    static let lengthBase: [UInt16] = [
        3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31,
        35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258,
    ]
    /// Extra bits of length codes 257...285.
    static let lengthExtra: [UInt8] = [
        0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2,
        3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
    ]
    /// Base distance of distance codes 0...29.
    static let distanceBase: [UInt16] = [
        1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193,
        257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577,
    ]
    /// Extra bits of distance codes 0...29.
    static let distanceExtra: [UInt8] = [
        0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6,
        7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13,
    ]
    /// Order in which code-length code lengths are sent (§3.2.7).
    static let codeLengthOrder: [Int] = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]

    /// Literal/length symbols that may appear (286 and 287 are reserved).
    static let literalLengthSymbols = 286
    /// Distance symbols that may appear (30 and 31 are reserved).
    static let distanceSymbols = 30
    /// End-of-block symbol.
    static let endOfBlock = 256
    /// Longest match and farthest distance.
    static let maxMatch = 258
    static let minMatch = 3
    static let maxDistance = 32768

    /// Length code index (0...28) of match length `length − 3` (0...255).
    static let lengthCodeOf: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 256)
        for code in 0..<29 {
            let first = Int(lengthBase[code]) - 3
            let count = code == 28 ? 1 : 1 << Int(lengthExtra[code])
            for l in first..<min(256, first + count) { table[l] = UInt8(code) }
        }
        return table
    }()

    /// Distance code of `distance − 1`: entry `d` for d < 256, else entry `256 + d >> 7`.
    static let distanceCodeOf: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 512)
        for code in 0..<30 {
            let first = Int(distanceBase[code]) - 1
            let count = 1 << Int(distanceExtra[code])
            for d in first..<(first + count) {
                if d < 256 { table[d] = UInt8(code) } else { table[256 + (d >> 7)] = UInt8(code) }
            }
        }
        return table
    }()

    /// Distance code (0...29) of `distance` (1...32768).
    @inline(__always)
    static func distanceCode(_ distance: Int, table: UnsafeBufferPointer<UInt8>) -> Int {
        let d = distance - 1
        return Int(d < 256 ? table[d] : table[256 + (d >> 7)])
    }

    /// Length of literal/length symbol `symbol` in the fixed Huffman code (§3.2.6).
    @inline(__always)
    static func fixedLiteralLength(_ symbol: Int) -> Int {
        switch symbol {
        case 0...143: 8
        case 144...255: 9
        case 256...279: 7
        default: 8
        }
    }
}
