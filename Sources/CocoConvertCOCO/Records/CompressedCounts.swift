/// Checks a COCO compressed RLE string without building the counts: every character in the alphabet,
/// no value cut off, no negative or oversized count, and the counts summing to `expectedSum`.
///
/// Decoding follows `rleFrString` (5 payload bits per character, continuation bit 0x20, sign bit 0x10
/// on the last character; from the fourth count on, values are deltas to the count two before).
enum CompressedCounts {
    /// `nil` when the string is a valid RLE of `expectedSum` pixels, else what is wrong.
    static func problem(in counts: String, expectedSum: Int) -> String? {
        var text = counts
        return text.withUTF8 { problem(in: $0, expectedSum: expectedSum) }
    }

    /// `nil` when the bytes are a valid RLE string of `expectedSum` pixels, else what is wrong.
    static func problem<C: Collection>(in bytes: C, expectedSum: Int) -> String? where C.Element == UInt8, C.Index == Int {
        var m = 0
        var back2: Int64 = 0   // count at m - 2
        var back1: Int64 = 0   // count at m - 1
        var sum: Int64 = 0
        var p = bytes.startIndex
        let end = bytes.endIndex
        while p < end {
            var x: Int64 = 0
            var k = 0
            var more = true
            while more {
                guard p < end else { return "the string ends in the middle of a count" }
                let raw = bytes[p]
                guard raw >= 48 && raw <= 111 else {
                    return "the character \(ASCII.describe(raw)) is not in the RLE alphabet ('0'...'o')"
                }
                guard k < 12 else { return "a count is too long" }
                let c = Int64(raw - 48)
                x |= (c & 0x1F) << (5 * k)
                more = c & 0x20 != 0
                p += 1
                k += 1
                if !more && c & 0x10 != 0 { x |= -1 << (5 * k) }
            }
            if m > 2 { x += back2 }
            guard x >= 0 else { return "count \(m) is negative (\(x))" }
            guard x <= Int64(UInt32.max) else { return "count \(m) is larger than 2³² − 1" }
            sum += x
            back2 = back1
            back1 = x
            m += 1
        }
        guard sum == Int64(expectedSum) else {
            return "the counts sum to \(sum), but the mask has \(expectedSum) pixels (height × width)"
        }
        return nil
    }
}
