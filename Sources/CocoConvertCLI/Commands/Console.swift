import CocoConvertCore
import Foundation

/// Everything the CLI says on stderr: progress (only on a terminal), errors and the summary.
final class Console: @unchecked Sendable {
    let quiet: Bool
    let isTerminal: Bool

    init(quiet: Bool) {
        self.quiet = quiet
        self.isTerminal = isatty(2) == 1
    }

    func say(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    func error(_ error: ConversionError) {
        say("error: \(error)")
    }

    /// A progress line redrawn at most ten times a second; silent when stderr is not a terminal.
    func progress(label: String) -> ProgressLine {
        ProgressLine(label: label, enabled: isTerminal && !quiet)
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

/// One self-overwriting progress line on stderr.
final class ProgressLine: @unchecked Sendable {
    private let label: String
    private let enabled: Bool
    private let started = Date()
    private var lastDraw = Date.distantPast
    private var drawn = false

    init(label: String, enabled: Bool) {
        self.label = label
        self.enabled = enabled
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
        FileHandle.standardError.write(Data(line.utf8))
        drawn = true
    }

    func finish() {
        guard drawn else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
        drawn = false
    }
}

/// Human-readable byte counts.
enum ByteCount {
    static func format(_ bytes: Int64) -> String {
        let units = ["B", "KB", "MB", "GB", "TB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1000 && unit < units.count - 1 {
            value /= 1000
            unit += 1
        }
        return unit == 0 ? "\(bytes) B" : String(format: "%.1f %@", value, units[unit])
    }
}
