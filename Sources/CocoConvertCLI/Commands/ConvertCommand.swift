import ArgumentParser
import CocoConvertCore
import Foundation

/// `cococonvert convert --from F --to T IN OUT`: any reader into any writer, on every core.
struct Convert: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Convert a dataset from one format to another.",
        discussion: """
            Shorthands for the same command: coco2voc, coco:voc, 'coco->voc' (quoted).
            Samples stream one at a time; memory stays flat however large the input.
            Exit status: 0 success, 64 bad command line, 65 bad input data, 1 other failures.
            """)

    @Option(help: "Source format: \(FormatID.allCases.map(\.rawValue).joined(separator: ", ")).")
    var from: FormatID

    @Option(help: "Target format: \(FormatID.allCases.map(\.rawValue).joined(separator: ", ")).")
    var to: FormatID

    @Argument(help: "Input: a COCO JSON file, or a directory for png, voc, hdf5 and tfrecord.")
    var input: String

    @Argument(help: "Output: a JSON file for coco, a directory for the others.")
    var output: String

    @OptionGroup var options: ConvertOptions

    func validate() throws {
        if let jobs = options.jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1.") }
        if let shard = options.shard, shard < 1 { throw ValidationError("--shard must be at least 1.") }
        guard FormatPlugin.named(from).makeReader != nil else {
            throw ValidationError("Reading \(from.rawValue) is not supported yet; see 'cococonvert formats'.")
        }
        guard FormatPlugin.named(to).makeWriter != nil else {
            throw ValidationError("Writing \(to.rawValue) is not supported yet; see 'cococonvert formats'.")
        }
    }

    func run() throws {
        let console = Console(quiet: options.quiet)
        do {
            try convert(console: console)
        } catch let error as ConversionError {
            console.error(error)
            throw ExitCode(error.code == .usage ? ExitCode.validationFailure.rawValue : 65)
        }
    }

    private func convert(console: Console) throws {
        let skips = SkipReport(policy: options.onError)
        let source = FormatPlugin.named(from)
        let target = FormatPlugin.named(to)
        guard let makeReader = source.makeReader, let makeWriter = target.makeWriter else { return }
        let started = Date()
        let reader = try makeReader(input, options, skips)
        let writer = try makeWriter(output, options, skips)
        let conversion = Conversion(jobs: options.jobs)
        let progress = console.progress(label: "\(from.rawValue) → \(to.rawValue)")
        let outcome: Conversion.Outcome
        do {
            outcome = try conversion.run(reader: reader, writer: writer, skips: skips, progress: progress.update)
            progress.finish()
        } catch {
            progress.finish()
            try writeSkipReport(skips, console: console)
            throw error
        }
        try writeSkipReport(skips, console: console)
        let seconds = Date().timeIntervalSince(started)
        console.summary(outcome: outcome, seconds: seconds, route: "\(from.rawValue) → \(to.rawValue)",
                        output: output, skipped: skips.count, reportPath: skipReportPath)
    }

    private var skipReportPath: String {
        options.skipReport ?? (output.hasSuffix("/") ? String(output.dropLast()) : output) + ".skipped.jsonl"
    }

    private func writeSkipReport(_ skips: SkipReport, console: Console) throws {
        guard skips.count > 0 else { return }
        let text = skips.jsonLines.joined(separator: "\n") + "\n"
        try AtomicFile.write(Array(text.utf8), to: skipReportPath)
    }
}

extension FormatID: ExpressibleByArgument {}
