import CocoConvertCore
import CocoConvertLabels

/// How dataset categories become YOLO class indices (0-based), and back.
///
/// - `contiguous` (default): 0, 1, 2… in the order of the dataset's categories.
/// - `coco80`: Ultralytics' own COCO table (the 80 thing ids 1…90 in id order → 0…79); categories
///   outside it are left out and counted.
/// - a mapping FILE (JSON `{"<category id>": index}` or lines `id index [name]`), as `--labels FILE`.
public struct YOLOClassMap: Sendable {
    /// Class index → name, for data.yaml (`names`), dense 0…n−1.
    public let names: [String]
    /// Class index → the category id it came from (written to data.yaml as `category_ids`, so a
    /// round trip restores the ids).
    public let categoryIDs: [Int64]
    /// Which mapping was used, for the summary.
    public let description: String
    private let indexByCategory: [Int64: Int]

    /// The class index of a category, or nil when the mapping leaves it out.
    public func index(ofCategory id: Int64) -> Int? { indexByCategory[id] }

    /// - Parameter mapping: `contiguous`, `coco80` or a mapping file path.
    public init(mapping: String, categories: [Category]) throws {
        var index: [Int64: Int] = [:]
        switch mapping.lowercased() {
        case "contiguous":
            var seen: Set<Int64> = []
            let unique = categories.filter { seen.insert($0.id).inserted }
            names = unique.map(\.name)
            categoryIDs = unique.map(\.id)
            description = "contiguous: \(unique.count) categories → classes 0…\(max(0, unique.count - 1)) in category order"
        case "coco80":
            let things = COCOCategoryNames.things.sorted { $0.id < $1.id }
            names = things.map(\.name)
            categoryIDs = things.map(\.id)
            description = "coco80: Ultralytics' COCO table (category ids 1…90 → classes 0…79)"
        default:
            let schema = try LabelSchema.load(file: mapping, categories: categories, background: UInt32.max, ignoreIndex: UInt32.max)
            let count = Int(schema.entries.map(\.value).max().map { $0 + 1 } ?? 0)
            guard count <= 1_000_000 else {
                throw ConversionError(.usage, "the class mapping \(mapping) uses indices up to \(count - 1)", hint: "YOLO class indices are 0…n−1")
            }
            var names = (0..<count).map { "class_\($0)" }
            var ids = [Int64](repeating: -1, count: count)
            for entry in schema.entries {
                if ids[Int(entry.value)] == -1 {
                    names[Int(entry.value)] = entry.name
                    ids[Int(entry.value)] = entry.categoryID
                }
                index[entry.categoryID] = index[entry.categoryID] ?? Int(entry.value)
            }
            self.names = names
            categoryIDs = ids
            description = "mapping file \(mapping): \(schema.entries.count) categories → \(count) classes"
        }
        for (position, id) in categoryIDs.enumerated() where id >= 0 && index[id] == nil { index[id] = position }
        indexByCategory = index
    }
}
