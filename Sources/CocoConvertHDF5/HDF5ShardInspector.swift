import CocoConvertCore

/// What `cococonvert inspect` shows for a shard directory or file.
public struct HDF5ShardSummary: Sendable, CustomStringConvertible {
    /// One shard file.
    public struct Shard: Sendable {
        public var path: String
        public var samples: Int
        public var instances: Int
        /// `labels` extent `[N, H, W]`.
        public var labelShape: [Int]
        /// File size in bytes.
        public var bytes: Int64
    }

    public var formatVersion: Int64
    public var split: String?
    public var datasetKind: String?
    public var shards: [Shard]
    public var categories: Int
    /// `uint8` or `uint16`.
    public var labelType: String
    /// `labels` chunk shape, e.g. `[1, 640, 640]`.
    public var labelChunk: [Int]
    /// Filter names of `labels`, in order (`shuffle`, `deflate`).
    public var labelFilters: [String]
    public var ignoreIndex: Int64?
    public var background: Int64?
    public var padTo: String?
    /// The painting options recorded by the writer (JSON object text).
    public var labelOptions: String?
    public var hasImages: Bool

    public var totalSamples: Int { shards.reduce(0) { $0 + $1.samples } }
    public var totalInstances: Int { shards.reduce(0) { $0 + $1.instances } }
    public var totalBytes: Int64 { shards.reduce(0) { $0 + $1.bytes } }

    /// A few lines for the terminal.
    public var description: String {
        var lines = ["cococonvert HDF5 shards (layout version \(formatVersion))"]
        if let split { lines.append("split: \(split)") }
        if let datasetKind { lines.append("source kind: \(datasetKind)") }
        lines.append("shards: \(shards.count), samples: \(totalSamples), instances: \(totalInstances), bytes: \(totalBytes)")
        lines.append("categories: \(categories)")
        var labels = "labels: \(labelType), chunk \(labelChunk), filters \(labelFilters.isEmpty ? "none" : labelFilters.joined(separator: "+"))"
        if let ignoreIndex { labels += ", ignore \(ignoreIndex)" }
        if let background { labels += ", background \(background)" }
        if let padTo { labels += ", padded to \(padTo)" }
        lines.append(labels)
        if let labelOptions, labelOptions != "{}" { lines.append("label options: \(labelOptions)") }
        lines.append("images embedded: \(hasImages ? "yes" : "no")")
        for s in shards {
            lines.append("  \(s.path): \(s.samples) samples, \(s.instances) instances, labels \(s.labelShape), \(s.bytes) bytes")
        }
        return lines.joined(separator: "\n")
    }
}

/// Summarises cococonvert HDF5 shards without reading any sample.
public enum HDF5ShardInspector {
    /// Summarises the shards at `path` (a shard directory or one shard file).
    /// `checked`: each shard goes through ``IsolatedCheck`` first (see ``HDF5ShardReader``).
    public static func inspect(path: String, split: String? = nil, checked: Bool = true) throws -> HDF5ShardSummary {
        typealias A = HDF5ShardSchema.Attribute
        let set = try HDF5ShardSet.locate(path, split: split)
        var summary: HDF5ShardSummary?
        for p in set.paths {
            let c = checked ? try HDF5ShardReader.openChecked(p) : try ShardContents(path: p)
            defer { c.close() }
            let labels = try c.dataset(HDF5ShardSchema.Dataset.labels)
            let shard = HDF5ShardSummary.Shard(path: p, samples: c.sampleCount, instances: c.instanceCount,
                                               labelShape: try labels.dims(), bytes: c.file.fileSize)
            if summary == nil {
                let categories = try c.file.stringAttribute(A.categories).map { try HeaderJSON.categories(parsing: $0, file: p).count } ?? 0
                summary = HDF5ShardSummary(
                    formatVersion: c.formatVersion, split: try c.file.stringAttribute(A.split) ?? set.split,
                    datasetKind: try c.file.stringAttribute(A.datasetKind), shards: [], categories: categories,
                    labelType: try labels.typeInfo().description, labelChunk: try labels.chunkDims() ?? [],
                    labelFilters: try labels.filters().map(\.name), ignoreIndex: try c.file.intAttribute(A.ignoreIndex),
                    background: try c.file.intAttribute(A.background), padTo: try c.file.stringAttribute(A.padTo),
                    labelOptions: try c.file.stringAttribute(A.labelOptions), hasImages: c.hasImages)
            }
            summary?.shards.append(shard)
        }
        guard let summary else {
            throw ConversionError(.io, "no shards found", context: ErrorContext(file: path))
        }
        return summary
    }
}
