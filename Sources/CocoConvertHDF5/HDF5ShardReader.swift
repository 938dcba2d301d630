import Foundation
import CocoConvertCore

/// Reads cococonvert HDF5 shards (a directory of one split's shards, or one shard file) back into
/// samples: instances from the `instances/` tables (with their original segmentation form), image
/// bytes when embedded.
///
/// Other HDF5 files are rejected with an error naming what was expected and what was found.
/// Memory: one block of table rows (≤ 4096) and one sample at a time.
public final class HDF5ShardReader: DatasetReader {
    /// Categories, kind, split, info, licenses and the label mapping of the first shard.
    public let header: DatasetHeader
    /// The shard files, in order.
    public let shardPaths: [String]

    private let limits: Limits
    private let skips: SkipReport?
    private var shardIndex = 0
    private var current: ShardCursor?

    /// - Parameters:
    ///   - path: a shard directory or a single shard file.
    ///   - split: which split to read when the directory holds several.
    ///   - skips: where bad instances go under `--on-error skip` (`nil`: every problem throws).
    public init(path: String, split: String? = nil, limits: Limits = .standard, skips: SkipReport? = nil) throws {
        let set = try HDF5ShardSet.locate(path, split: split)
        shardPaths = set.paths
        self.limits = limits
        self.skips = skips
        guard let first = set.paths.first else {
            throw ConversionError(.io, "no shards found", context: ErrorContext(file: path))
        }
        let contents = try Self.openChecked(first)
        header = try Self.header(contents, split: set.split)
        current = ShardCursor(contents: contents, limits: limits)
        precheck(1)
    }

    /// The next sample of the current shard, moving on to the next shard at its end.
    public func next() throws -> Sample? {
        while true {
            if current == nil {
                shardIndex += 1
                guard shardIndex < shardPaths.count else { return nil }
                let prechecked = pending
                precheck(shardIndex + 1)
                current = ShardCursor(contents: try Self.openChecked(shardPaths[shardIndex], prechecked: prechecked), limits: limits)
            }
            guard let cursor = current else { return nil }
            if let sample = try cursor.next(skips: skips) { return sample }
            cursor.close()
            current = nil
        }
    }

    /// Opens one shard, after checking it in a child process when the command line asked for
    /// isolation (``IsolatedCheck``): a shard that crashes libhdf5 there never reaches it here.
    static func openChecked(_ path: String, prechecked: PendingCheck? = nil) throws -> ShardContents {
        if let prechecked, prechecked.path == path {
            try prechecked.wait()
        } else {
            try IsolatedCheck.verify(format: HDF5Format.plugin.name, path: path, what: "shard", library: "libhdf5")
        }
        return try ShardContents(path: path)
    }

    /// The isolated check of the next shard, run on a thread while this one is converted.
    final class PendingCheck: @unchecked Sendable {
        let path: String
        private let done = NSCondition()
        private var finished = false
        private var error: (any Error)?

        init(path: String) {
            self.path = path
            let thread = Thread { [self] in
                var failure: (any Error)?
                do {
                    try IsolatedCheck.verify(format: HDF5Format.plugin.name, path: path, what: "shard", library: "libhdf5")
                } catch {
                    failure = error
                }
                done.lock()
                self.error = failure
                finished = true
                done.broadcast()
                done.unlock()
            }
            thread.start()
        }

        func wait() throws {
            done.lock()
            while !finished { done.wait() }
            let e = error
            done.unlock()
            if let e { throw e }
        }
    }

    private var pending: PendingCheck?

    /// Starts checking shard `index` in the background (only when a child check is installed).
    private func precheck(_ index: Int) {
        pending = IsolatedCheck.isInstalled && index < shardPaths.count ? PendingCheck(path: shardPaths[index]) : nil
    }

    /// The isolated check of one shard file (``ReaderPlugin/isolatedCheck``, run in a child
    /// process): every libhdf5 read that `inspect` and this reader perform on it — root attributes,
    /// table shapes and types, every row of every table the reader reads (variable-length strings
    /// and image bytes included) — with item problems skipped as `--on-error skip` would, so that
    /// the reads go on to the end. A `ConversionError` thrown here is one the reader throws too.
    public static func isolatedCheck(path: String) throws {
        _ = try HDF5ShardInspector.inspect(path: path, checked: false)
        let reader = try HDF5ShardReader(path: path, skips: SkipReport(policy: .skip))
        while try reader.next() != nil {}
    }

    private static func header(_ c: ShardContents, split: String?) throws -> DatasetHeader {
        typealias A = HDF5ShardSchema.Attribute
        let file = c.file
        let kind = try file.stringAttribute(A.datasetKind).flatMap(DatasetKind.init(rawValue:)) ?? .semantic
        let categories = try file.stringAttribute(A.categories).map { try HeaderJSON.categories(parsing: $0, file: c.path) } ?? []
        let schema = try file.stringAttribute(A.labelMapping).map { try HeaderJSON.mapping(parsing: $0, file: c.path) }
        var extra: [ExtraField] = []
        if let text = try file.stringAttribute(A.datasetExtra), !text.isEmpty {
            extra = try HeaderJSON.extraFields(text, field: A.datasetExtra, file: c.path)
        }
        let total = try file.intAttribute(A.totalSamples).flatMap { Int(exactly: $0) }
        // `info` and `licenses` are copied verbatim into COCO output: they must be valid JSON.
        var verbatim: [String: String] = [:]
        for name in [A.info, A.licenses] {
            guard let text = try file.stringAttribute(name), !text.isEmpty else { continue }
            try HeaderJSON.validate(text, field: name, file: c.path)
            verbatim[name] = text
        }
        return DatasetHeader(kind: kind, categories: categories, info: verbatim[A.info],
                             licenses: verbatim[A.licenses], extra: extra,
                             split: try file.stringAttribute(A.split) ?? split, sampleCount: total.flatMap { $0 >= 0 ? $0 : nil },
                             labelSchema: schema)
    }
}
