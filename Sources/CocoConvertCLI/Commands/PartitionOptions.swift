import CocoConvertCore
import Foundation

/// The options that split one conversion over several processes or machines (`--partitions`,
/// `--partition`) and pick up a killed run (`--resume`).
enum PartitionOptions {
    static let group = CommonOptions.group
    static let partitions = OptionSpec.value("partitions", "N", group: group,
        help: "Convert block --partition I of N; then 'cococonvert merge OUT'.")
    static let partition = OptionSpec.value("partition", "I", group: group,
        help: "Block I, 0-based (default: from Slurm, Kubernetes or AWS Batch arrays).")
    static let resume = OptionSpec.flag("resume", group: group,
        help: "Resumable: run again after a kill, finished checkpoints are kept.")
    static let checkpoint = OptionSpec.value("checkpoint", "N", group: group, help: "Samples per --resume checkpoint (default 1000).")

    static let all = [partitions, partition, resume, checkpoint]

    /// Options that say how to run, not what to write: two partitions may differ in these.
    /// (`--add` is what partitions do anyway; `--max-pixels` refuses input, it does not change output.)
    static let runOnly: Set<String> = ["partitions", "partition", "resume", "checkpoint", "jobs", "quiet", "verbose", "progress",
                                       "report", "dry-run", "skip-report", "max-pixels", "add", "help"]
}

extension ConversionPlan {
    /// The partition this run converts, from the options or the engine's variables.
    static func partitionChoice(_ values: OptionValues) throws -> PartitionChoice? {
        try PartitionChoice.resolve(index: values.int("partition", in: 0...Int(Int32.max)),
                                    count: values.int("partitions", in: 1...Int(Int32.max)),
                                    environment: ProcessInfo.processInfo.environment)
    }

    /// What a partitioned or resumable run may do to its output: add to it, replacing files of the
    /// same name (partitions share one output, a resumed run continues its own). `--overwrite`
    /// would remove the files of other partitions or earlier checkpoints, and a subset selects
    /// samples while reading, after the blocks are cut: both are refused.
    static func outputMode(_ requested: OutputMode, values: OptionValues, partitioned: Bool, subset: Subset) throws -> OutputMode {
        guard partitioned else { return requested }
        let how = values.has("resume") && !values.has("partitions") && !values.has("partition") ? "--resume" : "partitions"
        if requested == .overwrite {
            throw ConversionError(.usage, "--overwrite removes files the run did not write, which with \(how) are other partitions' or earlier checkpoints' files",
                                  hint: "leave it out: \(how) replace their own files; empty the output first to start over")
        }
        if !subset.isEverything {
            throw ConversionError(.usage, "--limit, --image-ids, --categories and --sample cannot be combined with \(how) yet",
                                  hint: "convert the subset in one run, or partition the whole input")
        }
        return .add(replacing: true)
    }

    /// The refusal for a writer that does not split its output yet.
    static func notPartitionable(_ format: String) -> ConversionError {
        ConversionError(.usage, "\(format) output cannot be written in partitions or checkpoints yet (--partitions, --resume)",
                        hint: "convert it in one run")
    }

    /// The options that shape the output, as recorded for merge's comparison.
    var outputShapingOptions: [String] {
        values.names.filter { !PartitionOptions.runOnly.contains($0) }
            .flatMap { name in values.strings(name).map { $0.isEmpty ? "--\(name)" : "--\(name)=\($0)" } }
    }

    var route: String { "\(from.name) → \(to.name)" }

    /// The lock of this run: the output's, or this partition's (partitions of one output run at once).
    var lockPath: String {
        if let partitioning {
            return PartitionLock.path(output: output, outputIsFile: outputIsFile, partition: partitioning.partition)
        }
        return OutputLock.path(forOutput: output, isDirectory: !outputIsFile)
    }

    /// With `--resume`: this partition's record, when it finished earlier with the same route,
    /// options and input (nothing to do then).
    func finishedEarlier() -> PartitionRecord? {
        guard resume, let partitioning else { return nil }
        let directory = PartitionContext.partsDirectory(output: output, outputIsFile: outputIsFile)
        guard let record = try? PartitionRecord.read(PartitionRecord.path(partsDirectory: directory, partition: partitioning.partition))
        else { return nil }
        let same = record.route == route && record.options == outputShapingOptions
            && record.input == PartitionRecord.InputIdentity.of(input) && record.partition == partitioning.partition
        return same ? record : nil
    }

    /// Restricts `reader` to this run's partition (the reader itself when the run is not partitioned).
    ///
    /// The block needs the sample count up front: the reader's own (every reader here counts its
    /// index), otherwise a counting pass over a second reader.
    func partitioned(_ reader: any DatasetReader, skips: SkipReport) throws -> any DatasetReader {
        guard let partitioning, let writer = to.writer else { return reader }
        // The counting pass reports nothing: the run itself reports what it skips.
        let total = try reader.header.sampleCount ?? PartitionedReader.count(try open(input, SkipReport(policy: onError)))
        guard let partitionUnit = writer.partitionUnit else { throw Self.notPartitionable(to.name) }
        let unit = try partitionUnit(values, total)
        let context = PartitionContext(partition: partitioning.partition,
                                       samples: partitioning.partition.samples(total: total, alignment: unit),
                                       totalSamples: total, alignment: unit, output: output, outputIsFile: outputIsFile)
        // A retry starts from nothing of its own: parts of an earlier attempt go first.
        try? FileManager.default.removeItem(atPath: context.partDirectory)
        try? FileManager.default.removeItem(atPath: PartitionRecord.path(partsDirectory: context.partsDirectory, partition: context.partition))
        return PartitionedReader(reader, context: context)
    }

    /// Where an engine-chosen partition came from, and how to turn it off.
    static func engineSource(_ choice: PartitionChoice) -> String {
        "(index from \(choice.indexSource), count from \(choice.countSource); --partitions 1 converts the whole input)"
    }

    /// A run that the array-job variables partitioned says so first, even with `--quiet`: a plain
    /// command inside a Slurm or AWS Batch array converts only its block.
    func announceEnginePartition(console: Console) {
        guard let partitioning, partitioning.fromEnvironment else { return }
        console.say("note: converting partition \(partitioning.partition) only " + Self.engineSource(partitioning)
                    + "; then 'cococonvert merge \(output)'")
    }

    /// After a partition finished: its record (which marks it complete) and a summary line.
    func recordPartition(_ outcome: Conversion.Outcome, reader header: DatasetHeader?, console: Console) throws {
        guard let partitioning, let context = header?.partition else { return }
        let record = PartitionRecord(route: route, writer: to.name, options: outputShapingOptions,
                                     input: .of(input), context: context,
                                     samplesWritten: outcome.summary.samples, indexParts: outcome.summary.indexParts)
        try record.write(partsDirectory: context.partsDirectory)
        // A finished partition stays, whatever happens to the rest of the run.
        OutputLedger.commit()
        guard !console.quiet else { return }
        let end = min(context.samples.upperBound, max(context.totalSamples, context.samples.lowerBound + outcome.samplesRead))
        let source = partitioning.fromEnvironment ? " " + Self.engineSource(partitioning) : ""
        console.say("partition \(partitioning.partition)\(source): samples \(context.samples.lowerBound)..<\(end) of \(context.totalSamples); "
                    + "when every partition has finished: cococonvert merge \(output)")
    }
}
