/// An axis-aligned box `[x, y, width, height]` in pixel-edge coordinates (COCO convention).
public struct BoundingBox: Hashable, Sendable {
    public var x: Double
    public var y: Double
    public var width: Double
    public var height: Double

    public init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    /// `[x, y, w, h]`, the COCO JSON order.
    public var array: [Double] { [x, y, width, height] }
}

/// A compressed RLE string exactly as read, with its size. Kept verbatim so `keep` output is byte-exact.
public struct CompressedRLE: Hashable, Sendable {
    public var height: Int
    public var width: Int
    /// The COCO string (ASCII 48...111).
    public var counts: String

    public init(height: Int, width: Int, counts: String) {
        self.height = height
        self.width = width
        self.counts = counts
    }
}

/// A dense, row-major plane of label values shared by the instances cut from it
/// (a VOC SegmentationObject PNG, a panoptic id PNG, a semantic label map).
public final class LabelPlane: Sendable {
    public let width: Int
    public let height: Int
    /// Row-major values, `pixels[y * width + x]`.
    public let pixels: [UInt32]

    /// - Precondition: `pixels.count == width * height`.
    public init(width: Int, height: Int, pixels: [UInt32]) {
        precondition(pixels.count == width * height, "LabelPlane: pixel count does not match size")
        self.width = width
        self.height = height
        self.pixels = pixels
    }
}

/// An instance's shape, kept as the source had it; converted only when a writer needs pixels.
public enum Geometry: Sendable {
    /// No mask (e.g. a box-only detection).
    case none
    /// COCO polygons: each a flat `[x0, y0, x1, y1, ...]` list; parts are unioned.
    case polygons([[Double]])
    /// Uncompressed RLE (`counts` as a JSON list), the crowd form in instances files.
    case rle(RLE)
    /// Compressed RLE (`counts` as a string), as in COCO-Stuff and results files.
    case compressedRLE(CompressedRLE)
    /// The pixels of `plane` that equal `value`.
    case labelValue(LabelPlane, UInt32)
}

/// One annotation: a category, a shape and the numbers that go with it.
public struct Instance: Sendable {
    /// The annotation id; `nil` for results files, which have none.
    public var id: Int64?
    /// The original category id.
    public var categoryID: Int64
    public var isCrowd: Bool
    /// `bbox` as read; writers recompute it from the mask only when asked.
    public var bbox: BoundingBox?
    /// `area` as read (for crowds it is not the mask's pixel count).
    public var area: Double?
    /// Detection score (results files).
    public var score: Double?
    public var geometry: Geometry
    /// Members of the annotation record that cococonvert does not model, kept for COCO output.
    public var extra: [ExtraField]

    public init(id: Int64?, categoryID: Int64, isCrowd: Bool = false, bbox: BoundingBox? = nil,
                area: Double? = nil, score: Double? = nil, geometry: Geometry, extra: [ExtraField] = []) {
        self.id = id
        self.categoryID = categoryID
        self.isCrowd = isCrowd
        self.bbox = bbox
        self.area = area
        self.score = score
        self.geometry = geometry
        self.extra = extra
    }
}
