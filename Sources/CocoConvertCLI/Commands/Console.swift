import CocoConvertCore
import Foundation

/// Everything the CLI says: progress (a redrawn line on a terminal), errors and the summary on
/// stderr; help and reports on stdout. Tests give it closures to capture both.
final class Console: Sendable {
    let quiet: Bool
    /// Print the causes behind an error in full.
    let verbose: Bool
    let isTerminal: Bool
    private let writeError: @Sendable (String) -> Void
    private let writeOutput: @Sendable (String) -> Void

    init(quiet: Bool = false, verbose: Bool = false, isTerminal: Bool = isatty(2) == 1,
         writeError: @escaping @Sendable (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) },
         writeOutput: @escaping @Sendable (String) -> Void = { FileHandle.standardOutput.write(Data($0.utf8)) }) {
        self.quiet = quiet
        self.verbose = verbose
        self.isTerminal = isTerminal
        self.writeError = writeError
        self.writeOutput = writeOutput
    }

    /// The same destinations with other settings.
    convenience init(quiet: Bool, verbose: Bool, base: Console) {
        self.init(quiet: quiet, verbose: verbose, isTerminal: base.isTerminal, writeError: base.writeError,
                  writeOutput: base.writeOutput)
    }

    /// A line on stderr.
    func say(_ line: String) {
        writeError(line + "\n")
    }

    /// Text on stdout (help, tables).
    func out(_ text: String) {
        writeOutput(text + "\n")
    }

    /// The error, and with `--verbose` every cause behind it.
    func error(_ error: ConversionError) {
        say("error: \(error)")
        guard verbose else { return }
        var cause = error.cause
        while let current = cause {
            say("  caused by: \(current)")
            cause = (current as? ConversionError)?.cause
        }
    }

    /// A progress line redrawn at most ten times a second; silent when stderr is not a terminal.
    func progress(label: String) -> ProgressLine {
        ProgressLine(label: label, enabled: isTerminal && !quiet, write: writeError)
    }

    func summary(outcome: Conversion.Outcome, seconds: Double, route: String, output: String,
                 skipped: Int, reportPath: String) {
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

/// One self-overwriting progress line on stderr, driven by the committing thread.
final class ProgressLine {
    private let label: String
    private let enabled: Bool
    private let started = Date()
    private var lastDraw = Date.distantPast
    private var drawn = false

    private let write: (String) -> Void

    init(label: String, enabled: Bool, write: @escaping (String) -> Void) {
        self.label = label
        self.enabled = enabled
        self.write = write
    }

    func update(done: Int, total: Int?) {
        guard enabled else { return }
        let now = Date()
        guard now.timeIntervalSince(lastDraw) >= 0.1 || done == total else { return }
        lastDraw = now
        let elapsed = now.timeIntervalSince(started)
        let rate = elapsed > 0 ? Double(done) / elapsed : 0
        var line = "\r\(label): \(done)"
        if let total, total > 0 {
            line += "/\(total) (\(done * 100 / total)%)"
            if rate > 0 && done < total {
                line += ", \(Int(Double(total - done) / rate)) s left"
            }
        }
        line += ", \(Int(rate)) samples/s   "
        write(line)
        drawn = true
    }

    func finish() {
        guard drawn else { return }
        write("\r\u{1B}[K")
        drawn = false
    }
}
