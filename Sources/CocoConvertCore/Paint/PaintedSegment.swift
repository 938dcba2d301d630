/// One value of a painted map and where it came from: an instance (instance/panoptic maps) or a
/// class (semantic maps, where `annotationIDs` lists every annotation painted with the value).
public struct PaintedSegment: Sendable, Hashable {
    /// The pixel value.
    public var value: UInt16
    /// The original category id.
    public var categoryID: Int64
    /// The annotations painted with this value, in file order.
    public var annotationIDs: [Int64?]
    /// Whether the (single) annotation is a crowd (instance/panoptic maps with `--crowd include`).
    public var isCrowd: Bool
    /// Pixels that ended up with this value (after overlaps); 0 if it was painted over entirely.
    public var area: Int
    /// Box of those pixels, `[x, y, w, h]` with pixel-edge coordinates; `nil` when `area == 0`.
    public var bbox: BoundingBox?
    /// The position in `sample.instances` of the first annotation painted with this value.
    public var instanceIndex: Int?

    public init(value: UInt16, categoryID: Int64, annotationIDs: [Int64?], isCrowd: Bool, area: Int = 0,
                bbox: BoundingBox? = nil, instanceIndex: Int? = nil) {
        self.instanceIndex = instanceIndex
        self.value = value
        self.categoryID = categoryID
        self.annotationIDs = annotationIDs
        self.isCrowd = isCrowd
        self.area = area
        self.bbox = bbox
    }
}

/// A painted map with one ``PaintedSegment`` per painted value, ordered by value.
public struct PaintedLabelMap: Sendable {
    public var map: LabelMap
    public var segments: [PaintedSegment]

    public init(map: LabelMap, segments: [PaintedSegment]) {
        self.map = map
        self.segments = segments
    }
}
