import CocoConvertCore
import CocoConvertLabelMaps

/// When a shard is full (`--shard N` or `--shard-size BYTES`).
public enum WebDatasetShardLimit: Sendable, Equatable {
    /// At most N samples per shard.
    case samples(Int)
    /// At most this many bytes per shard (a single larger sample still gets a shard of its own).
    case bytes(Int64)
}

/// Options of ``WebDatasetWriter``.
public struct WebDatasetWriterOptions: Sendable {
    public var shardLimit: WebDatasetShardLimit
    /// Split name in shard names; nil: the header's split, else `train`.
    public var split: String?
    /// The PNG writer's options for the `.png` label map (same painter, palette and compression).
    public var labelMap: LabelMapWriterOptions
    /// The PNG writer's options for the `.instance.png` map; nil: no instance map.
    public var instanceMap: LabelMapWriterOptions?
    public var limits: Limits

    public init(shardLimit: WebDatasetShardLimit = .samples(1000), split: String? = nil, labelMap: LabelMapWriterOptions,
                instanceMap: LabelMapWriterOptions? = nil, limits: Limits = .standard) {
        self.shardLimit = shardLimit
        self.split = split
        self.labelMap = labelMap
        self.instanceMap = instanceMap
        self.limits = limits
    }
}
