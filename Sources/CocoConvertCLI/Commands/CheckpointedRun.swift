import CocoConvertCore
import Foundation

/// `--resume` without `--partitions`: the run converts its input in consecutive checkpoints (the
/// same blocks and parts as partitions, run one after the other in this process), recording each
/// as it finishes, and merges them at the end. A run that is killed leaves its finished
/// checkpoints, whose files are complete under their final names; the same command again passes
/// over them and redoes the rest, ending with the tree an uninterrupted run writes.
extension ConversionPlan {
    /// Samples per checkpoint when `--checkpoint` is not given.
    static let defaultCheckpointSamples = 1000

    func convertInCheckpoints(reader: any DatasetReader, skips: SkipReport, console: Console,
                              cancellation: Cancellation, progress: ProgressReporter) throws -> (Conversion.Outcome, DatasetHeader) {
        guard let writer = to.writer else { throw ConversionError(.usage, "\(to.name) cannot be written") }
        // The counting pass reports nothing: the run itself reports what it skips.
        let total = try reader.header.sampleCount ?? PartitionedReader.count(try open(input, SkipReport(policy: onError)))
        guard let partitionUnit = writer.partitionUnit else { throw Self.notPartitionable(to.name) }
        let unit = max(1, try partitionUnit(values, total))
        let wanted = try values.int("checkpoint", in: 1...Int(Int32.max)) ?? Self.defaultCheckpointSamples
        let block = (max(wanted, unit) + unit - 1) / unit * unit
        let count = max(1, total == 0 ? 1 : (total - 1) / block + 1)
        let partsDirectory = PartitionContext.partsDirectory(output: output, outputIsFile: outputIsFile)
        let cursor = BlockCursor(reader)
        var combined = Conversion.Outcome(summary: WriteSummary(), samplesRead: 0, samplesSkipped: 0)
        var resumed = 0
        var lastHeader = reader.header
        for index in 0..<count {
            let partition = Partition(index: index, count: count)
            let context = PartitionContext(partition: partition, samples: partition.samples(total: total, alignment: block),
                                           totalSamples: total, alignment: unit, output: output, outputIsFile: outputIsFile)
            let recordPath = PartitionRecord.path(partsDirectory: partsDirectory, partition: partition)
            if let record = try? PartitionRecord.read(recordPath), record.route == route, record.options == outputShapingOptions,
               record.input == .of(input), record.totalSamples == total, record.partition == partition,
               record.firstSample == context.samples.lowerBound,
               record.endSample == (context.samples.upperBound == Int.max ? nil : context.samples.upperBound) {
                // Finished by an earlier run: its files are in place.
                try cursor.skip(to: context.samples.upperBound)
                combined.summary.samples += record.samplesWritten
                combined.samplesRead += record.samplesWritten
                progress.update(done: min(context.samples.upperBound, total), total: total)
                resumed += 1
                continue
            }
            try? FileManager.default.removeItem(atPath: context.partDirectory)
            try? FileManager.default.removeItem(atPath: recordPath)
            let blockReader = try cursor.block(context)
            let first = context.samples.lowerBound
            let outcome = try Conversion(jobs: jobs, cancellation: cancellation)
                .run(reader: blockReader, writer: try create(output, skips), skips: skips,
                     progress: { done, _ in progress.update(done: first + done, total: total) })
            try PartitionRecord(route: route, writer: to.name, options: outputShapingOptions, input: .of(input), context: context,
                                samplesWritten: outcome.summary.samples, indexParts: outcome.summary.indexParts)
                .write(partsDirectory: partsDirectory)
            // A finished checkpoint stays, whatever happens to the rest of the run.
            OutputLedger.commit()
            combined.summary.samples += outcome.summary.samples
            combined.summary.instances += outcome.summary.instances
            combined.summary.files += outcome.summary.files
            combined.summary.bytes += outcome.summary.bytes
            combined.summary.notes = outcome.summary.notes
            combined.samplesRead += outcome.samplesRead
            combined.samplesSkipped += outcome.samplesSkipped
            lastHeader = blockReader.header
        }
        let merged = try PartitionMerge(output: output).run()
        combined.summary.files += merged.files.count
        if resumed > 0 {
            combined.summary.notes.append("resumed: \(resumed) of \(count) checkpoints were finished by an earlier run and kept")
        }
        lastHeader.partition = nil
        return (combined, lastHeader)
    }
}
