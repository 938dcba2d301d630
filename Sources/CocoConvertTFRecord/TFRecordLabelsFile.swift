import CocoConvertCore
import Foundation

/// `labels.json` beside the shards: what `label_map.pbtxt` cannot say, so that reading the records
/// back restores the original categories (ids, supercategories) and the label values.
///
/// ```json
/// {"format": "cococonvert-tfrecord", "version": 1, "schema": "deeplab",
///  "background": 0, "ignore_index": 255,
///  "labels": [{"value": 1, "category_id": 1, "name": "person"}, ...],
///  "categories": [{"id": 1, "name": "person", "supercategory": "person"}, ...]}
/// ```
/// For `od`, `labels` maps each `image/object/class/label` value to its category.
struct TFRecordLabelsFile {
    static let formatName = "cococonvert-tfrecord"
    static let fileName = "labels.json"

    var schema: TFRecordSchema
    var labelSchema: LabelSchema
    var categories: [Category]

    /// The JSON text.
    var text: String {
        let labels: [JSONValue] = labelSchema.entries.map { e in
            .object([("value", .int(Int64(e.value))), ("category_id", .int(e.categoryID)), ("name", .string(e.name))])
        }
        let categoryObjects: [JSONValue] = categories.map { c in
            var o: [(String, JSONValue)] = [("id", .int(c.id)), ("name", .string(c.name))]
            if let sc = c.supercategory { o.append(("supercategory", .string(sc))) }
            return .object(o)
        }
        return JSONValue.object([
            ("format", .string(Self.formatName)), ("version", .int(1)), ("schema", .string(schema.rawValue)),
            ("background", .int(Int64(labelSchema.background))), ("ignore_index", .int(Int64(labelSchema.ignoreIndex))),
            ("labels", .array(labels)), ("categories", .array(categoryObjects)),
        ]).text(pretty: true) + "\n"
    }

    /// Reads a file written by ``text``; nil when `path` is a different `labels.json` (e.g. a PNG directory's).
    static func read(_ path: String) throws -> TFRecordLabelsFile? {
        let root: JSONValue
        do {
            root = try JSONValue(parsing: [UInt8](Data(contentsOf: URL(fileURLWithPath: path))), context: ErrorContext(file: path))
        } catch let error as ConversionError {
            throw ConversionError(.malformedInput, "labels.json is not valid JSON: \(error.message)", context: ErrorContext(file: path))
        } catch {
            throw ConversionError(.malformedInput, "labels.json is not valid JSON: \(error.localizedDescription)",
                                  context: ErrorContext(file: path))
        }
        guard root["format"]?.stringValue == formatName else { return nil }
        func fail(_ what: String) -> ConversionError {
            ConversionError(.malformedInput, "labels.json: \(what)", context: ErrorContext(file: path),
                            hint: "delete it to fall back to label_map.pbtxt")
        }
        guard let schemaName = root["schema"]?.stringValue, let schema = TFRecordSchema(rawValue: schemaName) else {
            throw fail("unknown schema")
        }
        func uint32(_ v: JSONValue?) -> UInt32? { v?.int64Value.flatMap { UInt32(exactly: $0) } }
        func int64(_ v: JSONValue?) -> Int64? { v?.int64Value }
        var entries: [LabelEntry] = []
        for item in root["labels"]?.arrayValue?.filter({ $0.objectMembers != nil }) ?? [] {
            guard let value = uint32(item["value"]), let id = int64(item["category_id"]) else { throw fail("bad label entry") }
            entries.append(LabelEntry(value: value, categoryID: id, name: item["name"]?.stringValue ?? "class_\(id)"))
        }
        var categories: [Category] = []
        for item in root["categories"]?.arrayValue?.filter({ $0.objectMembers != nil }) ?? [] {
            guard let id = int64(item["id"]) else { throw fail("category without an id") }
            categories.append(Category(id: id, name: item["name"]?.stringValue ?? "class_\(id)",
                                       supercategory: item["supercategory"]?.stringValue))
        }
        let labelSchema = LabelSchema(entries: entries, background: uint32(root["background"]) ?? 0,
                                      ignoreIndex: uint32(root["ignore_index"]) ?? 255)
        return TFRecordLabelsFile(schema: schema, labelSchema: labelSchema, categories: categories)
    }
}
