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
    /// Largest embedded image file accepted.
    public var maxImageBytes: Int
    /// Bounds on mask sizes.
    public var limits: Limits

    /// Settings with the defaults of the command line.
    public init(shardSize: Int = 1000, compression: HDF5Compression = .defaultGzip, padTo: HDF5Size? = nil,
                chunk: HDF5Size? = nil, embedImages: Bool = false, split: String? = nil, maxImageBytes: Int = 1 << 30, limits: Limits = .standard) {
        self.shardSize = shardSize
        self.compression = compression
        self.padTo = padTo
        self.chunk = chunk
        self.embedImages = embedImages
        self.split = split
        self.maxImageBytes = maxImageBytes
        self.limits = limits
    }

    /// The chunk tile actually used.
    var effectiveChunk: HDF5Size { chunk ?? padTo ?? HDF5Size(height: 640, width: 640) }
}
