import CocoConvertCore

/// Settings of ``HDF5ShardWriter``.
public struct HDF5WriterOptions: Sendable {
    /// Samples per shard file (the last shard may hold fewer).
    public var shardSize: Int
    /// Compression of label chunks and numeric tables.
    public var compression: HDF5Compression
    /// Pad every sample to this size in every shard (samples larger than it are rejected);
    /// `nil` pads to each shard's largest sample.
    public var padTo: HDF5Size?
    /// Chunk tile of `labels` (`(1, height, width)`); `nil` = `padTo`, else 640×640, which holds
    /// any COCO image (longest side 640) in one chunk.
    public var chunk: HDF5Size?
    /// Store each sample's encoded image file in `images` (bytes as found, never decoded).
    public var embedImages: Bool
    /// Split name for file names; `nil` = the header's split, else "data".
    public var split: String?
    /// How categories became pixel values (stored as `label_mapping`, `ignore_index`, `background`).
    public var schema: LabelSchema
    /// The painting options, recorded verbatim in `label_options` (e.g. `kind`, `crowd`, `overlap`).
    public var labelOptions: [(key: String, value: String)]
    /// Element type of `labels`; `nil` = uint8 when every value the schema paints fits, else uint16.
    public var labelType: HDF5LabelType?
    /// Largest embedded image file accepted.
    public var maxImageBytes: Int
    public var limits: Limits

    public init(shardSize: Int = 1000, compression: HDF5Compression = .defaultGzip, padTo: HDF5Size? = nil,
                chunk: HDF5Size? = nil, embedImages: Bool = false, split: String? = nil, schema: LabelSchema,
                labelOptions: [(key: String, value: String)] = [], labelType: HDF5LabelType? = nil,
                maxImageBytes: Int = 1 << 30, limits: Limits = .standard) {
        self.shardSize = shardSize
        self.compression = compression
        self.padTo = padTo
        self.chunk = chunk
        self.embedImages = embedImages
        self.split = split
        self.schema = schema
        self.labelOptions = labelOptions
        self.labelType = labelType
        self.maxImageBytes = maxImageBytes
        self.limits = limits
    }

    /// The chunk tile actually used.
    var effectiveChunk: HDF5Size { chunk ?? padTo ?? HDF5Size(height: 640, width: 640) }

    /// The label element type actually used.
    var effectiveLabelType: HDF5LabelType { labelType ?? (schema.maxValue <= 255 ? .uint8 : .uint16) }
}
