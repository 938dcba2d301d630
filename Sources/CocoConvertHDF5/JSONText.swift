import CocoConvertCore

/// A small JSON value with the source text of every member kept, for the JSON strings a shard stores
/// (categories, label mapping, per-record extra members, polygons).
///
/// Numbers stay as their text so `Double` round trips are exact and unknown members can be handed
/// back verbatim as ``ExtraField``s.
indirect enum JSONText: Sendable, Equatable {
    case object([(key: String, value: JSONText, raw: String)])
    case array([JSONText])
    case string(String)
    case number(String)
    case bool(Bool)
    case null

    static func == (a: JSONText, b: JSONText) -> Bool {
        switch (a, b) {
        case let (.object(x), .object(y)):
            return x.count == y.count && zip(x, y).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        case let (.array(x), .array(y)): return x == y
        case let (.string(x), .string(y)): return x == y
        case let (.number(x), .number(y)): return x == y
        case let (.bool(x), .bool(y)): return x == y
        case (.null, .null): return true
        default: return false
        }
    }

    /// A parse failure: what was expected and the byte offset.
    struct ParseError: Error, Sendable {
        var message: String
        var offset: Int
    }

    /// Parses one JSON value that must span the whole text (whitespace aside).
    static func parse(_ text: String) throws(ParseError) -> JSONText {
        var parser = Parser(bytes: Array(text.utf8))
        parser.skipSpace()
        let value = try parser.value(depth: 0)
        parser.skipSpace()
        guard parser.at == parser.bytes.count else { throw ParseError(message: "trailing characters", offset: parser.at) }
        return value
    }

    /// The member `key` of an object.
    subscript(key: String) -> JSONText? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }

    var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    var int64Value: Int64? {
        if case .number(let s) = self { return Int64(s) ?? Double(s).flatMap { $0 == $0.rounded() ? Int64(exactly: $0) : nil } }
        return nil
    }

    var doubleValue: Double? {
        if case .number(let s) = self { return Double(s) }
        return nil
    }

    var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    var arrayValue: [JSONText]? {
        if case .array(let a) = self { return a }
        return nil
    }

    /// The members of an object other than `known`, as extra fields with their source text.
    func extraFields(excluding known: Set<String>) -> [ExtraField] {
        guard case .object(let members) = self else { return [] }
        return members.filter { !known.contains($0.key) }.map { ExtraField(key: $0.key, rawJSON: $0.raw) }
    }

    /// A JSON object text from extra fields (values verbatim), `""` when there are none.
    static func object(from extra: [ExtraField]) -> String {
        guard !extra.isEmpty else { return "" }
        return "{" + extra.map { jsonString($0.key) + ":" + $0.rawJSON }.joined(separator: ",") + "}"
    }

    /// `value` as a JSON number that parses back to the same `Double` (integers without a fraction).
    static func number(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }

    private struct Parser {
        let bytes: [UInt8]
        var at = 0

        mutating func skipSpace() {
            while at < bytes.count, bytes[at] == 0x20 || bytes[at] == 0x0A || bytes[at] == 0x0D || bytes[at] == 0x09 { at += 1 }
        }

        func fail(_ message: String) -> ParseError { ParseError(message: message, offset: at) }

        mutating func value(depth: Int) throws(ParseError) -> JSONText {
            guard depth < 256 else { throw fail("nesting deeper than 256") }
            guard at < bytes.count else { throw fail("unexpected end, a value was expected") }
            switch bytes[at] {
            case UInt8(ascii: "{"):
                at += 1
                var members: [(key: String, value: JSONText, raw: String)] = []
                skipSpace()
                if at < bytes.count, bytes[at] == UInt8(ascii: "}") { at += 1; return .object(members) }
                while true {
                    skipSpace()
                    guard at < bytes.count, bytes[at] == UInt8(ascii: "\"") else { throw fail("a member name was expected") }
                    let key = try string()
                    skipSpace()
                    guard at < bytes.count, bytes[at] == UInt8(ascii: ":") else { throw fail("':' was expected") }
                    at += 1
                    skipSpace()
                    let start = at
                    let v = try value(depth: depth + 1)
                    members.append((key, v, String(decoding: bytes[start..<at], as: UTF8.self)))
                    skipSpace()
                    guard at < bytes.count else { throw fail("unexpected end in an object") }
                    if bytes[at] == UInt8(ascii: ",") { at += 1; continue }
                    if bytes[at] == UInt8(ascii: "}") { at += 1; return .object(members) }
                    throw fail("',' or '}' was expected")
                }
            case UInt8(ascii: "["):
                at += 1
                var items: [JSONText] = []
                skipSpace()
                if at < bytes.count, bytes[at] == UInt8(ascii: "]") { at += 1; return .array(items) }
                while true {
                    skipSpace()
                    items.append(try value(depth: depth + 1))
                    skipSpace()
                    guard at < bytes.count else { throw fail("unexpected end in an array") }
                    if bytes[at] == UInt8(ascii: ",") { at += 1; continue }
                    if bytes[at] == UInt8(ascii: "]") { at += 1; return .array(items) }
                    throw fail("',' or ']' was expected")
                }
            case UInt8(ascii: "\""):
                return .string(try string())
            case UInt8(ascii: "t"): try literal("true"); return .bool(true)
            case UInt8(ascii: "f"): try literal("false"); return .bool(false)
            case UInt8(ascii: "n"): try literal("null"); return .null
            default:
                let start = at
                while at < bytes.count, Self.isNumberByte(bytes[at]) { at += 1 }
                let text = String(decoding: bytes[start..<at], as: UTF8.self)
                guard at > start, Double(text) != nil else { at = start; throw fail("a value was expected") }
                return .number(text)
            }
        }

        static func isNumberByte(_ b: UInt8) -> Bool {
            (b >= 0x30 && b <= 0x39) || b == UInt8(ascii: "-") || b == UInt8(ascii: "+") || b == UInt8(ascii: ".")
                || b == UInt8(ascii: "e") || b == UInt8(ascii: "E")
        }

        mutating func literal(_ word: String) throws(ParseError) {
            let w = Array(word.utf8)
            guard at + w.count <= bytes.count, Array(bytes[at..<at + w.count]) == w else { throw fail("'\(word)' was expected") }
            at += w.count
        }

        mutating func string() throws(ParseError) -> String {
            at += 1  // opening quote
            var out: [UInt8] = []
            while at < bytes.count {
                let b = bytes[at]
                if b == UInt8(ascii: "\"") { at += 1; return String(decoding: out, as: UTF8.self) }
                if b < 0x20 { throw fail("control character in a string") }
                if b != UInt8(ascii: "\\") { out.append(b); at += 1; continue }
                at += 1
                guard at < bytes.count else { break }
                let e = bytes[at]
                at += 1
                switch e {
                case UInt8(ascii: "\""): out.append(0x22)
                case UInt8(ascii: "\\"): out.append(0x5C)
                case UInt8(ascii: "/"): out.append(0x2F)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if (0xD800..<0xDC00).contains(scalar), at + 1 < bytes.count,
                       bytes[at] == UInt8(ascii: "\\"), bytes[at + 1] == UInt8(ascii: "u") {
                        at += 2
                        let low = try hex4()
                        guard (0xDC00..<0xE000).contains(low) else { throw fail("unpaired surrogate") }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let u = Unicode.Scalar(scalar) else { throw fail("invalid \\u escape") }
                    out.append(contentsOf: Array(String(Character(u)).utf8))
                default: throw fail("invalid escape")
                }
            }
            throw fail("unterminated string")
        }

        mutating func hex4() throws(ParseError) -> UInt32 {
            guard at + 4 <= bytes.count else { throw fail("short \\u escape") }
            var v: UInt32 = 0
            for _ in 0..<4 {
                let b = bytes[at]
                let d: UInt32
                switch b {
                case 0x30...0x39: d = UInt32(b - 0x30)
                case 0x41...0x46: d = UInt32(b - 0x41 + 10)
                case 0x61...0x66: d = UInt32(b - 0x61 + 10)
                default: throw fail("bad hex digit in \\u escape")
                }
                v = v << 4 | d
                at += 1
            }
            return v
        }
    }
}
