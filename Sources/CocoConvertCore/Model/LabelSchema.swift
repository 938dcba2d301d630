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
    public var entries: [LabelEntry]
    /// Value of pixels no annotation covers (DeepLab/mmseg: 0).
    public var background: UInt32
    /// Value of pixels to ignore in training (DeepLab/mmseg: 255).
    public var ignoreIndex: UInt32

    public init(entries: [LabelEntry], background: UInt32 = 0, ignoreIndex: UInt32 = 255) {
        self.entries = entries
        self.background = background
        self.ignoreIndex = ignoreIndex
    }

    /// The pixel value for an original category id, or `nil` if the category is not mapped.
    public func value(forCategory id: Int64) -> UInt32? {
        entries.first { $0.categoryID == id }?.value
    }

    /// The first entry with the given pixel value.
    public func entry(forValue value: UInt32) -> LabelEntry? {
        entries.first { $0.value == value }
    }

    /// The largest value the schema can paint (background and ignore included).
    public var maxValue: UInt32 {
        max(entries.map(\.value).max() ?? 0, background, ignoreIndex)
    }
}
