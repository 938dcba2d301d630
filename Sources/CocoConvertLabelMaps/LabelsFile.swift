import CocoConvertCore
import Foundation

/// `labels.json`, the description a PNG label directory carries beside its PNGs.
///
/// ```json
/// {"format": "cococonvert-label-maps", "version": 1, "kind": "semantic",
///  "background": 0, "ignore_index": 255, "palette": "voc",
///  "labels": [{"value": 1, "category_id": 1, "name": "person", "color": [128, 0, 0]}, ...],
///  "categories": [{"id": 1, "name": "person", "supercategory": "person"}, ...],
///  "images": [{"file": "000000000139.png", "id": 139, "file_name": "000000000139.jpg",
///              "width": 640, "height": 426, "instances": [[1, 62, 0, 12345], ...]}, ...]}
/// ```
/// `instances` (instance and panoptic maps only) lists `[value, category_id, iscrowd, annotation_id]`.
/// The writer streams the `images` array, one record per line.
struct LabelsFile {
    static let formatName = "cococonvert-label-maps"
    static let fileName = "labels.json"

    /// One painted value of one image (instance and panoptic maps).
    struct InstanceRecord: Sendable, Hashable {
        var value: UInt32
        var categoryID: Int64
        var isCrowd: Bool
        var annotationID: Int64?
    }

    /// One image record.
    struct ImageRecord: Sendable {
        var file: String
        var id: Int64
        var fileName: String
        var width: Int
        var height: Int
        var instances: [InstanceRecord]?
    }

    var kind: MapKind
    var schema: LabelSchema
    var categories: [Category]
    var paletteName: String?
    var images: [ImageRecord]

    // MARK: - Writing

    /// Everything before the first image record, ending with `"images": [`.
    static func headerText(kind: MapKind, schema: LabelSchema, categories: [Category], paletteName: String?,
                           colorOf: (LabelEntry) -> RGB?) -> String {
        let labels: [JSONValue] = schema.entries.map { e in
            .object([("value", .int(Int64(e.value))), ("category_id", .int(e.categoryID)), ("name", .string(e.name)),
                     ("color", colorJSON(colorOf(e)))])
        }
        let head = JSONValue.object([
            ("format", .string(formatName)), ("version", .int(1)), ("kind", .string(kind.rawValue)),
            ("background", .int(Int64(schema.background))), ("ignore_index", .int(Int64(schema.ignoreIndex))),
            ("palette", .optional(paletteName)),
            ("labels", .array(labels)), ("categories", .array(categories.map(categoryValue))),
        ]).text(pretty: true)
        // The object without its closing "\n}", continued by the streamed `images` member.
        return String(head.dropLast(2)) + ",\n  \"images\": ["
    }

    static func colorJSON(_ c: RGB?) -> JSONValue {
        c.map { .array([.int(Int64($0.r)), .int(Int64($0.g)), .int(Int64($0.b))]) } ?? .null
    }

    static func categoryValue(_ c: Category) -> JSONValue {
        var o: [(String, JSONValue)] = [("id", .int(c.id)), ("name", .string(c.name))]
        if let sc = c.supercategory { o.append(("supercategory", .string(sc))) }
        if let t = c.isThing { o.append(("isthing", .int(t ? 1 : 0))) }
        if let color = c.color { o.append(("color", colorJSON(color))) }
        return .object(o)
    }

    /// One category as a compact JSON object.
    static func categoryJSON(_ c: Category) -> String { categoryValue(c).text() }

    /// One image record as a line (without separator).
    static func imageText(_ r: ImageRecord) -> String {
        var o: [(String, JSONValue)] = [("file", .string(r.file)), ("id", .int(r.id)), ("file_name", .string(r.fileName)),
                                        ("width", .int(r.width)), ("height", .int(r.height))]
        if let instances = r.instances {
            o.append(("instances", .array(instances.map { i in
                .array([.int(Int64(i.value)), .int(i.categoryID), .int(i.isCrowd ? 1 : 0), .optional(i.annotationID.map(Int.init))])
            })))
        }
        return JSONValue.object(o).text()
    }

    static let footerText = "\n]}\n"

    // MARK: - Reading

    /// Parses `labels.json`. Errors name the file and the member.
    static func load(path: String) throws -> LabelsFile {
        let context = ErrorContext(file: path)
        func bad(_ what: String) -> ConversionError {
            ConversionError(.invalidValue, "labels.json: \(what)", context: context,
                            hint: "the file should be as cococonvert writes it (see formats/png-labels.md)")
        }
        let root: JSONValue
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            root = try JSONValue(parsing: [UInt8](data), context: context)
        } catch let error as ConversionError {
            throw ConversionError(.malformedInput, "labels.json is not readable JSON: \(error.message)",
                                  context: context, hint: "fix or remove labels.json (then give --category-file)")
        } catch {
            throw ConversionError(.malformedInput, "labels.json is not readable JSON: \(error.localizedDescription)",
                                  context: context, hint: "fix or remove labels.json (then give --category-file)")
        }
        guard root.objectMembers != nil else { throw bad("top level is not an object") }
        /// An integer, with booleans as 0 and 1.
        func int(_ value: JSONValue?) -> Int64? {
            if let b = value?.boolValue { return b ? 1 : 0 }
            return value?.int64Value
        }
        func rgb(_ value: JSONValue?) -> RGB? {
            guard let a = value?.arrayValue, a.count == 3, let r = int(a[0]), let g = int(a[1]), let b = int(a[2]),
                  let r8 = UInt8(exactly: r), let g8 = UInt8(exactly: g), let b8 = UInt8(exactly: b) else { return nil }
            return RGB(r8, g8, b8)
        }
        func u32(_ any: JSONValue?, _ what: String) throws -> UInt32 {
            guard let v = int(any), let u = UInt32(exactly: v) else { throw bad("\(what) must be a non-negative integer") }
            return u
        }
        var kind = MapKind.semantic
        if let k = root["kind"]?.stringValue {
            guard let parsed = MapKind(rawValue: k) else { throw bad("unknown kind '\(k)'") }
            kind = parsed
        }
        let background = root["background"] == nil ? 0 : try u32(root["background"], "background")
        let ignore = root["ignore_index"] == nil ? 255 : try u32(root["ignore_index"], "ignore_index")
        var entries: [LabelEntry] = []
        for (i, o) in (root["labels"]?.arrayValue ?? []).enumerated() {
            guard o.objectMembers != nil, let id = int(o["category_id"]) else {
                throw bad("labels[\(i)] needs value and category_id")
            }
            entries.append(LabelEntry(value: try u32(o["value"], "labels[\(i)].value"), categoryID: id,
                                      name: o["name"]?.stringValue ?? "category_\(id)", color: rgb(o["color"])))
        }
        var categories: [Category] = []
        for (i, o) in (root["categories"]?.arrayValue ?? []).enumerated() {
            guard o.objectMembers != nil, let id = int(o["id"]) else { throw bad("categories[\(i)] needs an id") }
            categories.append(Category(id: id, name: o["name"]?.stringValue ?? "category_\(id)",
                                       supercategory: o["supercategory"]?.stringValue,
                                       isThing: int(o["isthing"]).map { $0 != 0 }, color: rgb(o["color"])))
        }
        var images: [ImageRecord] = []
        for (i, o) in (root["images"]?.arrayValue ?? []).enumerated() {
            guard let file = o["file"]?.stringValue else { throw bad("images[\(i)] needs a file") }
            var instances: [InstanceRecord]?
            if let list = o["instances"]?.arrayValue {
                instances = try list.map { element in
                    guard let a = element.arrayValue, a.count >= 2, let cat = int(a[1]) else {
                        throw bad("images[\(i)].instances entries are [value, category_id, iscrowd, annotation_id]")
                    }
                    return InstanceRecord(value: try u32(a[0], "instance value"), categoryID: cat,
                                          isCrowd: a.count > 2 && (int(a[2]) ?? 0) != 0,
                                          annotationID: a.count > 3 ? int(a[3]) : nil)
                }
            }
            images.append(ImageRecord(file: file, id: int(o["id"]) ?? Int64(i + 1),
                                      fileName: o["file_name"]?.stringValue ?? file,
                                      width: Int(int(o["width"]) ?? 0), height: Int(int(o["height"]) ?? 0),
                                      instances: instances))
        }
        return LabelsFile(kind: kind, schema: LabelSchema(entries: entries, background: background, ignoreIndex: ignore),
                          categories: categories, paletteName: root["palette"]?.stringValue, images: images)
    }
}
