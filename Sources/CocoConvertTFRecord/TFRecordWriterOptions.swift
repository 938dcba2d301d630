import CocoConvertCore

/// Which feature keys a TFRecord file carries (`--schema`).
public enum TFRecordSchema: String, Sendable, Hashable, CaseIterable {
    /// DeepLab semantic segmentation: image + label PNG.
    case deeplab
    /// TF Object Detection API: image + per-object boxes, classes and optional masks.
    case od

    /// DeepLab writes contiguous blocks, the OD API round-robin.
    public var defaultShardOrder: TFRecordShardOrder {
        switch self {
        case .deeplab: .contiguous
        case .od: .roundRobin
        }
    }
}

/// Which number goes into `image/object/class/label` and `label_map.pbtxt` (`--class-ids`).
public enum ODClassIDs: String, Sendable, Hashable, CaseIterable {
    /// The original COCO category id (`create_coco_tf_record.py`).
    case original
    /// 1, 2, 3... in category order (Datumaro; the OD API's "label maps start at 1").
    case contiguous
}

/// How a DeepLab writer gets each sample's label map: the same painter and palette the PNG writer uses.
public struct LabelMapRenderer: Sendable {
    /// Paints one sample (thread-safe; called on worker threads).
    public var paint: @Sendable (Sample) throws -> LabelMap
    /// The PNG palette, or nil for gray PNGs.
    public var palette: [RGB]?
    /// The value mapping, for `label_map.pbtxt`.
    public var schema: LabelSchema

    public init(paint: @escaping @Sendable (Sample) throws -> LabelMap, palette: [RGB]?, schema: LabelSchema) {
        self.paint = paint
        self.palette = palette
        self.schema = schema
    }
}

/// Options of ``TFRecordWriter``.
public struct TFRecordWriterOptions: Sendable {
    public var schema: TFRecordSchema
    public var shardSize: TFRecordShardSize
    /// nil: the schema's default (``TFRecordSchema/defaultShardOrder``).
    public var shardOrder: TFRecordShardOrder?
    /// Split name in file names; nil: the header's split, else `train`.
    public var split: String?
    /// OD: write `image/object/mask` (one 0/1 PNG per object).
    public var masks: Bool
    public var classIDs: ODClassIDs
    /// DeepLab: builds the label renderer once the header is known. Required for `.deeplab`.
    public var labelMaps: (@Sendable (DatasetHeader) throws -> LabelMapRenderer)?
    public var limits: Limits

    public init(schema: TFRecordSchema, shardSize: TFRecordShardSize = .samplesPerShard(1000),
                shardOrder: TFRecordShardOrder? = nil, split: String? = nil, masks: Bool = false,
                classIDs: ODClassIDs = .original,
                labelMaps: (@Sendable (DatasetHeader) throws -> LabelMapRenderer)? = nil,
                limits: Limits = .standard) {
        self.schema = schema
        self.shardSize = shardSize
        self.shardOrder = shardOrder
        self.split = split
        self.masks = masks
        self.classIDs = classIDs
        self.labelMaps = labelMaps
        self.limits = limits
    }
}
