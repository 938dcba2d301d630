import CocoConvertCore

/// A parsed XML element: its name, its text (entities decoded, whitespace kept) and its children.
///
/// Just enough XML for VOC annotation files: elements, text, CDATA, comments, processing
/// instructions and a DOCTYPE (skipped; its entity declarations are not honoured). Attributes are
/// parsed and kept. Namespaces are not interpreted.
public struct VOCXMLElement: Sendable, Hashable {
    public var name: String
    public var attributes: [String: String]
    /// The element's own character data, concatenated (not its children's).
    public var text: String
    public var children: [VOCXMLElement]

    public init(name: String, attributes: [String: String] = [:], text: String = "", children: [VOCXMLElement] = []) {
        self.name = name
        self.attributes = attributes
        self.text = text
        self.children = children
    }

    /// The first child named `name`.
    public func child(_ name: String) -> VOCXMLElement? {
        children.first { $0.name == name }
    }

    /// Every child named `name`, in document order.
    public func children(named name: String) -> [VOCXMLElement] {
        children.filter { $0.name == name }
    }

    /// The trimmed text of the element at a `/`-separated path below this one (`size/width`).
    public func value(at path: String) -> String? {
        var node = self
        for step in path.split(separator: "/") {
            guard let next = node.child(String(step)) else { return nil }
            node = next
        }
        return node.text.trimmingASCIIWhitespace()
    }

    /// Parses a whole document and returns its root element.
    ///
    /// - Parameters:
    ///   - maxDepth: deeper nesting is rejected (protects the parser and its callers).
    /// - Throws: ``ConversionError`` (`malformedInput`) naming `file` and the byte offset of the
    ///   first problem: unbalanced or mismatched tags, an unknown entity, text outside the root,
    ///   a truncated construct.
    public static func parse(_ bytes: [UInt8], file: String, maxDepth: Int = 64) throws -> VOCXMLElement {
        var parser = XMLByteParser(bytes: bytes, file: file, maxDepth: maxDepth)
        return try parser.document()
    }

    /// `text` escaped for XML character data and attribute values: `& < > " '` become entity
    /// references; characters XML 1.0 cannot carry at all (C0 controls other than tab, line feed
    /// and carriage return, U+FFFE, U+FFFF) are dropped.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}

/// A cursor over XML bytes producing ``VOCXMLElement`` trees.
private struct XMLByteParser {
    let bytes: [UInt8]
    let file: String
    let maxDepth: Int
    var i = 0

    init(bytes: [UInt8], file: String, maxDepth: Int) {
        self.bytes = bytes
        self.file = file
        self.maxDepth = maxDepth
    }

    func fail(_ message: String, at offset: Int? = nil) -> ConversionError {
        ConversionError(.malformedInput, "XML: \(message)", context: ErrorContext(file: file, byteOffset: offset ?? i),
                        hint: "the annotation file is not well-formed XML; fix or remove it")
    }

    func starts(with literal: StaticString, at offset: Int) -> Bool {
        let n = literal.utf8CodeUnitCount
        guard offset + n <= bytes.count else { return false }
        return literal.withUTF8Buffer { lit in
            for k in 0..<n where bytes[offset + k] != lit[k] { return false }
            return true
        }
    }

    /// Moves past the first occurrence of `terminator` at or after `i`.
    mutating func skip(past terminator: StaticString, what: String) throws {
        let start = i
        while i < bytes.count {
            if starts(with: terminator, at: i) {
                i += terminator.utf8CodeUnitCount
                return
            }
            i += 1
        }
        throw fail("unterminated \(what)", at: start)
    }

    static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }

    static func isNameByte(_ b: UInt8) -> Bool {
        // Letters, digits, '_', ':', '-', '.', and every non-ASCII byte (UTF-8 names).
        (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || (b >= 0x30 && b <= 0x39)
            || b == 0x5F || b == 0x3A || b == 0x2D || b == 0x2E || b >= 0x80
    }

    mutating func skipSpace() {
        while i < bytes.count, Self.isSpace(bytes[i]) { i += 1 }
    }

    mutating func name() throws -> String {
        let start = i
        while i < bytes.count, Self.isNameByte(bytes[i]) { i += 1 }
        guard i > start else { throw fail("expected a name") }
        return String(decoding: bytes[start..<i], as: UTF8.self)
    }

    /// Skips what may stand outside elements: whitespace, comments, processing instructions, DOCTYPE.
    mutating func skipMisc() throws {
        while true {
            skipSpace()
            if starts(with: "<!--", at: i) {
                i += 4
                try skip(past: "-->", what: "comment")
            } else if starts(with: "<?", at: i) {
                i += 2
                try skip(past: "?>", what: "processing instruction")
            } else if starts(with: "<!DOCTYPE", at: i) {
                try skipDoctype()
            } else {
                return
            }
        }
    }

    mutating func skipDoctype() throws {
        let start = i
        var bracket = 0
        while i < bytes.count {
            switch bytes[i] {
            case UInt8(ascii: "["): bracket += 1
            case UInt8(ascii: "]"): bracket -= 1
            case UInt8(ascii: ">") where bracket <= 0:
                i += 1
                return
            default: break
            }
            i += 1
        }
        throw fail("unterminated DOCTYPE", at: start)
    }

    mutating func document() throws -> VOCXMLElement {
        // A UTF-8 byte order mark may precede everything.
        if starts(with: "\u{FEFF}", at: 0) { i = 3 }
        try skipMisc()
        guard i < bytes.count, bytes[i] == UInt8(ascii: "<") else { throw fail("no root element") }
        let root = try element()
        try skipMisc()
        guard i == bytes.count else { throw fail("content after the root element") }
        return root
    }

    /// Parses one element starting at `<`, iteratively (depth bounded by `maxDepth`).
    mutating func element() throws -> VOCXMLElement {
        var stack: [VOCXMLElement] = []
        var textBuffers: [[UInt8]] = []
        while true {
            guard i < bytes.count else { throw fail("unexpected end of file inside <\(stack.last?.name ?? "")>") }
            let b = bytes[i]
            if b != UInt8(ascii: "<") {
                // Character data of the innermost open element.
                guard !stack.isEmpty else { throw fail("text outside the root element") }
                let start = i
                while i < bytes.count, bytes[i] != UInt8(ascii: "<") { i += 1 }
                try decodeText(bytes[start..<i], into: &textBuffers[textBuffers.count - 1])
                continue
            }
            if starts(with: "<!--", at: i) {
                i += 4
                try skip(past: "-->", what: "comment")
                continue
            }
            if starts(with: "<?", at: i) {
                i += 2
                try skip(past: "?>", what: "processing instruction")
                continue
            }
            if starts(with: "<![CDATA[", at: i) {
                guard !stack.isEmpty else { throw fail("CDATA outside the root element") }
                let start = i + 9
                i = start
                try skip(past: "]]>", what: "CDATA section")
                textBuffers[textBuffers.count - 1].append(contentsOf: bytes[start..<(i - 3)])
                continue
            }
            if starts(with: "</", at: i) {
                let tagStart = i
                i += 2
                let closing = try name()
                skipSpace()
                guard i < bytes.count, bytes[i] == UInt8(ascii: ">") else { throw fail("malformed end tag </\(closing)") }
                i += 1
                guard var open = stack.popLast(), let text = textBuffers.popLast() else {
                    throw fail("end tag </\(closing)> without a start tag", at: tagStart)
                }
                guard open.name == closing else {
                    throw fail("end tag </\(closing)> does not match <\(open.name)>", at: tagStart)
                }
                open.text = String(decoding: text, as: UTF8.self)
                if stack.isEmpty { return open }
                stack[stack.count - 1].children.append(open)
                continue
            }
            // A start tag.
            let tagStart = i
            i += 1
            let elementName = try name()
            var attributes: [String: String] = [:]
            var selfClosing = false
            while true {
                skipSpace()
                guard i < bytes.count else { throw fail("unterminated start tag <\(elementName)", at: tagStart) }
                if bytes[i] == UInt8(ascii: ">") { i += 1; break }
                if starts(with: "/>", at: i) { i += 2; selfClosing = true; break }
                let attributeName = try name()
                skipSpace()
                guard i < bytes.count, bytes[i] == UInt8(ascii: "=") else { throw fail("attribute \(attributeName) without a value") }
                i += 1
                skipSpace()
                guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") || bytes[i] == UInt8(ascii: "'") else {
                    throw fail("attribute \(attributeName) value is not quoted")
                }
                let quote = bytes[i]
                i += 1
                let valueStart = i
                while i < bytes.count, bytes[i] != quote { i += 1 }
                guard i < bytes.count else { throw fail("unterminated attribute value", at: valueStart) }
                var value: [UInt8] = []
                try decodeText(bytes[valueStart..<i], into: &value)
                i += 1
                attributes[attributeName] = String(decoding: value, as: UTF8.self)
            }
            let node = VOCXMLElement(name: elementName, attributes: attributes)
            if selfClosing {
                if stack.isEmpty { return node }
                stack[stack.count - 1].children.append(node)
            } else {
                guard stack.count < maxDepth else { throw fail("elements nested deeper than \(maxDepth)", at: tagStart) }
                stack.append(node)
                textBuffers.append([])
            }
        }
    }

    /// XML 1.0 `Char`: tab, line feed, carriage return, U+0020… except U+FFFE and U+FFFF (surrogates are
    /// not `Unicode.Scalar`s).
    static func isXMLCharacter(_ value: UInt32) -> Bool {
        value >= 0x20 ? value != 0xFFFE && value != 0xFFFF : value == 0x09 || value == 0x0A || value == 0x0D
    }

    /// Appends `raw` to `out` with entity and character references decoded.
    func decodeText(_ raw: ArraySlice<UInt8>, into out: inout [UInt8]) throws {
        var k = raw.startIndex
        while k < raw.endIndex {
            let b = raw[k]
            guard b == UInt8(ascii: "&") else {
                // XML 1.0 has no C0 controls but tab, line feed and carriage return (a fatal error in
                // any XML reader; ours would also read what VOCXMLElement.escape cannot write back).
                guard b >= 0x20 || b == 0x09 || b == 0x0A || b == 0x0D else {
                    throw fail("control character 0x\(String(b, radix: 16, uppercase: true)) is not allowed in XML", at: k)
                }
                out.append(b)
                k += 1
                continue
            }
            guard let semicolon = raw[k...].prefix(12).firstIndex(of: UInt8(ascii: ";")) else {
                throw fail("'&' not starting an entity reference", at: k)
            }
            let entity = raw[(k + 1)..<semicolon]
            switch String(decoding: entity, as: UTF8.self) {
            case "lt": out.append(UInt8(ascii: "<"))
            case "gt": out.append(UInt8(ascii: ">"))
            case "amp": out.append(UInt8(ascii: "&"))
            case "quot": out.append(UInt8(ascii: "\""))
            case "apos": out.append(UInt8(ascii: "'"))
            case let reference where reference.hasPrefix("#"):
                let digits = reference.dropFirst()
                let value: UInt32?
                if digits.hasPrefix("x") || digits.hasPrefix("X") {
                    value = UInt32(digits.dropFirst(), radix: 16)
                } else {
                    value = UInt32(digits, radix: 10)
                }
                guard let value, let scalar = Unicode.Scalar(value), Self.isXMLCharacter(value) else {
                    throw fail("bad character reference &\(reference);", at: k)
                }
                out.append(contentsOf: Array(String(Character(scalar)).utf8))
            case let other:
                throw fail("unknown entity &\(other);", at: k)
            }
            k = semicolon + 1
        }
    }
}
