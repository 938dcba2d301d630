import CocoConvertCore

/// The JSON texts stored in root attributes: categories and the label mapping, both ways.
enum HeaderJSON {
    // MARK: Categories

    /// COCO-style category objects: `[{"id":1,"name":"person","supercategory":"person"}, …]`,
    /// plus `isthing`/`color` when known and unmodelled members verbatim.
    static func categories(_ categories: [Category]) -> String {
        "[" + categories.map { c in
            var members = ["\"id\":\(c.id)", "\"name\":" + jsonString(c.name)]
            if let s = c.supercategory { members.append("\"supercategory\":" + jsonString(s)) }
            if let t = c.isThing { members.append("\"isthing\":\(t ? 1 : 0)") }
            if let rgb = c.color { members.append("\"color\":[\(rgb.r),\(rgb.g),\(rgb.b)]") }
            members += c.extra.map { jsonString($0.key) + ":" + $0.rawJSON }
            return "{" + members.joined(separator: ",") + "}"
        }.joined(separator: ",") + "]"
    }

    static func categories(parsing text: String, file: String) throws -> [Category] {
        let value = try parse(text, field: HDF5ShardSchema.Attribute.categories, file: file)
        guard let items = value.arrayValue else { throw bad("categories", "is not a JSON array", file) }
        return try items.map { item in
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
                            color: color, extra: item.extraFields(excluding: ["id", "name", "supercategory", "isthing", "color"]))
        }
    }

    // MARK: Label mapping

    /// `{"background":0,"ignore_index":255,"entries":[{"value":1,"category_id":1,"name":"person"}, …]}`.
    static func mapping(_ schema: LabelSchema) -> String {
        let entries = schema.entries.map { e in
            var m = "{\"value\":\(e.value),\"category_id\":\(e.categoryID),\"name\":" + jsonString(e.name)
            if let rgb = e.color { m += ",\"color\":[\(rgb.r),\(rgb.g),\(rgb.b)]" }
            return m + "}"
        }
        return "{\"background\":\(schema.background),\"ignore_index\":\(schema.ignoreIndex),\"entries\":[" +
            entries.joined(separator: ",") + "]}"
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
        "{" + pairs.map { jsonString($0.0) + ":" + jsonString($0.1) }.joined(separator: ",") + "}"
    }

    // MARK: Helpers

    static func parse(_ text: String, field: String, file: String) throws -> JSONText {
        do {
            return try JSONText.parse(text)
        } catch {
            throw ConversionError(.malformedInput, "\(field) is not valid JSON: \(error.message) at character \(error.offset)",
                                  context: ErrorContext(file: file, field: field))
        }
    }

    private static func bad(_ field: String, _ what: String, _ file: String) -> ConversionError {
        ConversionError(.malformedInput, "root attribute \(field) \(what)", context: ErrorContext(file: file, field: field))
    }
}
