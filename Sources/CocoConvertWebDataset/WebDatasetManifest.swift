import CocoConvertCore
import Foundation

/// `<split>.dataset.json` beside the shards: what a sample's JSON cannot say on its own (every
/// category, even those no sample uses, with their own fields; the dataset kind, `info`,
/// `licenses`; the sample count and the shard names). WebDataset and `datasets` ignore it (they
/// read the `.tar` files); cococonvert's reader takes the categories and count from it.
struct WebDatasetManifest {
    var split: String
    var kind: DatasetKind
    var categories: [Category]
    var info: String?
    var licenses: String?
    var samples = 0
    var shards: [String] = []

    static let formatName = "cococonvert-webdataset"

    static func fileName(split: String) -> String { split + ".dataset.json" }

    init(split: String, header: DatasetHeader) {
        self.split = split
        kind = header.kind == .panoptic ? .instances : header.kind
        categories = header.categories
        info = header.info
        licenses = header.licenses
    }

    func encoded() -> [UInt8] {
        var members: [(String, JSONValue)] = [("format", .string(Self.formatName)), ("split", .string(split)),
                                              ("kind", .string(kind.rawValue)), ("samples", .int(samples)),
                                              ("shards", .array(shards.map(JSONValue.string)))]
        if let info { members.append(("info", .raw(info))) }
        if let licenses { members.append(("licenses", .raw(licenses))) }
        members.append(("categories", .array(categories.map(Self.categoryJSON))))
        return Array((JSONValue.object(members).text(pretty: true) + "\n").utf8)
    }

    private static func categoryJSON(_ c: Category) -> JSONValue {
        var m: [(String, JSONValue)] = [("id", .int(c.id)), ("name", .string(c.name))]
        if let s = c.supercategory { m.append(("supercategory", .string(s))) }
        if let t = c.isThing { m.append(("isthing", .int(t ? 1 : 0))) }
        if let rgb = c.color { m.append(("color", .array([.int(Int(rgb.r)), .int(Int(rgb.g)), .int(Int(rgb.b))]))) }
        m += c.extra.filter { !["id", "name", "supercategory", "isthing", "color"].contains($0.key) }.map { ($0.key, .raw($0.rawJSON)) }
        return .object(m)
    }

    /// Reads a manifest; nil when the file does not exist.
    static func load(path: String) throws -> WebDatasetManifest? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let bytes = try readSmallFile(path, maxBytes: 256 << 20)
        let context = ErrorContext(file: path)
        let members = try JSONValue.rawMembers(parsing: String(decoding: bytes, as: UTF8.self), context: context)
        var manifest = WebDatasetManifest(split: "", header: DatasetHeader(kind: .instances, categories: []))
        for member in members {
            let fieldContext = ErrorContext(field: member.key).merged(with: context)
            switch member.key {
            case "split": manifest.split = try JSONValue(parsing: member.rawJSON, context: fieldContext).stringValue ?? ""
            case "kind":
                let name = try JSONValue(parsing: member.rawJSON, context: fieldContext).stringValue ?? ""
                manifest.kind = DatasetKind(rawValue: name) ?? .instances
            case "samples": manifest.samples = Int(try JSONValue(parsing: member.rawJSON, context: fieldContext).int64Value ?? 0)
            case "info": manifest.info = member.rawJSON
            case "licenses": manifest.licenses = member.rawJSON
            case "categories": manifest.categories = try categories(member.rawJSON, context: fieldContext)
            default: break
            }
        }
        return manifest
    }

    private static func categories(_ text: String, context: ErrorContext) throws -> [Category] {
        var out: [Category] = []
        var seen = Set<Int64>()
        for element in try JSONValue.rawElements(parsing: text, context: context) {
            var category = Category(id: 0, name: "")
            var hasID = false
            for m in try JSONValue.rawMembers(parsing: element, context: context) {
                let v = try JSONValue(parsing: m.rawJSON, context: context)
                switch m.key {
                case "id":
                    guard let id = v.int64Value else { break }
                    category.id = id
                    hasID = true
                case "name": category.name = v.stringValue ?? ""
                case "supercategory": category.supercategory = v.stringValue
                case "isthing": category.isThing = v.int64Value.map { $0 != 0 } ?? v.boolValue
                case "color":
                    if let a = v.arrayValue, a.count == 3, let r = a[0].int64Value, let g = a[1].int64Value, let b = a[2].int64Value,
                       (0...255).contains(r), (0...255).contains(g), (0...255).contains(b) {
                        category.color = RGB(UInt8(r), UInt8(g), UInt8(b))
                    }
                default: category.extra.append(ExtraField(key: m.key, rawJSON: m.rawJSON))
                }
            }
            guard hasID else {
                throw ConversionError(.invalidValue, "a category has no integer id", context: context,
                                      hint: "every category needs an integer id")
            }
            if seen.insert(category.id).inserted { out.append(category) }
        }
        return out
    }
}

/// The whole of a small file (sidecar JSON), refused above `maxBytes`.
func readSmallFile(_ path: String, maxBytes: Int) throws -> [UInt8] {
    let file = try ReadOnlyFile(path: path)
    guard file.size <= Int64(maxBytes) else {
        throw ConversionError(.limitExceeded, "the file has \(file.size) bytes, more than the \(maxBytes) accepted",
                              context: ErrorContext(file: path))
    }
    var bytes: [UInt8] = []
    try file.readExactly(Int(file.size), at: 0, into: &bytes)
    return Array(bytes.prefix(Int(file.size)))
}
