import ArgumentParser
import CocoConvertCore
import Foundation

/// `cococonvert merge OUT`: the last step of a partitioned conversion.
struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Join the index files of a partitioned conversion (--partitions N) into what one run writes.",
        discussion: """
            Each partition writes its per-sample files (PNGs, XMLs, label files, shards) under their final
            names and the files that cover the whole dataset (COCO JSON, labels.json, ImageSets lists,
            label maps, data.yaml) as parts in OUT/.cococonvert-parts (or <file>.cococonvert-parts beside
            a one-file output). Once every partition has finished, merge checks that all N are there, complete
            and made from the same input with the same options, joins the parts in partition order into
            exactly the files one run would have written, and removes the parts. It changes nothing when a
            check fails, and names the partitions to run again.

              cococonvert coco2png instances.json labels/ --partitions 4 --partition 0   (… 1, 2, 3 anywhere)
              cococonvert merge labels/

            -q/--quiet leaves out the summary; --report json (or json=FILE) ends with one JSON object for
            scripts, as conversions do ("files" and "bytes" count the index files merge wrote).
            """)

    @Argument(help: "The output the partitions were given (a directory, or the output file of a one-file format).")
    var output: String

    @Flag(name: [.short, .long], help: "No summary on stderr (errors are still printed).")
    var quiet = false

    @Option(name: .long, help: ArgumentHelp("At the end, print one JSON object (status, route, output, samples, files, bytes, seconds, or the error) on stdout, or write it to FILE with json=FILE.",
                                            valueName: "json[=FILE]"))
    var report: String?

    func run() throws {
        let request: ReportRequest?
        do {
            request = try report.map(ReportRequest.parse)
        } catch let error as ConversionError {
            Console().error(error)
            throw ExitCode(ExitStatus.usage)
        }
        let record = RunRecord()
        let console = Console(quiet: quiet, record: record)
        var route: String?
        let status = merge(console: console, record: record, route: &route)
        if let request {
            let delivered = record.deliver(request, status: status, route: route, inputs: [], output: output, console: console)
            if delivered != 0 { throw ExitCode(delivered) }
        } else if status != 0 {
            throw ExitCode(status)
        }
    }

    /// Merges, says how it went (unless quiet) and records it for `--report`; returns the exit status.
    private func merge(console: Console, record: RunRecord, route: inout String?) -> Int32 {
        let started = Date()
        do {
            let merge = try PartitionMerge(output: output)
            let lock = try OutputLock(path: OutputLock.path(forOutput: merge.output, isDirectory: !merge.outputIsFile))
            defer { lock.release() }
            let outcome = try merge.run()
            route = outcome.route.replacingOccurrences(of: " → ", with: "2")
            // Temporaries of partition attempts that were killed and then run again elsewhere.
            let stale = merge.outputIsFile
                ? TemporaryFiles.removeStale(under: PathText.parent(of: merge.output), recursive: false, only: PathText.lastComponent(of: merge.output))
                : TemporaryFiles.removeStale(under: merge.output, recursive: true)
            let seconds = Date().timeIntervalSince(started)
            var summary = WriteSummary()
            summary.samples = outcome.samples
            summary.files = outcome.files.count
            summary.bytes = outcome.files.reduce(Int64(0)) { total, path in
                total + Int64((try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0)
            }
            if !stale.isEmpty { summary.notes.append("removed \(stale.count) temporary files of killed attempts") }
            record.complete(RunRecord.Completed(outcome: Conversion.Outcome(summary: summary, samplesRead: outcome.samples, samplesSkipped: 0),
                                                seconds: seconds, skipped: 0, skipReport: nil))
            if !console.quiet {
                console.say("merged \(outcome.partitions) partitions (\(outcome.route)): \(Console.count(outcome.samples, "sample")), "
                            + "\(Console.count(outcome.files.count, "index file")) written in \(String(format: "%.2f", seconds)) s"
                            + (stale.isEmpty ? "" : "; removed \(stale.count) temporary files of killed attempts"))
            }
            return ExitStatus.success
        } catch let error as ConversionError {
            console.error(error)
            return error.code == .usage ? ExitStatus.usage : ExitStatus.failure
        } catch {
            console.say("error: \(error)")
            return ExitStatus.failure
        }
    }
}
