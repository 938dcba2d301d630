/// What kind of annotations a dataset carries; decides how writers treat it.
public enum DatasetKind: String, Sendable, CaseIterable {
    /// COCO instances: polygons for objects, uncompressed RLE for crowds.
    case instances
    /// COCO-Stuff: compressed RLE per (image, stuff class), including 183 "other".
    case stuff
    /// A bare JSON array of detection/segmentation results with scores.
    case results
    /// COCO panoptic: `segments_info` plus one RGB id PNG per image.
    case panoptic
    /// Dense label maps (PNG directories, VOC, HDF5 shards) without COCO provenance.
    case semantic
}

/// Everything about a dataset that is not per-sample: small, read eagerly, written first.
public struct DatasetHeader: Sendable {
    public var kind: DatasetKind
    public var categories: [Category] {
        didSet { categoryPositions = Self.positions(categories) }
    }
    /// The `info` object verbatim, if any.
    public var info: String?
    /// The `licenses` array verbatim, if any.
    public var licenses: String?
    /// Other top-level members verbatim (e.g. `type` in old captions files).
    public var extra: [ExtraField]
    /// The split name (`val2017`), from the file name or the user.
    public var split: String?
    /// Number of samples the reader will produce, when known up front.
    public var sampleCount: Int?
    /// The value mapping a label-map source was written with, if it carries one.
    public var labelSchema: LabelSchema?
    /// Set when the run converts one partition (`--partitions`): the writer writes its index files
    /// as parts (see ``PartitionContext``).
    public var partition: PartitionContext?

    public init(kind: DatasetKind, categories: [Category], info: String? = nil, licenses: String? = nil,
                extra: [ExtraField] = [], split: String? = nil, sampleCount: Int? = nil,
                labelSchema: LabelSchema? = nil) {
        self.kind = kind
        self.categories = categories
        categoryPositions = Self.positions(categories)
        self.info = info
        self.licenses = licenses
        self.extra = extra
        self.split = split
        self.sampleCount = sampleCount
        self.labelSchema = labelSchema
    }

    /// Where each category id is in ``categories`` (the first declaration wins): lookups in
    /// constant time, since a dataset may declare a million categories.
    private var categoryPositions: [Int64: Int]

    private static func positions(_ categories: [Category]) -> [Int64: Int] {
        var positions: [Int64: Int] = [:]
        positions.reserveCapacity(categories.count)
        for (position, category) in categories.enumerated() where positions[category.id] == nil {
            positions[category.id] = position
        }
        return positions
    }

    /// The category with the given original id.
    public func category(id: Int64) -> Category? {
        categoryPositions[id].map { categories[$0] }
    }
}
