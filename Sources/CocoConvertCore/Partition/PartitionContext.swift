/// What a writer needs to know when it writes one partition instead of the whole dataset.
///
/// ``Conversion`` hands it to the writer in ``DatasetHeader/partition``. A writer that supports
/// partitions writes its per-sample files under their final names, as a single run would, and
/// writes every file that covers the whole dataset (an index: a JSON listing every image, a list of
/// items, a label map) to ``indexPath(for:)`` instead, reporting its layout as an
/// ``IndexFilePart`` in ``WriteSummary/indexParts`` so that `cococonvert merge` can join the parts.
/// Sharded writers number their shards from ``sampleOffset`` and ``totalSamples``.
public struct PartitionContext: Sendable, Hashable {
    /// The partition this run converts.
    public var partition: Partition
    /// The reader positions this partition converts (the last one is open-ended).
    public var samples: Range<Int>
    /// The number of samples the whole dataset has (the reader's count).
    public var totalSamples: Int
    /// The samples per unit the blocks were aligned to (the shard size of a sharded writer).
    public var alignment: Int
    /// The output path of the run (directory, or file for one-file writers).
    public var output: String
    /// Whether the output is one file rather than a directory.
    public var outputIsFile: Bool

    /// The context of `partition`, converting `samples` of `totalSamples`.
    public init(partition: Partition, samples: Range<Int>, totalSamples: Int, alignment: Int, output: String, outputIsFile: Bool) {
        self.partition = partition
        self.samples = samples
        self.totalSamples = totalSamples
        self.alignment = alignment
        self.output = output
        self.outputIsFile = outputIsFile
    }

    /// The position of this partition's first sample in the whole dataset.
    public var sampleOffset: Int { samples.lowerBound }

    /// Whether this is the last partition (the one that writes what follows the last sample).
    public var isLast: Bool { partition.index == partition.count - 1 }

    /// Where the partitions keep their parts and records: `OUT/.cococonvert-parts` for a directory
    /// output, `<file>.cococonvert-parts` beside a file output.
    public static func partsDirectory(output: String, outputIsFile: Bool) -> String {
        outputIsFile ? output + ".cococonvert-parts" : PathText.join(output, ".cococonvert-parts")
    }

    /// Where the partitions of this output keep their parts and records.
    public var partsDirectory: String { Self.partsDirectory(output: output, outputIsFile: outputIsFile) }

    /// This partition's own directory of index-file parts.
    public var partDirectory: String { PathText.join(partsDirectory, partition.fileStem) }

    /// The name of a final output path relative to the output (the file name for a file output);
    /// a path from ``indexPath(for:)`` gives the name of the final file it stands for.
    public func relativePath(of finalPath: String) -> String {
        if finalPath.hasPrefix(partDirectory + "/") { return String(finalPath.dropFirst(partDirectory.count + 1)) }
        if outputIsFile || finalPath == output { return PathText.lastComponent(of: finalPath) }
        let prefix = output.hasSuffix("/") ? output : output + "/"
        return finalPath.hasPrefix(prefix) ? String(finalPath.dropFirst(prefix.count)) : PathText.lastComponent(of: finalPath)
    }

    /// Where this partition writes its part of the index file that a single run writes at `finalPath`.
    public func indexPath(for finalPath: String) -> String {
        PathText.join(partDirectory, relativePath(of: finalPath))
    }
}

extension PartitionContext {
    /// Writes an index file made in one piece (a list of item names, a label map): atomically to
    /// `path` in a single run; in a partitioned run to its part, recorded in `summary` as
    /// ``IndexFilePart/fixed(path:size:)`` (the same in every partition) or, for `.list`, as this
    /// partition's items (concatenated with `separator` by merge).
    public static func writeIndexFile(_ bytes: [UInt8], to path: String, kind: IndexFilePart.Segment.Kind,
                                      separator: String = "", partition: PartitionContext?, summary: inout WriteSummary) throws {
        guard let partition else {
            try AtomicFile.write(bytes, to: path)
            return
        }
        try AtomicFile.write(bytes, to: partition.indexPath(for: path))
        let relative = partition.relativePath(of: path)
        summary.indexParts.append(kind == .fixed ? .fixed(path: relative, size: bytes.count)
                                  : .list(path: relative, size: bytes.count, separator: separator))
    }
}
