/// One value of a label map and the category it stands for.
public struct LabelEntry: Hashable, Sendable {
    /// The pixel value written for this category.
    public var value: UInt32
    /// The original category id.
    public var categoryID: Int64
    public var name: String
    public var color: RGB?

    public init(value: UInt32, categoryID: Int64, name: String, color: RGB? = nil) {
        self.value = value
        self.categoryID = categoryID
        self.name = name
        self.color = color
    }
}

/// How category ids become pixel values in a label map, and back.
public struct LabelSchema: Hashable, Sendable {
    /// One entry per mapped category; several categories may share a value (e.g. COCO → VOC-21).
    public var entries: [LabelEntry] {
        didSet { index = Index(entries) }
    }
    /// Value of pixels no annotation covers (DeepLab/mmseg: 0).
    public var background: UInt32
    /// Value of pixels to ignore in training (DeepLab/mmseg: 255).
    public var ignoreIndex: UInt32
    /// Lookups in constant time: a dataset may declare a million categories.
    private var index: Index

    public init(entries: [LabelEntry], background: UInt32 = 0, ignoreIndex: UInt32 = 255) {
        self.entries = entries
        self.background = background
        self.ignoreIndex = ignoreIndex
        index = Index(entries)
    }

    /// The pixel value for an original category id, or `nil` if the category is not mapped.
    public func value(forCategory id: Int64) -> UInt32? {
        index.valueByCategory[id]
    }

    /// The first entry with the given pixel value.
    public func entry(forValue value: UInt32) -> LabelEntry? {
        index.firstEntryByValue[value].map { entries[$0] }
    }

    /// Where each category and value is in ``entries`` (the first occurrence wins, as a scan would find).
    private struct Index: Hashable, Sendable {
        var valueByCategory: [Int64: UInt32] = [:]
        var firstEntryByValue: [UInt32: Int] = [:]

        init(_ entries: [LabelEntry]) {
            valueByCategory.reserveCapacity(entries.count)
            for (position, entry) in entries.enumerated() {
                if valueByCategory[entry.categoryID] == nil { valueByCategory[entry.categoryID] = entry.value }
                if firstEntryByValue[entry.value] == nil { firstEntryByValue[entry.value] = position }
            }
        }
    }

    public static func == (a: LabelSchema, b: LabelSchema) -> Bool {
        a.entries == b.entries && a.background == b.background && a.ignoreIndex == b.ignoreIndex
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(entries)
        hasher.combine(background)
        hasher.combine(ignoreIndex)
    }

    /// The largest value the schema can paint (background and ignore included).
    public var maxValue: UInt32 {
        max(entries.map(\.value).max() ?? 0, background, ignoreIndex)
    }
}
