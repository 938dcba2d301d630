/// A colour in 8-bit RGB, as used by palettes, panoptic categories and VOC colormaps.
public struct RGB: Hashable, Sendable {
    public var r: UInt8
    public var g: UInt8
    public var b: UInt8

    public init(_ r: UInt8, _ g: UInt8, _ b: UInt8) {
        self.r = r
        self.g = g
        self.b = b
    }
}

/// A JSON member that cococonvert does not interpret but carries through unchanged.
///
/// `rawJSON` is the member's value exactly as it appeared in the source (an object, array,
/// string, number, `true`, `false` or `null`), so COCO output can reproduce it verbatim.
public struct ExtraField: Hashable, Sendable {
    public var key: String
    public var rawJSON: String

    public init(key: String, rawJSON: String) {
        self.key = key
        self.rawJSON = rawJSON
    }
}

/// A dataset category with its original id: cococonvert never renumbers categories silently.
public struct Category: Hashable, Sendable {
    /// The id as the source file has it (COCO: 1...90 for things, 92...182 for stuff, 183 "other").
    public var id: Int64
    public var name: String
    public var supercategory: String?
    /// Panoptic `isthing`; `nil` when the source does not say.
    public var isThing: Bool?
    /// Panoptic or label-map colour; `nil` when the source does not say.
    public var color: RGB?
    /// Members of the category record that cococonvert does not model, kept for COCO output.
    public var extra: [ExtraField]

    public init(id: Int64, name: String, supercategory: String? = nil, isThing: Bool? = nil,
                color: RGB? = nil, extra: [ExtraField] = []) {
        self.id = id
        self.name = name
        self.supercategory = supercategory
        self.isThing = isThing
        self.color = color
        self.extra = extra
    }
}
