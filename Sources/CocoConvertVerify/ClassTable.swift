import CocoConvertCore

/// The classes both sides of a comparison are counted in: one index per class name, shared by A and B.
///
/// Formats renumber categories (VOC and PNG label maps use label values 1...N, COCO keeps ids such as
/// 90), so classes are matched by name (case-insensitive), not by id. Index 0 is background (no
/// class) and index 1 is the ignore value (crowd regions painted "ignore", void borders).
public final class ClassTable {
    /// Display names by index.
    public private(set) var names: [String] = ["background", "ignore"]
    private var indexByKey: [String: Int] = ["background": 0, "ignore": 1]

    public static let background = 0
    public static let ignore = 1

    public init() {}

    /// The index of the class called `name`, added if new.
    public func index(named name: String) -> Int {
        let key = name.lowercased()
        if let index = indexByKey[key] { return index }
        names.append(name)
        indexByKey[key] = names.count - 1
        return names.count - 1
    }

    /// The display name of a class index.
    public func name(_ index: Int) -> String {
        index >= 0 && index < names.count ? names[index] : "class #\(index)"
    }
}

/// The class names one side's categories resolve to, cached per category id.
struct SideClasses {
    let header: DatasetHeader
    let schema: LabelSchema
    let table: ClassTable
    private var cache: [Int64: Int] = [:]

    init(header: DatasetHeader, schema: LabelSchema, table: ClassTable) {
        self.header = header
        self.schema = schema
        self.table = table
    }

    /// The class index of a category: its name in the header, else in the label schema, else "category N".
    mutating func index(ofCategory id: Int64) -> Int {
        if let known = cache[id] { return known }
        let name = header.category(id: id)?.name
            ?? schema.entries.first(where: { $0.categoryID == id })?.name
            ?? "category \(id)"
        let index = table.index(named: name)
        cache[id] = index
        return index
    }
}
