import CocoConvertCore
import Foundation

/// Everything the CLI says: progress (see ``ProgressReporter``), errors and the summary on
/// stderr; help and reports on stdout. Tests give it closures to capture both.
final class Console: Sendable {
    let quiet: Bool
    /// Print the causes behind an error in full.
    let verbose: Bool
    let isTerminal: Bool
    /// `--progress`; `auto` is silent under `--quiet`.
    let progressMode: ProgressMode
    /// Collects the end of a run for `--report`.
    let record: RunRecord?
    private let writeError: @Sendable (String) -> Void
    private let writeOutput: @Sendable (String) -> Void

    init(quiet: Bool = false, verbose: Bool = false, isTerminal: Bool = isatty(2) == 1,
         progressMode: ProgressMode = .auto, record: RunRecord? = nil,
         writeError: @escaping @Sendable (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) },
         writeOutput: @escaping @Sendable (String) -> Void = { FileHandle.standardOutput.write(Data($0.utf8)) }) {
        self.quiet = quiet
        self.verbose = verbose
        self.isTerminal = isTerminal
        self.progressMode = progressMode
        self.record = record
        self.writeError = writeError
        self.writeOutput = writeOutput
    }

    /// The same destinations with other settings.
    convenience init(quiet: Bool, verbose: Bool, progressMode: ProgressMode = .auto, base: Console) {
        self.init(quiet: quiet, verbose: verbose, isTerminal: base.isTerminal, progressMode: progressMode,
                  record: base.record, writeError: base.writeError, writeOutput: base.writeOutput)
    }

    /// The same destinations and settings, collecting the end of the run in `record`.
    convenience init(recordingInto record: RunRecord, base: Console) {
        self.init(quiet: base.quiet, verbose: base.verbose, isTerminal: base.isTerminal, progressMode: base.progressMode,
                  record: record, writeError: base.writeError, writeOutput: base.writeOutput)
    }

    /// A line on stderr.
    func say(_ line: String) {
        if line.hasPrefix("error: ") { record?.fail(message: String(line.dropFirst(7))) }
        writeError(line + "\n")
    }

    /// Text on stdout (help, tables).
    func out(_ text: String) {
        writeOutput(text + "\n")
    }

    /// The error, and with `--verbose` every cause behind it.
    func error(_ error: ConversionError) {
        record?.fail(error)
        say("error: \(error)")
        guard verbose else { return }
        var cause = error.cause
        while let current = cause {
            say("  caused by: \(current)")
            cause = (current as? ConversionError)?.cause
        }
    }

    /// The run's progress in the `--progress` mode (a bar on a terminal, lines in a log);
    /// `--quiet` silences `auto`, not a mode asked for by name. Reports the start at once.
    func progress(label: String, total: Int?) -> ProgressReporter {
        let mode = quiet && progressMode == .auto ? .none : progressMode.resolved(isTerminal: isTerminal)
        let reporter = ProgressReporter(mode: mode, label: label, write: writeError)
        reporter.start(total: total)
        return reporter
    }

    func summary(outcome: Conversion.Outcome, seconds: Double, route: String, output: String,
                 skipped: Int, reportPath: String) {
        record?.complete(RunRecord.Completed(outcome: outcome, seconds: seconds, skipped: skipped,
                                             skipReport: skipped > 0 ? reportPath : nil))
        guard !quiet else { return }
        let s = outcome.summary
        let rate = seconds > 0 ? Double(s.samples) / seconds : 0
        say("\(route): \(Self.count(s.samples, "sample")), \(Self.count(s.instances, "instance")) "
            + "in \(String(format: "%.2f", seconds)) s (\(Int(rate.rounded())) samples/s)")
        say("wrote \(Self.count(s.files, "file")), \(ByteCount.format(s.bytes)) → \(output)")
        for note in s.notes { say("note: \(note)") }
        if skipped > 0 {
            say("skipped \(Self.count(skipped, "item")) (--on-error skip); what and why: \(reportPath)")
        }
    }

    /// `1 file`, `2 files`.
    static func count(_ n: Int, _ noun: String) -> String {
        "\(n) \(noun)\(n == 1 ? "" : "s")"
    }
}
