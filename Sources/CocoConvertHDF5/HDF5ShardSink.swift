import CocoConvertCore
import Foundation

/// The committing half of ``HDF5ShardWriter``: hands each rendered sample to HDF5, in sample order,
/// in shards of `shardSize` consecutive samples; ``finish()`` stamps the shard count into every
/// shard, seals them and renames them into place.
///
/// Owned by the committing thread (it holds the open HDF5 shard). Released before ``finish()``
/// (after a failure), it closes the open shard and removes every temporary shard file.
public final class HDF5ShardSink: SampleSink {
    let directory: String
    let options: HDF5WriterOptions
    let header: DatasetHeader
    let setup: HDF5LabelSetup
    let chunker: LabelChunker
    /// The split name used in file names.
    let split: String

    private var shard: ShardFile?
    private var finishedShards: [(temporary: String, index: Int)] = []
    private var samplesCommitted = 0
    private var instancesCommitted = 0
    private var finished = false
    /// Set when writing one partition: shards are numbered from its (shard-aligned) first sample.
    private let partition: PartitionContext?
    private let firstShard: Int

    init(directory: String, options: HDF5WriterOptions, header: DatasetHeader, setup: HDF5LabelSetup,
         chunker: LabelChunker, split: String, partition: PartitionContext? = nil) {
        self.partition = partition
        firstShard = (partition?.sampleOffset ?? 0) / max(1, options.shardSize)
        self.directory = directory
        self.options = options
        self.header = header
        self.setup = setup
        self.chunker = chunker
        self.split = split
    }

    deinit {
        if !finished { abandon() }
    }

    /// Appends one rendered sample to the open shard, starting a new shard when it is full.
    public func commit(_ rendered: HDF5ShardWriter.Rendered) throws {
        precondition(!finished, "HDF5ShardSink.commit after finish")
        if let open = shard, open.samples >= options.shardSize {
            try closeShard(open)
        }
        if shard == nil {
            shard = try openShard(index: firstShard + finishedShards.count)
        }
        guard let open = shard else { return }
        try open.append(rendered, chunker: chunker)
        samplesCommitted += 1
        instancesCommitted += rendered.instances.count
    }

    /// Closes the last shard, stamps the shard count into every shard, seals and renames them.
    public func finish() throws -> WriteSummary {
        precondition(!finished, "HDF5ShardSink.finish called twice")
        if shard == nil && finishedShards.isEmpty && (partition.map { $0.isLast && $0.totalSamples == 0 } ?? true) {
            // No samples: still write one (empty) shard so the header survives.
            shard = try openShard(index: 0)
        }
        if let open = shard { try closeShard(open) }
        // A partition knows the whole dataset's shard count from the reader's sample count.
        let count = partition.map { $0.totalSamples == 0 ? 1 : ($0.totalSamples - 1) / max(1, options.shardSize) + 1 } ?? finishedShards.count
        let totalSamples = partition?.totalSamples ?? samplesCommitted
        var summary = WriteSummary()
        // Complete every shard before renaming any, so a failure leaves no partial set behind.
        for s in finishedShards {
            let file = try HDF5File.openForUpdate(path: s.temporary)
            try file.setAttribute(HDF5ShardSchema.Attribute.shardCount, Int64(count))
            try file.setAttribute(HDF5ShardSchema.Attribute.totalSamples, Int64(totalSamples))
            try file.close()
            try ShardSeal.seal(path: s.temporary)
        }
        for s in finishedShards {
            let final = (directory as NSString).appendingPathComponent(HDF5ShardName(split: split, index: s.index, count: count).fileName)
            try AtomicFile.commit(s.temporary, to: final)
            summary.bytes += (try? FileManager.default.attributesOfItem(atPath: final)[.size] as? Int64) ?? 0
        }
        finished = true
        summary.samples = samplesCommitted
        summary.instances = instancesCommitted
        summary.files = finishedShards.count
        summary.notes.append("labels: \(chunker.type.rawValue), chunk (1, \(chunker.tile.height), \(chunker.tile.width)), \(options.compression)")
        let stale = partition != nil ? [] : staleShards(split: split, count: count)
        if !stale.isEmpty {
            summary.notes.append("\(stale.count) shard file(s) of an earlier run with another shard count are still in \(directory) (e.g. \(stale[0])); remove them before reading the directory")
        }
        return summary
    }

    // MARK: Shards

    private func openShard(index: Int) throws -> ShardFile {
        let temporary = TemporaryFiles.path(beside: (directory as NSString).appendingPathComponent("\(split)-\(index).h5"),
                                            tag: "partial")
        let attributes = ShardFile.Attributes(
            header: header, split: split, index: index, sampleOffset: Int64((partition?.sampleOffset ?? 0) + samplesCommitted), options: options,
            setup: setup, labelType: chunker.type, tile: chunker.tile)
        // HDF5 creates the file by path: registered first, so an interruption during the creation
        // still removes it.
        try TemporaryFiles.register(temporary)
        do {
            return try ShardFile(path: temporary, attributes: attributes)
        } catch {
            TemporaryFiles.remove(temporary)
            throw error
        }
    }

    private func closeShard(_ open: ShardFile) throws {
        try open.close()
        finishedShards.append((open.path, open.index))
        shard = nil
    }

    /// Removes temporaries after a failure (or when the sink is dropped before finishing).
    private func abandon() {
        let paths = finishedShards.map(\.temporary) + (shard.map { [$0.path] } ?? [])
        shard = nil  // releases the HDF5 handles before the files are removed
        for p in paths { TemporaryFiles.remove(p) }
        finishedShards = []
    }

    private func staleShards(split: String, count: Int) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { name in
            guard let parsed = HDF5ShardName(fileName: name) else { return false }
            return parsed.split == split && parsed.count != count
        }.sorted()
    }
}
