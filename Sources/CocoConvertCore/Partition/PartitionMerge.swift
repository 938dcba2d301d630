import Foundation

/// `cococonvert merge OUT`: joins the index-file parts of every partition into the files one run
/// writes, after checking that every partition finished and was made the same way, then removes
/// the parts.
public struct PartitionMerge {
    /// The output the partitions were given (without a trailing slash).
    public let output: String
    /// Whether the output is one file (its parts lie in `<file>.cococonvert-parts` beside it).
    public let outputIsFile: Bool

    /// What a merge did.
    public struct Outcome: Sendable {
        /// Partitions merged.
        public var partitions: Int
        /// Samples the partitions wrote together.
        public var samples: Int
        /// The index files merge wrote.
        public var files: [String]
        /// The partitions' route (`coco → png`).
        public var route: String
    }

    /// Finds the partitions' parts of `output` (a directory output, or a one-file output).
    /// - Throws: `ConversionError` (.usage) when there is nothing to merge.
    public init(output given: String) throws {
        let output = given.count > 1 && given.hasSuffix("/") ? String(given.dropLast()) : given
        self.output = output
        if InputProbe.isDirectory(PartitionContext.partsDirectory(output: output, outputIsFile: false)) {
            outputIsFile = false
        } else if InputProbe.isDirectory(PartitionContext.partsDirectory(output: output, outputIsFile: true)) {
            outputIsFile = true
        } else {
            throw ConversionError(.usage, "no partitions to merge: neither \(PartitionContext.partsDirectory(output: output, outputIsFile: false)) nor \(PartitionContext.partsDirectory(output: output, outputIsFile: true)) exists",
                                  context: ErrorContext(file: output),
                                  hint: "merge takes the output path the partitions were given (cococonvert coco2png IN OUT --partitions N --partition I, then cococonvert merge OUT)")
        }
    }

    /// Where the partitions keep their parts and records.
    public var partsDirectory: String { PartitionContext.partsDirectory(output: output, outputIsFile: outputIsFile) }

    /// The records of every partition, checked: all present, complete, alike and adjacent.
    public func records() throws -> [PartitionRecord] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: partsDirectory)) ?? []
        var records: [PartitionRecord] = []
        for name in names.sorted() where name.hasPrefix("partition-") && name.hasSuffix(".json") {
            if let record = try PartitionRecord.read(PathText.join(partsDirectory, name)) { records.append(record) }
        }
        guard let first = records.first else {
            throw ConversionError(.usage, "no partition has finished yet: \(partsDirectory) holds no partition record",
                                  hint: "run every partition to completion (a record is written when one finishes), then merge")
        }
        let count = first.partition.count
        if let other = records.first(where: { $0.partition.count != count }) {
            throw ConversionError(.usage, "partitions of different splits are mixed: \(first.partition.fileStem) and \(other.partition.fileStem)",
                                  context: ErrorContext(file: partsDirectory),
                                  hint: "delete the records of the split you no longer want, or run again into a new output")
        }
        let present = Set(records.map(\.partition.index))
        let missing = (0..<count).filter { !present.contains($0) }
        if !missing.isEmpty {
            let running = missing.filter { InputProbe.fileExists(PartitionLock.path(output: output, outputIsFile: outputIsFile, partition: Partition(index: $0, count: count))) }
            let list = missing.prefix(20).map(String.init).joined(separator: ", ") + (missing.count > 20 ? ", …" : "")
            throw ConversionError(.usage, "\(missing.count) of \(count) partitions have not finished: \(list)"
                                  + (running.isEmpty ? "" : " (\(running.count) of them running or killed: their lock is still there)"),
                                  context: ErrorContext(file: partsDirectory),
                                  hint: "run the missing partitions (the same command with --partition I), then merge again")
        }
        for record in records where !record.sameRun(as: first) {
            throw ConversionError(.usage, "\(record.partition.fileStem) was made differently from \(first.partition.fileStem): \(Self.difference(record, first))",
                                  context: ErrorContext(file: partsDirectory),
                                  hint: "run every partition with the same input and options (run the odd one again)")
        }
        var next = 0
        for record in records {
            guard record.firstSample == next else {
                throw ConversionError(.usage, "\(record.partition.fileStem) starts at sample \(record.firstSample), not \(next)",
                                      context: ErrorContext(file: partsDirectory), hint: "run it again, then merge")
            }
            next = record.endSample ?? Int.max
        }
        return records
    }

    private static func difference(_ a: PartitionRecord, _ b: PartitionRecord) -> String {
        if a.route != b.route { return "route \(a.route) vs \(b.route)" }
        if a.options != b.options {
            let onlyA = Set(a.options).subtracting(b.options).sorted(), onlyB = Set(b.options).subtracting(a.options).sorted()
            return "options [\(onlyA.joined(separator: " "))] vs [\(onlyB.joined(separator: " "))]"
        }
        if a.input != b.input { return "input \(a.input.path) (\(a.input.size) bytes, modified \(a.input.modified)) vs \(b.input.path) (\(b.input.size) bytes, modified \(b.input.modified))" }
        return "\(a.totalSamples) vs \(b.totalSamples) samples, alignment \(a.alignment) vs \(b.alignment)"
    }

    /// Checks, joins every index file into place (atomically), then removes the parts.
    public func run() throws -> Outcome {
        let records = try records()
        let paths = records[0].indexParts.map(\.path)
        var written: [String] = []
        for path in paths {
            // Records are files on disk: a path that leaves the output is refused, not followed.
            let components = path.split(separator: "/", omittingEmptySubsequences: false)
            guard !path.isEmpty, !path.hasPrefix("/"), !components.contains(where: { $0 == ".." || $0.isEmpty }) else {
                throw ConversionError(.io, "a partition record names the index file '\(path)', which is not inside the output",
                                      context: ErrorContext(file: partsDirectory), hint: "delete the damaged record and run that partition again")
            }
            var parts: [(name: String, layout: IndexFilePart, bytes: [UInt8])] = []
            for record in records {
                let name = "partition \(record.partition.index)"
                guard let layout = record.indexParts.first(where: { $0.path == path }) else {
                    throw ConversionError(.usage, "\(name) has no part of \(path)", context: ErrorContext(file: partsDirectory),
                                          hint: "run it again with the same options, then merge")
                }
                let file = PathText.join(PathText.join(partsDirectory, record.partition.fileStem), path)
                guard let data = FileManager.default.contents(atPath: file) else {
                    throw ConversionError(.io, "the part of \(path) written by \(name) is missing", context: ErrorContext(file: file),
                                          hint: "run \(name) again, then merge")
                }
                parts.append((name, layout, Array(data)))
            }
            let bytes = try IndexFilePart.join(parts)
            let destination = outputIsFile ? output : PathText.join(output, path)
            try AtomicFile.write(bytes, to: destination)
            written.append(destination)
        }
        // Records first: a merge killed while removing leaves parts without records (redone by the
        // next run), never a record whose parts are gone.
        for record in records {
            try? FileManager.default.removeItem(atPath: PartitionRecord.path(partsDirectory: partsDirectory, partition: record.partition))
        }
        do {
            try FileManager.default.removeItem(atPath: partsDirectory)
        } catch {
            throw ConversionError(.io, "the index files are merged, but the parts could not be removed: \(error.localizedDescription)",
                                  context: ErrorContext(file: partsDirectory), hint: "remove the directory by hand")
        }
        return Outcome(partitions: records.count, samples: records.reduce(0) { $0 + $1.samplesWritten }, files: written,
                       route: records[0].route)
    }
}
