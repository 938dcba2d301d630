import CocoConvertCore

/// The JSON texts stored in root attributes: categories and the label mapping, both ways.
enum HeaderJSON {
    // MARK: Categories

    /// COCO-style category objects: `[{"id":1,"name":"person","supercategory":"person"}, …]`,
    /// plus `isthing`/`color` when known and unmodelled members verbatim.
    static func categories(_ categories: [Category]) -> String {
        JSONValue.array(categories.map { c in
            var members: [(String, JSONValue)] = [("id", .int(c.id)), ("name", .string(c.name))]
            if let s = c.supercategory { members.append(("supercategory", .string(s))) }
            if let t = c.isThing { members.append(("isthing", .int(t ? 1 : 0))) }
            if let rgb = c.color { members.append(("color", color(rgb))) }
            members += c.extra.map { ($0.key, .raw($0.rawJSON)) }
            return .object(members)
        }).text()
    }

    static func categories(parsing text: String, file: String) throws -> [Category] {
        let value = try parse(text, field: HDF5ShardSchema.Attribute.categories, file: file)
        guard let items = value.arrayValue else { throw bad("categories", "is not a JSON array", file) }
        let field = HDF5ShardSchema.Attribute.categories
        let rawItems: [String]
        do {
            rawItems = try JSONValue.rawElements(parsing: text)
        } catch {
            throw invalid(error, field: field)
        }
        return try zip(items, rawItems).map { item, raw in
            guard let id = item["id"]?.int64Value, let name = item["name"]?.stringValue else {
                throw bad("categories", "has an entry without an integer id and a string name", file)
            }
            var color: RGB?
            if let parts = item["color"]?.arrayValue?.compactMap({ $0.int64Value }), parts.count == 3,
               parts.allSatisfy({ (0...255).contains($0) }) {
                color = RGB(UInt8(parts[0]), UInt8(parts[1]), UInt8(parts[2]))
            }
            let isThing = item["isthing"].flatMap { $0.int64Value.map { $0 != 0 } ?? $0.boolValue }
            return Category(id: id, name: name, supercategory: item["supercategory"]?.stringValue, isThing: isThing,
                            color: color, extra: try extraFields(raw, field: field, file: file,
                                                       excluding: ["id", "name", "supercategory", "isthing", "color"]))
        }
    }

    // MARK: Label mapping

    /// `{"background":0,"ignore_index":255,"entries":[{"value":1,"category_id":1,"name":"person"}, …]}`.
    static func mapping(_ schema: LabelSchema) -> String {
        let entries = schema.entries.map { e in
            var m: [(String, JSONValue)] = [("value", .int(Int64(e.value))), ("category_id", .int(e.categoryID)), ("name", .string(e.name))]
            if let rgb = e.color { m.append(("color", color(rgb))) }
            return JSONValue.object(m)
        }
        return JSONValue.object([("background", .int(Int64(schema.background))), ("ignore_index", .int(Int64(schema.ignoreIndex))),
                                 ("entries", .array(entries))]).text()
    }

    static func mapping(parsing text: String, file: String) throws -> LabelSchema {
        let value = try parse(text, field: HDF5ShardSchema.Attribute.labelMapping, file: file)
        guard let background = value["background"]?.int64Value.flatMap(UInt32.init(exactly:)),
              let ignore = value["ignore_index"]?.int64Value.flatMap(UInt32.init(exactly:)),
              let items = value["entries"]?.arrayValue else {
            throw bad("label_mapping", "lacks background, ignore_index or entries", file)
        }
        let entries = try items.map { item in
            guard let v = item["value"]?.int64Value.flatMap(UInt32.init(exactly:)), let id = item["category_id"]?.int64Value else {
                throw bad("label_mapping", "has an entry without value and category_id", file)
            }
            var color: RGB?
            if let parts = item["color"]?.arrayValue?.compactMap({ $0.int64Value }), parts.count == 3,
               parts.allSatisfy({ (0...255).contains($0) }) {
                color = RGB(UInt8(parts[0]), UInt8(parts[1]), UInt8(parts[2]))
            }
            return LabelEntry(value: v, categoryID: id, name: item["name"]?.stringValue ?? "", color: color)
        }
        return LabelSchema(entries: entries, background: background, ignoreIndex: ignore)
    }

    /// A JSON object of string pairs, in order.
    static func stringObject(_ pairs: [(String, String)]) -> String {
        JSONValue.object(pairs.map { ($0.0, .string($0.1)) }).text()
    }

    /// A JSON object text from extra fields (values verbatim), `""` when there are none.
    static func object(from extra: [ExtraField]) -> String {
        extra.isEmpty ? "" : JSONValue.object(extra).text()
    }

    /// Polygons as a JSON array of number arrays; each number parses back to the same `Double`.
    static func polygons(_ parts: [[Double]]) -> String {
        JSONValue.array(parts.map { .array($0.map(JSONValue.double)) }).text()
    }

    private static func color(_ rgb: RGB) -> JSONValue {
        .array([.int(Int64(rgb.r)), .int(Int64(rgb.g)), .int(Int64(rgb.b))])
    }

    // MARK: Helpers

    /// Parses a stored JSON text; invalid JSON is a `.malformedInput` error naming `field`.
    static func parse(_ text: String, field: String, file: String) throws(ConversionError) -> JSONValue {
        do {
            return try JSONValue(parsing: text, context: ErrorContext(file: file, field: field))
        } catch {
            throw invalid(error, field: field)
        }
    }

    /// The members of a stored JSON object other than `known`, as extra fields with their source text.
    static func extraFields(_ text: String, field: String, file: String, excluding known: Set<String> = []) throws(ConversionError) -> [ExtraField] {
        do {
            return try JSONValue.rawMembers(parsing: text, context: ErrorContext(file: file, field: field))
                .filter { !known.contains($0.key) }.map { ExtraField(key: $0.key, rawJSON: $0.rawJSON) }
        } catch {
            throw invalid(error, field: field)
        }
    }

    /// Checks that a stored JSON text (copied verbatim into COCO output, like `info`) is valid JSON.
    static func validate(_ text: String, field: String, file: String) throws(ConversionError) {
        do {
            _ = try JSONValue(parsing: text, context: ErrorContext(file: file, field: field))
        } catch {
            throw invalid(error, field: field)
        }
    }

    private static func invalid(_ error: ConversionError, field: String) -> ConversionError {
        var e = error
        e.code = .malformedInput
        let prefix = "invalid JSON: "
        e.message = "\(field) is not valid JSON: " + (e.message.hasPrefix(prefix) ? String(e.message.dropFirst(prefix.count)) : e.message)
        return e
    }

    private static func bad(_ field: String, _ what: String, _ file: String) -> ConversionError {
        ConversionError(.malformedInput, "root attribute \(field) \(what)", context: ErrorContext(file: file, field: field))
    }
}
