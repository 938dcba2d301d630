// The COCO compressed RLE string (maskApi.c `rleToString` / `rleFrString`).
//
// Each count is written as a signed little-endian base-32 number, 5 payload bits per character plus a
// continuation bit (0x20), characters offset by 48 (so the alphabet is ASCII 48 '0' ... 111 'o').
// Bit 0x10 of the last character of a number is its sign. From the fourth count on (index > 2) the
// number stored is the difference to the count two places earlier.

extension RLE {
    /// Decodes a COCO compressed RLE string.
    ///
    /// Stricter than pycocotools, which has undefined behaviour on bad input: throws
    /// ``ConversionError/Code/invalidMask`` for characters outside `'0'...'o'`, a truncated last number,
    /// a number longer than 12 characters, a count that is negative or above `UInt32.max`, or counts
    /// that do not sum to `height × width`; ``ConversionError/Code/limitExceeded`` when the size is too large.
    public init(compressed: String, height: Int, width: Int, limits: Limits = .standard) throws {
        var string = compressed
        let result = try string.withUTF8 { bytes in
            try RLE(compressedBytes: bytes, height: height, width: width, limits: limits)
        }
        self = result
    }

    /// Decodes a ``CompressedRLE`` (the string form as read from JSON).
    public init(_ compressed: CompressedRLE, limits: Limits = .standard) throws {
        try self.init(compressed: compressed.counts, height: compressed.height, width: compressed.width,
                      limits: limits)
    }

    /// Decodes the ASCII bytes of a compressed RLE string (no quotes, no escapes), e.g. straight from a JSON buffer.
    public init(compressedBytes bytes: UnsafeBufferPointer<UInt8>, height: Int, width: Int,
                limits: Limits = .standard) throws {
        let total = try RLE.checkedPixelCount(height: height, width: width, limits: limits)
        let counts = try RLE.decodeCompressedCounts(bytes, maxSum: total)
        var sum = 0
        for c in counts { sum &+= Int(c) }
        guard sum == total else {
            throw ConversionError(.invalidMask,
                                  "RLE counts add up to \(sum), not height×width = \(height)×\(width) = \(total)",
                                  context: ErrorContext(field: "segmentation.counts"),
                                  hint: "the RLE `size` does not match its `counts`, or the string is truncated")
        }
        self.init(height: height, width: width, counts: counts)
    }

    /// Decodes the counts of a compressed string without checking them against a size (syntax only:
    /// alphabet, complete numbers, each count within `0...UInt32.max`).
    public static func decodeCompressedCounts(_ string: String) throws -> [UInt32] {
        var string = string
        return try string.withUTF8 { try decodeCompressedCounts($0, maxSum: Int.max) }
    }

    /// Syntax-checked decoding; throws as soon as the running sum exceeds `maxSum`.
    static func decodeCompressedCounts(_ bytes: UnsafeBufferPointer<UInt8>, maxSum: Int) throws -> [UInt32] {
        var counts: [UInt32] = []
        counts.reserveCapacity(bytes.count)
        var sum = 0
        var p = 0
        let n = bytes.count
        while p < n {
            var value: Int64 = 0
            var shift: Int64 = 0
            var groups = 0
            while true {
                guard p < n else {
                    throw RLE.stringError("the string ends inside a number (last character has the continuation bit)", at: p)
                }
                let byte = bytes[p]
                guard byte >= 48, byte <= 111 else {
                    throw RLE.stringError("byte \(byte) at offset \(p) is outside the RLE alphabet '0'...'o'", at: p)
                }
                guard groups < 12 else {
                    throw RLE.stringError("a number at offset \(p) is longer than 12 characters", at: p)
                }
                let c = Int64(byte &- 48)
                value |= (c & 0x1f) << shift
                shift += 5
                groups += 1
                p += 1
                if c & 0x20 == 0 {
                    if c & 0x10 != 0 { value |= -1 << shift }
                    break
                }
            }
            let m = counts.count
            if m > 2 { value += Int64(counts[m - 2]) }
            guard value >= 0, value <= Int64(UInt32.max) else {
                throw RLE.stringError("count \(m) decodes to \(value), outside 0...\(UInt32.max)", at: p)
            }
            counts.append(UInt32(value))
            sum += Int(value)
            guard sum <= maxSum else {
                throw RLE.stringError("the counts add up to more than height×width = \(maxSum)", at: p)
            }
        }
        return counts
    }

    /// The COCO compressed string of `counts` (pycocotools `rleToString`), ASCII 48...111.
    public var compressedString: String {
        String(decoding: compressedBytes, as: UTF8.self)
    }

    /// The compressed string as ASCII bytes.
    public var compressedBytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(counts.count * 2)
        appendCompressed(to: &out)
        return out
    }

    /// Appends the compressed string's ASCII bytes to `out` (no quotes); the allocation-free path for writers.
    public func appendCompressed(to out: inout [UInt8]) {
        counts.withUnsafeBufferPointer { cnts in
            for i in 0..<cnts.count {
                var x = Int64(cnts[i])
                if i > 2 { x -= Int64(cnts[i - 2]) }
                while true {
                    var c = x & 0x1f
                    x >>= 5
                    let more = (c & 0x10) != 0 ? x != -1 : x != 0
                    if more { c |= 0x20 }
                    out.append(UInt8(truncatingIfNeeded: c &+ 48))
                    if !more { break }
                }
            }
        }
    }

    static func stringError(_ message: String, at offset: Int) -> ConversionError {
        ConversionError(.invalidMask, "bad compressed RLE string: " + message,
                        context: ErrorContext(field: "segmentation.counts"),
                        hint: "the string must be a pycocotools-compressed RLE (characters '0'...'o'); offset \(offset) is within the string")
    }
}
