/// Reading small JSON documents (sidecar files, JSON stored in attributes) into ``JSONValue``, on
/// top of ``JSONCursor``. Hostile input is rejected with a ``ConversionError``, never a crash: the
/// text is bounded in size and nesting depth.
extension JSONValue {
    /// Bounds for ``init(parsing:limits:context:)``.
    public struct ParseLimits: Sendable {
        /// The largest document accepted, in bytes.
        public var maxBytes: Int
        /// The deepest nesting of arrays and objects accepted.
        public var maxDepth: Int

        public init(maxBytes: Int = 256 << 20, maxDepth: Int = 256) {
            self.maxBytes = maxBytes
            self.maxDepth = maxDepth
        }

        public static let standard = ParseLimits()
    }

    /// Parses one JSON value that must span the whole text (whitespace aside).
    ///
    /// Integer literals that fit in `Int64` become ``int(_:)-enum.case``, other numbers ``double(_:)``
    /// (correctly rounded). Errors are `.malformedInput`, with `context` and the byte index in the message.
    public init(parsing bytes: [UInt8], limits: ParseLimits = .standard, context: ErrorContext = ErrorContext()) throws(ConversionError) {
        guard bytes.count <= limits.maxBytes else {
            throw ConversionError(.limitExceeded, "the JSON text is \(bytes.count) bytes, more than the \(limits.maxBytes) accepted",
                                  context: context)
        }
        let result: Result<JSONValue, JSONSyntaxError> = bytes.withUnsafeBufferPointer { buffer in
            var cursor = JSONCursor(buffer, baseOffset: 0)
            do throws(JSONSyntaxError) {
                let value = try Self.read(&cursor, depth: 0, maxDepth: limits.maxDepth)
                try cursor.expectEnd()
                return .success(value)
            } catch {
                return .failure(error)
            }
        }
        switch result {
        case .success(let value): self = value
        case .failure(let error): throw Self.conversionError(error, context: context)
        }
    }

    /// Parses `text` as in ``init(parsing:limits:context:)-([UInt8],_,_)``.
    public init(parsing text: String, limits: ParseLimits = .standard, context: ErrorContext = ErrorContext()) throws(ConversionError) {
        try self.init(parsing: Array(text.utf8), limits: limits, context: context)
    }

    /// The members of the JSON object `text`, each with the exact source text of its value (for
    /// ``ExtraField``s that must be written back verbatim). Throws as ``init(parsing:limits:context:)-([UInt8],_,_)``,
    /// and when the text is not an object.
    public static func rawMembers(parsing text: String, limits: ParseLimits = .standard,
                                  context: ErrorContext = ErrorContext()) throws(ConversionError) -> [(key: String, rawJSON: String)] {
        let bytes = Array(text.utf8)
        guard bytes.count <= limits.maxBytes else {
            throw ConversionError(.limitExceeded, "the JSON text is \(bytes.count) bytes, more than the \(limits.maxBytes) accepted",
                                  context: context)
        }
        let result: Result<[(key: String, rawJSON: String)], JSONSyntaxError> = bytes.withUnsafeBufferPointer { buffer in
            var cursor = JSONCursor(buffer, baseOffset: 0)
            var members: [(key: String, rawJSON: String)] = []
            do throws(JSONSyntaxError) {
                guard try cursor.peekKind() == .object else {
                    throw JSONSyntaxError(position: cursor.position, message: "expected an object", isTypeError: true)
                }
                try cursor.forEachMember { (cursor: inout JSONCursor, key: JSONKey) throws(JSONSyntaxError) in
                    let start = cursor.position
                    // Validates depth and syntax through the same reader as whole documents.
                    _ = try Self.read(&cursor, depth: 1, maxDepth: limits.maxDepth)
                    let raw = String(decoding: UnsafeBufferPointer(start: cursor.base + start, count: cursor.position - start), as: UTF8.self)
                    members.append((key.decoded, raw))
                }
                try cursor.expectEnd()
                return .success(members)
            } catch {
                return .failure(error)
            }
        }
        switch result {
        case .success(let members): return members
        case .failure(let error): throw conversionError(error, context: context)
        }
    }

    /// The exact source text of each element of the JSON array `text`. Throws as
    /// ``init(parsing:limits:context:)-([UInt8],_,_)``, and when the text is not an array.
    public static func rawElements(parsing text: String, limits: ParseLimits = .standard,
                                   context: ErrorContext = ErrorContext()) throws(ConversionError) -> [String] {
        let bytes = Array(text.utf8)
        guard bytes.count <= limits.maxBytes else {
            throw ConversionError(.limitExceeded, "the JSON text is \(bytes.count) bytes, more than the \(limits.maxBytes) accepted",
                                  context: context)
        }
        let result: Result<[String], JSONSyntaxError> = bytes.withUnsafeBufferPointer { buffer in
            var cursor = JSONCursor(buffer, baseOffset: 0)
            var elements: [String] = []
            do throws(JSONSyntaxError) {
                guard try cursor.peekKind() == .array else {
                    throw JSONSyntaxError(position: cursor.position, message: "expected an array", isTypeError: true)
                }
                try cursor.forEachElement { (cursor: inout JSONCursor) throws(JSONSyntaxError) in
                    let start = cursor.position
                    _ = try Self.read(&cursor, depth: 1, maxDepth: limits.maxDepth)
                    elements.append(String(decoding: UnsafeBufferPointer(start: cursor.base + start, count: cursor.position - start), as: UTF8.self))
                }
                try cursor.expectEnd()
                return .success(elements)
            } catch {
                return .failure(error)
            }
        }
        switch result {
        case .success(let elements): return elements
        case .failure(let error): throw conversionError(error, context: context)
        }
    }

    private static func conversionError(_ error: JSONSyntaxError, context: ErrorContext) -> ConversionError {
        ConversionError(error.isTypeError ? .invalidValue : .malformedInput,
                        "invalid JSON: \(error.message) at byte \(error.position)", context: context)
    }

    private static func read(_ cursor: inout JSONCursor, depth: Int, maxDepth: Int) throws(JSONSyntaxError) -> JSONValue {
        cursor.skipWhitespace()
        switch try cursor.peekKind() {
        case .object:
            guard depth < maxDepth else { throw tooDeep(cursor, maxDepth) }
            var members: [(String, JSONValue)] = []
            try cursor.forEachMember { (cursor: inout JSONCursor, key: JSONKey) throws(JSONSyntaxError) in
                let name = key.escaped ? key.decoded
                    : String(decoding: UnsafeBufferPointer(start: key.base + key.start, count: key.count), as: UTF8.self)
                members.append((name, try read(&cursor, depth: depth + 1, maxDepth: maxDepth)))
            }
            return .object(members)
        case .array:
            guard depth < maxDepth else { throw tooDeep(cursor, maxDepth) }
            var items: [JSONValue] = []
            try cursor.forEachElement { (cursor: inout JSONCursor) throws(JSONSyntaxError) in
                items.append(try read(&cursor, depth: depth + 1, maxDepth: maxDepth))
            }
            return .array(items)
        case .string:
            return .string(try cursor.readString())
        case .number:
            let number = try cursor.readNumber()
            if let integer = number.integer { return .int(integer) }
            return .double(number.double)
        case .bool:
            return .bool(try cursor.readLiteralBool())
        case .null:
            guard cursor.consumeNull() else { throw JSONSyntaxError(position: cursor.position, message: "expected null") }
            return .null
        }
    }

    private static func tooDeep(_ cursor: JSONCursor, _ maxDepth: Int) -> JSONSyntaxError {
        JSONSyntaxError(position: cursor.position, message: "nesting deeper than \(maxDepth) levels")
    }

    // MARK: Reading values

    /// The member `key` of an object (the first, if repeated).
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.0 == key }?.1
    }

    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The value when it is an integer (`42`, or an integral number such as `42.0` within ±2⁵³).
    public var int64Value: Int64? {
        switch self {
        case .int(let i): return i
        case .double(let d):
            guard d.rounded(.towardZero) == d, abs(d) <= 9_007_199_254_740_992 else { return nil }
            return Int64(d)
        default: return nil
        }
    }

    public var doubleValue: Double? {
        switch self {
        case .int(let i): return Double(i)
        case .double(let d): return d
        default: return nil
        }
    }

    public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    public var arrayValue: [JSONValue]? {
        if case .array(let a) = self { return a }
        return nil
    }

    public var objectMembers: [(String, JSONValue)]? {
        if case .object(let m) = self { return m }
        return nil
    }
}
