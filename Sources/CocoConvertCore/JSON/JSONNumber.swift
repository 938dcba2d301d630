/// A JSON number as read: its double value, and its integer value when the literal is an integer.
public struct JSONNumber {
    /// The correctly rounded double value of the literal.
    public var double: Double
    /// The value when the literal has no fraction or exponent and fits in `Int64`.
    public var integer: Int64?

    @inlinable
    public init(double: Double, integer: Int64?) {
        self.double = double
        self.integer = integer
    }

    /// The value as an integer when it is one (`42`, `42.0`, `4.2e1`), within ±2⁵³ for non-literal forms.
    public var integralValue: Int64? {
        if let integer { return integer }
        guard double.rounded(.towardZero) == double, abs(double) <= 9_007_199_254_740_992 else { return nil }
        return Int64(double)
    }

    /// Exact powers of ten representable in a double (10⁰...10²²).
    @usableFromInline static let powersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    /// Parses the number literal that starts at `p[start]`; returns it and the index just past it.
    ///
    /// Follows the JSON grammar strictly (`-? (0 | [1-9][0-9]*) (.[0-9]+)? ([eE][+-]?[0-9]+)?`).
    /// Short literals (up to 19 significant digits, exponent within ±22, mantissa below 2⁵³) take an
    /// exact fast path; the rest go through the standard library's correctly rounded conversion.
    /// If the literal runs up to `limit`, the returned index equals `limit` (the caller decides whether
    /// more input could follow); a literal cut off where more digits are required throws an
    /// incomplete error.
    @inlinable @inline(__always)
    public static func parse(_ p: UnsafePointer<UInt8>, from start: Int, limit: Int) throws(JSONSyntaxError) -> (JSONNumber, Int) {
        var i = start
        var negative = false
        if i < limit && p[i] == ASCII.minus {
            negative = true
            i += 1
        }
        guard i < limit, ASCII.isDigit(p[i]) else {
            if i >= limit { throw JSONSyntaxError.incomplete(at: limit, "a number") }
            throw JSONSyntaxError(position: i, message: "expected a digit, found \(ASCII.describe(p[i]))")
        }
        var mantissa: UInt64 = 0
        var significant = 0
        var exponent = 0
        var truncated = false
        var isInteger = true
        if p[i] == ASCII.zero {
            i += 1
            if i < limit && ASCII.isDigit(p[i]) {
                throw JSONSyntaxError(position: i, message: "a number may not have leading zeros")
            }
        } else {
            while i < limit {
                let d = p[i] &- ASCII.zero
                if d >= 10 { break }
                if significant < 19 {
                    mantissa = mantissa &* 10 &+ UInt64(d)
                    significant += 1
                } else {
                    if d != 0 { truncated = true }
                    exponent += 1
                }
                i += 1
            }
        }
        if i < limit && p[i] == ASCII.dot {
            isInteger = false
            i += 1
            guard i < limit, ASCII.isDigit(p[i]) else {
                if i >= limit { throw JSONSyntaxError.incomplete(at: limit, "a number") }
                throw JSONSyntaxError(position: i, message: "expected a digit after the decimal point, found \(ASCII.describe(p[i]))")
            }
            while i < limit {
                let d = p[i] &- ASCII.zero
                if d >= 10 { break }
                if significant < 19 {
                    mantissa = mantissa &* 10 &+ UInt64(d)
                    if mantissa != 0 { significant += 1 }
                    exponent -= 1
                } else if d != 0 {
                    truncated = true
                }
                i += 1
            }
        }
        if i < limit && (p[i] == ASCII.lowerE || p[i] == ASCII.upperE) {
            isInteger = false
            i += 1
            var exponentNegative = false
            if i < limit && (p[i] == ASCII.plus || p[i] == ASCII.minus) {
                exponentNegative = p[i] == ASCII.minus
                i += 1
            }
            guard i < limit, ASCII.isDigit(p[i]) else {
                if i >= limit { throw JSONSyntaxError.incomplete(at: limit, "a number") }
                throw JSONSyntaxError(position: i, message: "expected a digit in the exponent, found \(ASCII.describe(p[i]))")
            }
            var value = 0
            while i < limit {
                let d = p[i] &- ASCII.zero
                if d >= 10 { break }
                if value < 100_000 { value = value * 10 + Int(d) }
                i += 1
            }
            exponent += exponentNegative ? -value : value
        }
        if isInteger && exponent == 0 && !truncated {
            if mantissa <= UInt64(Int64.max) {
                let v = Int64(mantissa)
                let signed = negative ? -v : v
                return (JSONNumber(double: Double(signed), integer: signed), i)
            }
            if negative && mantissa == UInt64(Int64.max) + 1 {
                return (JSONNumber(double: Double(Int64.min), integer: Int64.min), i)
            }
        }
        if !truncated && mantissa <= 1 << 53 && exponent >= -22 && exponent <= 22 {
            var d = Double(mantissa)
            d = exponent < 0 ? d / powersOfTen[-exponent] : d * powersOfTen[exponent]
            return (JSONNumber(double: negative ? -d : d, integer: nil), i)
        }
        let text = String(decoding: UnsafeBufferPointer(start: p + start, count: i - start), as: UTF8.self)
        guard let d = Double(text), d.isFinite else {
            throw JSONSyntaxError(position: start, message: "the number \(text) is out of range for a double")
        }
        return (JSONNumber(double: d, integer: nil), i)
    }
}
