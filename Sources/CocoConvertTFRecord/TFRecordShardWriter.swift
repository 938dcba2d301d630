import CocoConvertCore
import Foundation

/// Appends framed records to `<split>-SSSSS-of-KKKKK.tfrecord` files in a directory.
///
/// Every file is an ``OutputFile`` written under a temporary name (`.<split>-SSSSS.partial-<pid>-0`),
/// closed when complete and renamed by ``finish()`` once the shard count is known, so a crash or
/// error never leaves a shard that looks complete; an unfinished writer's files are removed when it
/// is released.
///
/// Records are assigned with ``TFRecordSharding``. When the assignment needs the sample count and
/// it is not known up front (contiguous blocks of a fixed number of files, or round-robin over a
/// number of files derived from `--shard`), frames are spooled to one temporary file and split
/// into the shards at the end: one extra sequential copy, memory still one record.
public final class TFRecordShardWriter {
    /// The output directory.
    public let directory: String
    /// The split name used in file names.
    public let split: String
    public let size: TFRecordShardSize
    public let order: TFRecordShardOrder

    private enum Mode {
        /// The shard count is fixed now (`shards` files).
        case direct(shards: Int)
        /// Contiguous blocks of N samples; the number of files is known at the end.
        case openEnded(perShard: Int)
        /// Everything goes to one spool file and is split at the end.
        case spool
    }

    private let mode: Mode
    private let expectedTotal: Int
    /// The position of the first sample in the whole dataset (non-zero for a partition).
    private let firstSample: Int
    /// The shards this writer writes (all of them unless it writes one partition).
    private var ownedShards: Range<Int>?
    /// Where the shard files go: `directory`, or the partition's part directory when every
    /// partition contributes to every shard (round-robin), so that merge concatenates them.
    private let shardDirectory: String
    /// Whether the shard files are parts (round-robin partitions).
    public let shardsAreParts: Bool
    /// Shards being written.
    private var openFiles: [Int: OutputFile] = [:]
    /// Every shard file started, open or closed, until renamed into place.
    private var shardFiles: [Int: OutputFile] = [:]
    private var spool: OutputFile?
    private var spoolFrameSizes: [Int] = []
    private var written = 0
    private var finished = false
    private let bufferSize: Int
    /// Shards are never read back: their pages leave the cache once written.
    private let pageCache = PageCacheRelease()

    /// Prepares the writer; creates `directory` if needed. No shard file exists until the first record.
    ///
    /// - Parameter expectedCount: the number of samples that will be written, when known
    ///   (`DatasetHeader.sampleCount`); it lets every layout write shards directly.
    ///   A partition (`partition` set) numbers its samples from the partition's offset in the whole
    ///   dataset: with contiguous shards it writes the shards its (shard-aligned) block covers, under
    ///   their global names; with round-robin it writes its records of every shard as parts.
    public init(directory: String, split: String, size: TFRecordShardSize, order: TFRecordShardOrder,
                expectedCount: Int?, partition: PartitionContext? = nil) throws {
        self.directory = directory
        self.split = try SafePath.component(split, context: ErrorContext(field: "split"))
        self.size = size
        self.order = order
        self.expectedTotal = partition?.totalSamples ?? expectedCount ?? 0
        firstSample = partition?.sampleOffset ?? 0
        written = firstSample
        shardsAreParts = partition != nil && order == .roundRobin
        shardDirectory = shardsAreParts ? partition?.partDirectory ?? directory : directory
        if let partition {
            let shards = TFRecordSharding.shardCount(size, total: partition.totalSamples)
            mode = .direct(shards: shards)
            ownedShards = order == .roundRobin ? 0..<shards : Self.shards(of: partition, shards: shards)
        } else {
        switch (order, size, expectedCount) {
        case (.roundRobin, .shardCount(let k), _):
            mode = .direct(shards: max(1, k))
        case (.contiguous, .samplesPerShard(let s), _):
            mode = .openEnded(perShard: max(1, s))
        case (_, _, let n?):
            mode = .direct(shards: TFRecordSharding.shardCount(size, total: n))
        default:
            mode = .spool
        }
        }
        if case .direct(let k) = mode, order == .roundRobin {
            // All K files are open at once: keep their buffers within ~64 MiB in total.
            bufferSize = max(64 << 10, min(1 << 20, (64 << 20) / k))
        } else {
            bufferSize = 1 << 20
        }
        do {
            try FileManager.default.createDirectory(atPath: shardDirectory, withIntermediateDirectories: true)
        } catch {
            throw ConversionError(.io, "cannot create the output directory: \(error.localizedDescription)",
                                  context: ErrorContext(file: directory))
        }
    }

    /// The number of records appended so far.
    public var recordCount: Int { written - firstSample }

    /// The contiguous shards a partition's block covers: whole shards (blocks are aligned to
    /// them); the last partition also writes the empty shards after the last sample.
    static func shards(of partition: PartitionContext, shards: Int) -> Range<Int> {
        let perShard = max(1, partition.alignment)
        let lower = partition.samples.lowerBound
        let upper = min(partition.samples.upperBound, partition.totalSamples)
        let first = min(shards, lower / perShard)
        if partition.isLast { return first..<shards }
        guard upper > lower else { return first..<first }
        return first..<min(shards, TFRecordSharding.ceilingDivide(upper, perShard))
    }

    /// Appends one framed record (from ``TFRecordFraming``) as the next sample.
    public func append(frame: [UInt8]) throws {
        precondition(!finished, "TFRecordShardWriter.append after finish")
        switch mode {
        case .direct(let k):
            let s = TFRecordSharding.shard(ofSample: written, total: expectedTotal, shards: k, size: size, order: order)
            try frame.withUnsafeBytes { try file(for: s, closingEarlier: order == .contiguous).append($0) }
        case .openEnded(let perShard):
            try frame.withUnsafeBytes { try file(for: written / perShard, closingEarlier: true).append($0) }
        case .spool:
            if spool == nil {
                spool = try OutputFile(destination: directory + "/" + split, tag: "spool", bufferSize: 1 << 20)
            }
            try frame.withUnsafeBytes { try spool?.append($0) }
            spoolFrameSizes.append(frame.count)
        }
        written += 1
    }

    /// Completes every shard and renames it into place; returns the final paths in shard order.
    public func finish() throws -> [String] {
        precondition(!finished, "TFRecordShardWriter.finish called twice")
        let shards: Int
        switch mode {
        case .direct(let k):
            shards = k
        case .openEnded(let perShard):
            shards = TFRecordSharding.ceilingDivide(written, perShard)
        case .spool:
            shards = TFRecordSharding.shardCount(size, total: written)
            try distributeSpool(shards: shards)
        }
        var finals: [String] = []
        let written = ownedShards ?? 0..<shards
        for s in written {
            if let writer = openFiles[s] {
                try writer.close()
                openFiles[s] = nil
            } else if shardFiles[s] == nil {
                // A shard no sample went to: still written (empty), so the set is complete.
                try file(for: s, closingEarlier: false).close()
                openFiles[s] = nil
            }
        }
        pageCache.drain()
        for s in written {
            guard let shard = shardFiles[s] else { continue }
            let final = shardDirectory + "/" + TFRecordSharding.fileName(split: split, index: s, count: shards)
            try shard.commit(to: final)
            shardFiles[s] = nil
            finals.append(final)
        }
        finished = true
        return finals
    }

    /// Shard files in the directory for this split that this run did not write (an earlier run with
    /// another shard count); a `<split>-*` glob would read them too.
    public func foreignShards(besides written: [String]) -> [String] {
        let mine = Set(written.map { URL(fileURLWithPath: $0).lastPathComponent })
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { TFRecordSharding.isShardName($0, split: split) && !mine.contains($0) }.sorted()
    }

    private func file(for shard: Int, closingEarlier: Bool) throws -> OutputFile {
        if let f = openFiles[shard] { return f }
        if closingEarlier {
            for (s, f) in openFiles where s < shard {
                try f.close()
                openFiles[s] = nil
            }
        }
        // The final name (`-of-KKKKK`) may not be known yet: `finish` renames the closed file.
        let f = try OutputFile(destination: shardDirectory + "/" + split + "-" + TFRecordSharding.pad5(shard), tag: "partial",
                               bufferSize: bufferSize, pageCache: pageCache)
        openFiles[shard] = f
        shardFiles[shard] = f
        return f
    }

    /// Reads the spool back frame by frame and appends each frame to its shard.
    private func distributeSpool(shards: Int) throws {
        guard let spool else { return }
        try spool.close()
        let spoolPath = spool.temporaryPath
        let fd = POSIX.openForReading(spoolPath)
        guard fd >= 0 else {
            throw ConversionError(.io, "cannot reopen the spool file: \(String(cString: strerror(errno)))",
                                  context: ErrorContext(file: spoolPath))
        }
        defer {
            POSIX.closeFile(fd)
            spool.discard()
            self.spool = nil
        }
        var frame: [UInt8] = []
        for (i, length) in spoolFrameSizes.enumerated() {
            if frame.count != length { frame = [UInt8](repeating: 0, count: length) }
            try frame.withUnsafeMutableBytes { buf in
                var done = 0
                while done < length {
                    let n = POSIX.readSome(fd, buf.baseAddress.map { $0 + done }, length - done)
                    if n < 0 && errno == EINTR { continue }
                    guard n > 0 else {
                        throw ConversionError(.io, "the spool file ended early", context: ErrorContext(file: spoolPath))
                    }
                    done += n
                }
            }
            let s = TFRecordSharding.shard(ofSample: i, total: written, shards: shards, size: size, order: order)
            try frame.withUnsafeBytes { try file(for: s, closingEarlier: order == .contiguous).append($0) }
        }
        spoolFrameSizes = []
    }
}
