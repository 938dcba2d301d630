import CocoConvertCore

/// The TF Object Detection API's `label_map.pbtxt`: a `StringIntLabelMap` in protobuf text format,
/// one `item { id: N name: '...' }` per class (`string_int_label_map.proto`).
///
/// ```
/// item {
///   id: 1
///   name: 'person'
/// }
/// ```
public struct LabelMapPbtxt: Sendable, Hashable {
    /// One class: its id (the `image/object/class/label` value, or the DeepLab pixel value) and names.
    public struct Item: Sendable, Hashable {
        public var id: Int64
        public var name: String
        public var displayName: String?

        public init(id: Int64, name: String, displayName: String? = nil) {
            self.id = id
            self.name = name
            self.displayName = displayName
        }
    }

    public var items: [Item]

    public init(items: [Item]) {
        self.items = items
    }

    /// The text, items in the given order, names single-quoted with `\` and `'` escaped.
    public var text: String {
        var out = ""
        for item in items {
            out += "item {\n  id: \(item.id)\n  name: \(Self.quote(item.name))\n"
            if let display = item.displayName { out += "  display_name: \(Self.quote(display))\n" }
            out += "}\n"
        }
        return out
    }

    static func quote(_ s: String) -> String {
        var out = "'"
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "'": out += "\\'"
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "'"
    }

    /// Parses the text format subset label maps use: `item { ... }` blocks with `id`, `name`,
    /// `display_name` (other fields are skipped), `#` comments, single- or double-quoted strings.
    ///
    /// - Throws: `ConversionError` (`malformedInput`) with the byte offset for anything else.
    public init(parsing text: String, file: String? = nil) throws {
        var parser = Parser(bytes: Array(text.utf8), file: file)
        items = try parser.parseItems()
    }

    private struct Parser {
        let bytes: [UInt8]
        let file: String?
        var i = 0

        func fail(_ what: String) -> ConversionError {
            ConversionError(.malformedInput, "label map: \(what)", context: ErrorContext(file: file, byteOffset: i),
                            hint: "expected `item { id: N name: 'class' }` blocks")
        }

        mutating func skipSpace() {
            while i < bytes.count {
                let c = bytes[i]
                if c == 0x23 {  // '#': comment to end of line
                    while i < bytes.count && bytes[i] != 0x0A { i += 1 }
                } else if c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D || c == 0x2C || c == 0x3B {
                    i += 1
                } else {
                    return
                }
            }
        }

        mutating func identifier() -> String? {
            skipSpace()
            let start = i
            while i < bytes.count, Self.isIdentifierByte(bytes[i]) {
                i += 1
            }
            return i > start ? String(decoding: bytes[start..<i], as: UTF8.self) : nil
        }

        static func isIdentifierByte(_ c: UInt8) -> Bool {
            let lower = c | 0x20
            return c == 0x5F || (lower >= 0x61 && lower <= 0x7A) || (c >= 0x30 && c <= 0x39)
        }

        mutating func expect(_ c: UInt8) throws {
            skipSpace()
            guard i < bytes.count, bytes[i] == c else { throw fail("expected '\(Character(Unicode.Scalar(c)))'") }
            i += 1
        }

        mutating func peek(_ c: UInt8) -> Bool {
            skipSpace()
            return i < bytes.count && bytes[i] == c
        }

        mutating func parseItems() throws -> [Item] {
            var items: [Item] = []
            while true {
                skipSpace()
                if i >= bytes.count { return items }
                guard identifier() == "item" else { throw fail("expected 'item'") }
                if peek(0x3A) { i += 1 }
                try expect(0x7B)
                var id: Int64?
                var name: String?
                var display: String?
                while !peek(0x7D) {
                    guard i < bytes.count else { throw fail("item is not closed") }
                    guard let field = identifier() else { throw fail("expected a field name") }
                    if peek(0x3A) { i += 1 }
                    if peek(0x7B) {
                        try skipBlock()  // a nested message (e.g. keypoints): not needed
                        continue
                    }
                    switch field {
                    case "id": id = try integer()
                    case "name": name = try string()
                    case "display_name": display = try string()
                    default: try skipValue()
                    }
                }
                i += 1
                guard let id else { throw fail("item without an id") }
                items.append(Item(id: id, name: name ?? display ?? "class_\(id)", displayName: display))
            }
        }

        mutating func integer() throws -> Int64 {
            skipSpace()
            let start = i
            if i < bytes.count, bytes[i] == 0x2D { i += 1 }
            while i < bytes.count, bytes[i] >= 0x30 && bytes[i] <= 0x39 { i += 1 }
            guard let v = Int64(String(decoding: bytes[start..<i], as: UTF8.self)) else { throw fail("expected an integer id") }
            return v
        }

        mutating func string() throws -> String {
            skipSpace()
            guard i < bytes.count, bytes[i] == 0x27 || bytes[i] == 0x22 else { throw fail("expected a quoted string") }
            let quote = bytes[i]
            i += 1
            var out: [UInt8] = []
            while true {
                guard i < bytes.count else { throw fail("unterminated string") }
                let c = bytes[i]
                i += 1
                if c == quote { break }
                if c == 0x5C {
                    guard i < bytes.count else { throw fail("unterminated string") }
                    let e = bytes[i]
                    i += 1
                    switch e {
                    case 0x6E: out.append(0x0A)
                    case 0x74: out.append(0x09)
                    case 0x72: out.append(0x0D)
                    default: out.append(e)
                    }
                } else {
                    out.append(c)
                }
            }
            return String(decoding: out, as: UTF8.self)
        }

        mutating func skipValue() throws {
            skipSpace()
            if i < bytes.count, bytes[i] == 0x27 || bytes[i] == 0x22 {
                _ = try string()
                return
            }
            let start = i
            while i < bytes.count, !(bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x0A || bytes[i] == 0x0D
                                     || bytes[i] == 0x7D || bytes[i] == 0x2C || bytes[i] == 0x3B) {
                i += 1
            }
            guard i > start else { throw fail("expected a value") }
        }

        mutating func skipBlock() throws {
            try expect(0x7B)
            var depth = 1
            while depth > 0 {
                guard i < bytes.count else { throw fail("block is not closed") }
                if bytes[i] == 0x27 || bytes[i] == 0x22 { _ = try string(); continue }
                if bytes[i] == 0x7B { depth += 1 }
                if bytes[i] == 0x7D { depth -= 1 }
                i += 1
            }
        }
    }
}
