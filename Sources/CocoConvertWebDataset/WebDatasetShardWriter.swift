import CocoConvertCore
import CocoConvertTar
import Foundation

/// Appends samples' tar members to `<split>-000000.tar`, `<split>-000001.tar`, … in a directory.
///
/// A shard is an ``OutputFile``: written under a hidden temporary name, closed (end-of-archive
/// blocks appended) when full, and renamed by ``finish()`` with all the others, so a failed run
/// leaves no shard that looks complete and a released unfinished writer removes its files.
public final class WebDatasetShardWriter {
    public let directory: String
    public let split: String
    public let limit: WebDatasetShardLimit
    private var current: OutputFile?
    private var currentSamples = 0
    private var currentBytes: Int64 = 0
    private var closed: [OutputFile] = []
    private var totalBytes: Int64 = 0
    private let pageCache = PageCacheRelease()
    /// The global index of this writer's first shard (non-zero for a partition).
    public let firstShard: Int
    /// Whether ``finish()`` writes an empty shard when no sample came (a single run, or the last
    /// partition of an empty dataset), so that the output is a readable dataset.
    private let writesEmptyShard: Bool

    /// - Parameters:
    ///   - firstShard: the global index of the first shard (a partition's `sampleOffset / N`).
    ///   - writesEmptyShard: write one empty shard when no sample comes (false for a partition
    ///     that is not the one an empty dataset's shard belongs to).
    public init(directory: String, split: String, limit: WebDatasetShardLimit, firstShard: Int = 0,
                writesEmptyShard: Bool = true) throws {
        self.firstShard = firstShard
        self.writesEmptyShard = writesEmptyShard
        self.directory = directory
        self.split = split
        self.limit = limit
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw ConversionError(.io, "cannot create the output directory: \(error.localizedDescription)",
                                  context: ErrorContext(file: directory), hint: "check the output path and permissions")
        }
    }

    /// The shard file name of shard `index`: `<split>-%06d.tar`.
    public static func fileName(split: String, index: Int) -> String {
        let digits = String(index)
        return split + "-" + String(repeating: "0", count: max(0, 6 - digits.count)) + digits + ".tar"
    }

    /// Bytes written to shards so far, end-of-archive blocks included.
    public var bytesWritten: Int64 { totalBytes }

    /// Appends one sample's members, starting a new shard first when the current one is full.
    public func append(sample bytes: [UInt8]) throws {
        if current != nil {
            let full: Bool
            switch limit {
            case .samples(let n): full = currentSamples >= n
            case .bytes(let n): full = currentBytes + Int64(bytes.count) + Int64(TarMemberWriter.endOfArchive.count) > n
            }
            if full { try closeCurrent() }
        }
        if current == nil {
            current = try OutputFile(destination: directory + "/" + Self.fileName(split: split, index: firstShard + closed.count),
                                     tag: "partial", bufferSize: 1 << 20, pageCache: pageCache)
            currentSamples = 0
            currentBytes = 0
        }
        try bytes.withUnsafeBytes { try current?.append($0) }
        currentSamples += 1
        currentBytes += Int64(bytes.count)
        totalBytes += Int64(bytes.count)
    }

    /// Closes the last shard and renames every shard into place; returns their paths. An empty
    /// run still writes one (empty) shard, so the output is a readable dataset.
    public func finish() throws -> [String] {
        if current == nil && closed.isEmpty && writesEmptyShard {
            current = try OutputFile(destination: directory + "/" + Self.fileName(split: split, index: firstShard), tag: "partial")
        }
        if current != nil { try closeCurrent() }
        pageCache.drain()
        var paths: [String] = []
        for shard in closed {
            try shard.commit()
            paths.append(shard.destination)
        }
        closed = []
        return paths
    }

    /// Shards of this split in the directory that this run did not write (left by an earlier, larger run).
    public func foreignShards(besides written: [String]) -> [String] {
        let mine = Set(written.map { URL(fileURLWithPath: $0).lastPathComponent })
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasPrefix(split + "-") && $0.hasSuffix(".tar") && !mine.contains($0) }.sorted()
    }

    private func closeCurrent() throws {
        guard let shard = current else { return }
        try TarMemberWriter.endOfArchive.withUnsafeBytes { try shard.append($0) }
        totalBytes += Int64(TarMemberWriter.endOfArchive.count)
        try shard.close()
        closed.append(shard)
        current = nil
    }
}
