/// The kinds of JSON value, told apart by their first byte.
public enum JSONKind: String {
    case object, array, string, number, bool, null

    /// Name for messages ("expected an integer, found a string").
    public var article: String {
        switch self {
        case .object: return "an object"
        case .array: return "an array"
        case .string: return "a string"
        case .number: return "a number"
        case .bool: return "a boolean"
        case .null: return "null"
        }
    }
}

/// A key of a JSON object, as a range of the scanned buffer.
public struct JSONKey {
    public let base: UnsafePointer<UInt8>
    public let start: Int
    public let count: Int
    /// True when the key contains escapes (then compare through ``decoded``).
    public let escaped: Bool

    @inlinable
    public init(base: UnsafePointer<UInt8>, start: Int, count: Int, escaped: Bool) {
        self.base = base
        self.start = start
        self.count = count
        self.escaped = escaped
    }

    /// Whether the key is exactly `name` (ASCII).
    @inlinable @inline(__always)
    public func `is`(_ name: StaticString) -> Bool {
        if escaped { return decoded == name.description }
        guard count == name.utf8CodeUnitCount else { return false }
        let expected = name.utf8Start
        for k in 0..<count where base[start + k] != expected[k] { return false }
        return true
    }

    /// The key as a string, escapes resolved.
    public var decoded: String {
        var cursor = JSONCursor(UnsafeBufferPointer(start: base, count: start + count + 1), baseOffset: 0)
        cursor.position = start - 1
        return (try? cursor.readString()) ?? ""
    }
}

/// A validating reader over one complete JSON value in memory (a record, an array of
/// records, a small document). Positions are indices into the buffer; `baseOffset` maps them to file offsets.
///
/// Errors are ``JSONSyntaxError`` with the buffer index; ``fileOffset(_:)`` converts.
public struct JSONCursor {
    public let base: UnsafePointer<UInt8>
    public let end: Int
    /// File offset of `base[0]`.
    public let baseOffset: Int64
    public var position = 0

    /// A valid address for cursors over empty buffers (never read: `end` is 0).
    nonisolated(unsafe) private static let emptyStorage = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)

    public init(_ bytes: UnsafeBufferPointer<UInt8>, baseOffset: Int64) {
        // An empty buffer still needs a valid pointer; position == end guards every read.
        self.base = bytes.baseAddress ?? UnsafePointer(JSONCursor.emptyStorage)
        self.end = bytes.count
        self.baseOffset = baseOffset
    }

    /// The file offset of buffer index `index`.
    public func fileOffset(_ index: Int) -> Int { Int(baseOffset) + index }

    @inlinable @inline(__always)
    public mutating func skipWhitespace() {
        while position < end && ASCII.isWhitespace(base[position]) { position += 1 }
    }

    /// The byte at the cursor after whitespace, or nil at the end.
    @inlinable @inline(__always)
    public mutating func peek() -> UInt8? {
        skipWhitespace()
        return position < end ? base[position] : nil
    }

    /// The kind of the value at the cursor (after whitespace).
    public mutating func peekKind() throws(JSONSyntaxError) -> JSONKind {
        guard let c = peek() else { throw unexpectedEnd("a value") }
        guard let kind = FastScan.kind(c) else {
            throw JSONSyntaxError(position: position, message: "expected a value, found \(ASCII.describe(c))")
        }
        return kind
    }

    public func unexpectedEnd(_ what: String) -> JSONSyntaxError {
        JSONSyntaxError(position: position, message: "the JSON ends where \(what) was expected (truncated file?)")
    }

    /// A type error at the cursor: `field` should be `expected`.
    public mutating func typeError(_ field: String, expected: String) -> JSONSyntaxError {
        let found = (try? peekKind())?.article ?? "nothing"
        return JSONSyntaxError(position: position, message: "\(field) must be \(expected), found \(found)", isTypeError: true)
    }

    /// Consumes `c` (after whitespace) or throws.
    @inlinable @inline(__always)
    public mutating func expect(_ c: UInt8, _ what: String) throws(JSONSyntaxError) {
        guard let found = peek() else { throw unexpectedEnd(what) }
        guard found == c else {
            throw JSONSyntaxError(position: position, message: "expected \(what), found \(ASCII.describe(found))")
        }
        position += 1
    }

    // MARK: Containers

    /// Calls `body` for each member of the object at the cursor, with the cursor on the member's value.
    /// `body` must consume the value.
    @inlinable @inline(__always)
    public mutating func forEachMember(_ body: (inout JSONCursor, JSONKey) throws(JSONSyntaxError) -> Void) throws(JSONSyntaxError) {
        try expect(ASCII.openBrace, "'{'")
        if peek() == ASCII.closeBrace {
            position += 1
            return
        }
        while true {
            guard peek() == ASCII.quote else {
                if position >= end { throw unexpectedEnd("a member name") }
                throw JSONSyntaxError(position: position, message: "expected a member name in quotes, found \(ASCII.describe(base[position]))")
            }
            let key = try scanKey()
            try expect(ASCII.colon, "':' after a member name")
            skipWhitespace()
            try body(&self, key)
            guard let c = peek() else { throw unexpectedEnd("',' or '}'") }
            position += 1
            if c == ASCII.closeBrace { return }
            guard c == ASCII.comma else {
                throw JSONSyntaxError(position: position - 1, message: "expected ',' or '}' in an object, found \(ASCII.describe(c))")
            }
        }
    }

    /// Calls `body` for each element of the array at the cursor, with the cursor on the element.
    /// `body` must consume the element.
    @inlinable @inline(__always)
    public mutating func forEachElement(_ body: (inout JSONCursor) throws(JSONSyntaxError) -> Void) throws(JSONSyntaxError) {
        try expect(ASCII.openBracket, "'['")
        if peek() == ASCII.closeBracket {
            position += 1
            return
        }
        while true {
            skipWhitespace()
            try body(&self)
            guard let c = peek() else { throw unexpectedEnd("',' or ']'") }
            position += 1
            if c == ASCII.closeBracket { return }
            guard c == ASCII.comma else {
                throw JSONSyntaxError(position: position - 1, message: "expected ',' or ']' in an array, found \(ASCII.describe(c))")
            }
        }
    }

    /// Reads a member name (cursor on its opening quote).
    @inlinable @inline(__always)
    public mutating func scanKey() throws(JSONSyntaxError) -> JSONKey {
        let open = position
        var i = position + 1
        var escaped = false
        while i < end {
            let c = base[i]
            if c == ASCII.quote {
                position = i + 1
                return JSONKey(base: base, start: open + 1, count: i - open - 1, escaped: escaped)
            }
            if c == ASCII.backslash {
                escaped = true
                i += 2
                continue
            }
            if c < 0x20 {
                throw JSONSyntaxError(position: i, message: "a control character must be escaped inside a string")
            }
            i += 1
        }
        position = end
        throw unexpectedEnd("the end of a string")
    }

    // MARK: Scalars

    /// Reads a string value, escapes resolved, UTF-8 validated.
    public mutating func readString() throws(JSONSyntaxError) -> String {
        guard peek() == ASCII.quote else { throw typeError("the value", expected: "a string") }
        let open = position
        var i = position + 1
        // Fast path: no escapes.
        while i < end {
            let c = base[i]
            if c == ASCII.quote {
                position = i + 1
                let bytes = UnsafeBufferPointer(start: base + open + 1, count: i - open - 1)
                guard let s = String(validating: bytes, as: UTF8.self) else {
                    throw JSONSyntaxError(position: open, message: "the string is not valid UTF-8")
                }
                return s
            }
            if c == ASCII.backslash { break }
            if c < 0x20 { throw JSONSyntaxError(position: i, message: "a control character must be escaped inside a string") }
            i += 1
        }
        var bytes = [UInt8](UnsafeBufferPointer(start: base + open + 1, count: i - open - 1))
        while i < end {
            let c = base[i]
            if c == ASCII.quote {
                position = i + 1
                guard let s = String(validating: bytes, as: UTF8.self) else {
                    throw JSONSyntaxError(position: open, message: "the string is not valid UTF-8")
                }
                return s
            }
            if c < 0x20 { throw JSONSyntaxError(position: i, message: "a control character must be escaped inside a string") }
            if c != ASCII.backslash {
                bytes.append(c)
                i += 1
                continue
            }
            guard i + 1 < end else { break }
            let e = base[i + 1]
            i += 2
            switch e {
            case ASCII.quote: bytes.append(ASCII.quote)
            case ASCII.backslash: bytes.append(ASCII.backslash)
            case ASCII.slash: bytes.append(ASCII.slash)
            case UInt8(ascii: "b"): bytes.append(0x08)
            case UInt8(ascii: "f"): bytes.append(0x0C)
            case UInt8(ascii: "n"): bytes.append(0x0A)
            case UInt8(ascii: "r"): bytes.append(0x0D)
            case UInt8(ascii: "t"): bytes.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hex4(at: i)
                i += 4
                if scalar >= 0xD800 && scalar < 0xDC00 {
                    guard i + 6 <= end, base[i] == ASCII.backslash, base[i + 1] == UInt8(ascii: "u") else {
                        throw JSONSyntaxError(position: i, message: "a UTF-16 high surrogate must be followed by a low surrogate")
                    }
                    let low = try hex4(at: i + 2)
                    guard low >= 0xDC00 && low < 0xE000 else {
                        throw JSONSyntaxError(position: i, message: "a UTF-16 high surrogate must be followed by a low surrogate")
                    }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    i += 6
                } else if scalar >= 0xDC00 && scalar < 0xE000 {
                    throw JSONSyntaxError(position: i - 6, message: "a lone UTF-16 low surrogate")
                }
                guard let u = Unicode.Scalar(scalar) else {
                    throw JSONSyntaxError(position: i - 6, message: "an invalid Unicode escape")
                }
                bytes.append(contentsOf: Array(String(Character(u)).utf8))
            default:
                throw JSONSyntaxError(position: i - 2, message: "an invalid escape \\\(ASCII.describe(e)) in a string")
            }
        }
        position = end
        throw unexpectedEnd("the end of a string")
    }

    private func hex4(at i: Int) throws(JSONSyntaxError) -> UInt32 {
        guard i + 4 <= end else { throw JSONSyntaxError(position: i, message: "the JSON ends inside a \\u escape") }
        var v: UInt32 = 0
        for k in 0..<4 {
            let c = base[i + k]
            let d: UInt8
            switch c {
            case ASCII.zero...ASCII.nine: d = c - ASCII.zero
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = c - UInt8(ascii: "A") + 10
            default: throw JSONSyntaxError(position: i + k, message: "expected a hex digit in a \\u escape, found \(ASCII.describe(c))")
            }
            v = v << 4 | UInt32(d)
        }
        return v
    }

    /// Reads a number.
    @inlinable @inline(__always)
    public mutating func readNumber(_ field: @autoclosure () -> String = "the value") throws(JSONSyntaxError) -> JSONNumber {
        guard position < end else { throw unexpectedEnd("a number") }
        let c = base[position]
        guard c == ASCII.minus || ASCII.isDigit(c) else { throw typeError(field(), expected: "a number") }
        let (number, next) = try JSONNumber.parse(base, from: position, limit: end)
        position = next
        return number
    }

    /// Reads a number as a double.
    @inlinable @inline(__always)
    public mutating func readDouble(_ field: @autoclosure () -> String = "the value") throws(JSONSyntaxError) -> Double {
        try readNumber(field()).double
    }

    /// Reads an integer (`42`, or an integral number such as `42.0`).
    public mutating func readInteger(_ field: @autoclosure () -> String) throws(JSONSyntaxError) -> Int64 {
        let start = position
        let number = try readNumber(field())
        guard let value = number.integralValue else {
            throw JSONSyntaxError(position: start, message: "\(field()) must be an integer, found \(number.double)", isTypeError: true)
        }
        return value
    }

    /// Reads `true`/`false`, or the integers 0/1 (some writers store flags as integers).
    public mutating func readFlag(_ field: @autoclosure () -> String) throws(JSONSyntaxError) -> Bool {
        guard let c = peek() else { throw unexpectedEnd("a flag") }
        if c == UInt8(ascii: "t") || c == UInt8(ascii: "f") {
            return try readLiteralBool()
        }
        let start = position
        let value = try readInteger(field())
        guard value == 0 || value == 1 else {
            throw JSONSyntaxError(position: start, message: "\(field()) must be 0 or 1, found \(value)", isTypeError: true)
        }
        return value == 1
    }

    mutating func readLiteralBool() throws(JSONSyntaxError) -> Bool {
        if matchLiteral("true") { return true }
        if matchLiteral("false") { return false }
        throw JSONSyntaxError(position: position, message: "expected true or false")
    }

    /// Consumes `null` if it is at the cursor.
    public mutating func consumeNull() -> Bool {
        skipWhitespace()
        return matchLiteral("null")
    }

    private mutating func matchLiteral(_ word: StaticString) -> Bool {
        let n = word.utf8CodeUnitCount
        guard position + n <= end else { return false }
        let w = word.utf8Start
        for k in 0..<n where base[position + k] != w[k] { return false }
        let after = position + n
        if after < end {
            let c = base[after]
            if (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || ASCII.isDigit(c) { return false }
        }
        position = after
        return true
    }

    // MARK: Whole values

    /// Skips one value, checking that it is well-formed JSON; returns its buffer range.
    @discardableResult
    public mutating func skipValue(depth: Int = 0) throws(JSONSyntaxError) -> Range<Int> {
        skipWhitespace()
        let start = position
        guard depth < 512 else { throw JSONSyntaxError(position: position, message: "nesting deeper than 512 levels") }
        switch try peekKind() {
        case .object:
            try forEachMember { (cursor: inout JSONCursor, _: JSONKey) throws(JSONSyntaxError) in
                try cursor.skipValue(depth: depth + 1)
            }
        case .array:
            try forEachElement { (cursor: inout JSONCursor) throws(JSONSyntaxError) in
                try cursor.skipValue(depth: depth + 1)
            }
        case .string:
            _ = try readString()
        case .number:
            _ = try readNumber()
        case .bool:
            _ = try readLiteralBool()
        case .null:
            guard consumeNull() else { throw JSONSyntaxError(position: position, message: "expected null") }
        }
        return start..<position
    }

    /// Skips one value (validated) and returns its exact source text, for ``ExtraField``.
    public mutating func rawValue() throws(JSONSyntaxError) -> String {
        let range = try skipValue()
        return String(decoding: UnsafeBufferPointer(start: base + range.lowerBound, count: range.count), as: UTF8.self)
    }

    /// Checks that only whitespace follows.
    public mutating func expectEnd() throws(JSONSyntaxError) {
        skipWhitespace()
        if position < end {
            throw JSONSyntaxError(position: position, message: "unexpected \(ASCII.describe(base[position])) after the value")
        }
    }
}
