import CocoConvertCore

/// The committing half of ``WebDatasetWriter``: refuses a key already written (two file names
/// that map to one key), appends each sample to its shard in order, and at the end renames the
/// shards into place and writes `<split>.dataset.json`.
///
/// Writing one partition, its shards get their global names and `<split>.dataset.json` goes to
/// the partition's part directory: it names every shard of the whole dataset and the reader's
/// sample count, so it is the same in every partition and `merge` keeps one copy.
public final class WebDatasetSink: SampleSink {
    private let shards: WebDatasetShardWriter
    private var manifest: WebDatasetManifest
    private let skips: SkipReport
    /// The image id written under each key: the one index that grows with the dataset.
    private var keys: [String: Int64] = [:]
    private var summary = WriteSummary()
    private var dropped = 0
    private let partition: PartitionContext?

    init(shards: WebDatasetShardWriter, manifest: WebDatasetManifest, partition: PartitionContext? = nil, skips: SkipReport) {
        self.partition = partition
        self.shards = shards
        self.manifest = manifest
        self.skips = skips
    }

    public func commit(_ rendered: WebDatasetWriter.Rendered) throws {
        if let earlier = keys[rendered.key] {
            try skips.report(ConversionError(.duplicateID, "key collision: image \(earlier) was already written under the key '\(rendered.key)'",
                                             context: ErrorContext(imageID: rendered.imageID, field: "file_name"),
                                             hint: "keys come from file names without extension, dots turned into '_': rename one of the images, or --on-error skip leaves this one out"))
            return
        }
        keys[rendered.key] = rendered.imageID
        try shards.append(sample: rendered.tarBytes)
        summary.samples += 1
        summary.instances += rendered.instances
        dropped += rendered.droppedInstances
    }

    public func finish() throws -> WriteSummary {
        let paths = try shards.finish()
        if let partition, case .samples(let perShard) = shards.limit {
            // The whole dataset's shards and count, known from the reader's count.
            let total = partition.totalSamples
            let count = total == 0 ? 1 : (total - 1) / max(1, perShard) + 1
            manifest.samples = total
            manifest.shards = (0..<count).map { WebDatasetShardWriter.fileName(split: shards.split, index: $0) }
            let expected = max(0, min(total, partition.samples.upperBound) - partition.samples.lowerBound)
            if summary.samples < expected {
                summary.notes.append("\(expected - summary.samples) sample(s) of this partition were left out: \(WebDatasetManifest.fileName(split: shards.split)) still counts the reader's \(total), and shards keep their block boundaries (a single run would shift them)")
            }
        } else {
            manifest.samples = summary.samples
            manifest.shards = paths.map { String($0.split(separator: "/").last ?? "") }
        }
        let manifestPath = shards.directory + "/" + WebDatasetManifest.fileName(split: shards.split)
        try PartitionContext.writeIndexFile(manifest.encoded(), to: manifestPath, kind: .fixed, partition: partition, summary: &summary)
        summary.files = paths.count + 1
        summary.bytes = shards.bytesWritten
        summary.notes.append("\(paths.count) shard(s) \(shards.split)-NNNNNN.tar and \(WebDatasetManifest.fileName(split: shards.split))")
        if dropped > 0 {
            summary.notes.append("\(dropped) annotation(s) left out (see the skip report)")
        }
        // Partitions share the directory: the other shards are theirs.
        let foreign = partition != nil ? [] : shards.foreignShards(besides: paths)
        if !foreign.isEmpty {
            summary.notes.append("the output directory also holds \(foreign.count) shard(s) of split '\(shards.split)' from another run (e.g. \(foreign[0])); a '\(shards.split)-*.tar' glob would read them too: remove them")
        }
        return summary
    }
}
