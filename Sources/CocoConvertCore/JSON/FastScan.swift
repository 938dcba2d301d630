/// First-pass scanning primitives over a window of the file that may end in the middle of a value.
///
/// They check structure only (string ends, bracket depth); the records they skip are parsed and
/// validated in full later. Reaching `limit` before a value is complete throws an *incomplete* error,
/// and the caller refills the window and retries from a safe point.
public enum FastScan {
    /// Index of the first non-whitespace byte at or after `i`.
    @inlinable @inline(__always)
    public static func skipWhitespace(_ p: UnsafePointer<UInt8>, _ i: Int, _ limit: Int) throws(JSONSyntaxError) -> Int {
        var j = i
        while j < limit {
            let c = p[j]
            if c > ASCII.space || !ASCII.isWhitespace(c) { return j }
            j += 1
        }
        throw JSONSyntaxError.incomplete(at: limit, "whitespace")
    }

    /// Index just past the string whose opening quote is at `i`.
    @inlinable @inline(__always)
    public static func skipString(_ p: UnsafePointer<UInt8>, _ i: Int, _ limit: Int) throws(JSONSyntaxError) -> Int {
        var j = i + 1
        while j < limit {
            let c = p[j]
            if c == ASCII.quote { return j + 1 }
            j += c == ASCII.backslash ? 2 : 1
        }
        throw JSONSyntaxError.incomplete(at: limit, "a string")
    }

    /// Index just past the object or array whose opening bracket is at `i`.
    @inlinable @inline(__always)
    public static func skipContainer(_ p: UnsafePointer<UInt8>, _ i: Int, _ limit: Int) throws(JSONSyntaxError) -> Int {
        var depth = 0
        var j = i
        // Eight bytes at a time while none of them can be `"`, a bracket or a brace, or non-ASCII.
        while j < limit {
            if j + 8 <= limit {
                let word = UnsafeRawPointer(p + j).loadUnaligned(as: UInt64.self)
                if !mayHoldStructure(word) {
                    j += 8
                    continue
                }
            }
            let c = p[j]
            if c < ASCII.openBracket && c != ASCII.quote {
                j += 1
                continue
            }
            switch c {
            case ASCII.quote:
                j = try skipString(p, j, limit)
                continue
            case ASCII.openBracket, ASCII.openBrace:
                depth += 1
            case ASCII.closeBracket, ASCII.closeBrace:
                depth -= 1
                if depth == 0 { return j + 1 }
            default:
                break
            }
            j += 1
        }
        throw JSONSyntaxError.incomplete(at: limit, "an object or array")
    }

    /// Whether any byte of `word` is `"` or ≥ `[` (which covers `[ ] { } \`, letters and non-ASCII).
    @inlinable @inline(__always)
    static func mayHoldStructure(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        // Bytes >= 0x5B: adding 0x25 sets the high bit (bytes >= 0x80 have it already).
        let large = ((word &+ ones &* 0x25) | word) & highs
        // Bytes == 0x22: the classic "has zero byte" test on word ^ 0x22...
        let x = word ^ (ones &* 0x22)
        let quote = (x &- ones) & ~x & highs
        return (large | quote) != 0
    }

    /// Index just past the scalar (number, `true`, `false`, `null`) starting at `i`.
    @inlinable @inline(__always)
    public static func skipScalar(_ p: UnsafePointer<UInt8>, _ i: Int, _ limit: Int) throws(JSONSyntaxError) -> Int {
        var j = i
        while j < limit {
            let c = p[j]
            if c == ASCII.comma || c == ASCII.closeBrace || c == ASCII.closeBracket || ASCII.isWhitespace(c) { return j }
            j += 1
        }
        throw JSONSyntaxError.incomplete(at: limit, "a value")
    }

    /// Index just past the value starting at `i` (not whitespace).
    @inlinable @inline(__always)
    public static func skipValue(_ p: UnsafePointer<UInt8>, _ i: Int, _ limit: Int) throws(JSONSyntaxError) -> Int {
        switch p[i] {
        case ASCII.quote: return try skipString(p, i, limit)
        case ASCII.openBrace, ASCII.openBracket: return try skipContainer(p, i, limit)
        case ASCII.closeBrace, ASCII.closeBracket, ASCII.comma, ASCII.colon:
            throw JSONSyntaxError(position: i, message: "expected a value, found \(ASCII.describe(p[i]))")
        default: return try skipScalar(p, i, limit)
        }
    }

    /// The member name at `i` (opening quote) and the index past it.
    @inlinable @inline(__always)
    public static func scanKey(_ p: UnsafePointer<UInt8>, _ i: Int, _ limit: Int) throws(JSONSyntaxError) -> (JSONKey, Int) {
        guard p[i] == ASCII.quote else {
            throw JSONSyntaxError(position: i, message: "expected a member name in quotes, found \(ASCII.describe(p[i]))")
        }
        var j = i + 1
        var escaped = false
        while j < limit {
            let c = p[j]
            if c == ASCII.quote {
                return (JSONKey(base: p, start: i + 1, count: j - i - 1, escaped: escaped), j + 1)
            }
            if c == ASCII.backslash {
                escaped = true
                j += 2
            } else {
                j += 1
            }
        }
        throw JSONSyntaxError.incomplete(at: limit, "a member name")
    }

    /// The kind of the value starting at `i`, or nil if the byte cannot start a value.
    @inlinable @inline(__always)
    public static func kind(_ c: UInt8) -> JSONKind? {
        switch c {
        case ASCII.openBrace: return .object
        case ASCII.openBracket: return .array
        case ASCII.quote: return .string
        case ASCII.minus, ASCII.zero...ASCII.nine: return .number
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return .bool
        case UInt8(ascii: "n"): return .null
        default: return nil
        }
    }

    /// Reads an integer-valued number at `i`; returns nil (and the end of the value) for other values.
    @inlinable @inline(__always)
    public static func integer(_ p: UnsafePointer<UInt8>, _ i: Int, _ limit: Int) throws(JSONSyntaxError) -> (Int64?, JSONKind?, Int) {
        let c = p[i]
        guard c == ASCII.minus || ASCII.isDigit(c) else {
            return (nil, kind(c), try skipValue(p, i, limit))
        }
        let (number, end) = try JSONNumber.parse(p, from: i, limit: limit)
        if end >= limit { throw JSONSyntaxError.incomplete(at: limit, "a number") }
        return (number.integralValue, .number, end)
    }
}
