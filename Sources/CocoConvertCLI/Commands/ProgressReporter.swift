import CocoConvertCore
import Foundation

/// How a run shows its progress on stderr (`--progress`).
enum ProgressMode: String, CaseIterable, Sendable {
    /// `bar` on a terminal, `plain` otherwise (logs, pipes, Slurm, nohup).
    case auto
    /// One line redrawn in place, ten times a second.
    case bar
    /// A full line every few seconds: done, total, rate, time left. For log files.
    case plain
    /// One JSON object a line (`phase`, `done`, `total`, `rate`, `eta`, `elapsed`), for wrappers.
    case json
    /// Nothing.
    case none

    static let option = OptionSpec.choice("progress", ProgressMode.self, group: CommonOptions.group,
        help: "How progress is shown on stderr: auto (default: bar on a terminal, plain otherwise), bar, plain (a line every 5 s with done, total, rate and time left, for Slurm/nohup logs), json (one object a line: phase, done, total, rate, eta, elapsed) or none. --quiet silences auto only.")

    /// What `auto` means for this stderr.
    func resolved(isTerminal: Bool) -> ProgressMode {
        self == .auto ? (isTerminal ? .bar : .plain) : self
    }

    /// Seconds between two reports; `COCOCONVERT_PROGRESS_INTERVAL` (seconds) overrides it, so that
    /// tests and impatient wrappers need not run long jobs.
    var interval: TimeInterval {
        if let text = ProcessInfo.processInfo.environment["COCOCONVERT_PROGRESS_INTERVAL"],
           let seconds = Double(text), seconds >= 0 {
            return seconds
        }
        switch self {
        case .bar: return 0.1
        case .plain: return 5
        case .json: return 0.5
        case .auto, .none: return .infinity
        }
    }
}

/// Shows how far a run is, in one of the ``ProgressMode``s; driven by the committing thread.
///
/// `plain` and `json` report at most once per interval, so a short run prints nothing in `plain`;
/// `json` always reports the start and the end, so a wrapper sees every run begin and finish.
final class ProgressReporter {
    private let mode: ProgressMode
    private let label: String
    private let interval: TimeInterval
    private let write: (String) -> Void
    private let started = Date()
    private var lastReport: Date
    private var barDrawn = false
    private var last: (done: Int, total: Int?) = (0, nil)

    /// `mode` must be resolved (not `auto`).
    init(mode: ProgressMode, label: String, write: @escaping (String) -> Void) {
        self.mode = mode
        self.label = label
        self.interval = mode.interval
        self.write = write
        // A bar may draw at once; a plain line waits one interval, so that quick runs stay quiet.
        lastReport = mode == .bar ? .distantPast : started
    }

    /// The first report, before any sample: a wrapper learns the total at once.
    func start(total: Int?) {
        last = (0, total)
        if mode == .json { emitJSON(phase: "start", now: started) }
    }

    /// `done` samples of `total` (nil when the reader does not know) are committed.
    func update(done: Int, total: Int?) {
        last = (done, total)
        guard mode != .none else { return }
        let now = Date()
        guard now.timeIntervalSince(lastReport) >= interval else { return }
        lastReport = now
        switch mode {
        case .bar: drawBar(now: now)
        case .plain: write(plainLine(now: now) + "\n")
        case .json: emitJSON(phase: "convert", now: now)
        case .auto, .none: break
        }
    }

    /// The run ended (completed or not): erases the bar, and in `json` reports the final count.
    func finish(completed: Bool) {
        switch mode {
        case .bar where barDrawn:
            write("\r\u{1B}[K")
            barDrawn = false
        case .json:
            emitJSON(phase: completed ? "done" : "stopped", now: Date())
        default:
            break
        }
    }

    private func rate(now: Date) -> Double {
        let elapsed = now.timeIntervalSince(started)
        return elapsed > 0 ? Double(last.done) / elapsed : 0
    }

    /// Seconds left at the current rate, when the total is known and the rate is not zero.
    private func eta(now: Date) -> Double? {
        let rate = rate(now: now)
        guard let total = last.total, rate > 0 else { return nil }
        return Double(max(0, total - last.done)) / rate
    }

    private func drawBar(now: Date) {
        var line = "\r\(label): \(last.done)"
        if let total = last.total, total > 0 {
            line += "/\(total) (\(last.done * 100 / total)%)"
            if let eta = eta(now: now), last.done < total { line += ", \(Int(eta)) s left" }
        }
        line += ", \(Int(rate(now: now))) samples/s   "
        write(line)
        barDrawn = true
    }

    /// `coco → voc: 1200/5000 samples (24%), 240 samples/s, 16 s left, 5 s elapsed`.
    private func plainLine(now: Date) -> String {
        var line = "\(label): \(last.done)"
        if let total = last.total, total > 0 {
            line += "/\(total) samples (\(last.done * 100 / total)%)"
        } else {
            line += " samples"
        }
        line += ", \(Int(rate(now: now).rounded())) samples/s"
        if let eta = eta(now: now), let total = last.total, last.done < total {
            line += ", \(Self.duration(eta)) left"
        }
        return line + ", \(Self.duration(now.timeIntervalSince(started))) elapsed"
    }

    private func emitJSON(phase: String, now: Date) {
        func number(_ value: Double?) -> String {
            guard let value, value.isFinite else { return "null" }
            return String(format: "%.3f", value)
        }
        let total = last.total.map(String.init) ?? "null"
        write("{\"phase\":\"\(phase)\",\"done\":\(last.done),\"total\":\(total),\"rate\":\(number(rate(now: now))),"
              + "\"eta\":\(number(eta(now: now))),\"elapsed\":\(number(now.timeIntervalSince(started)))}\n")
    }

    /// `42 s`, `3 min 5 s`, `2 h 4 min`.
    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        if s < 60 { return "\(s) s" }
        if s < 3600 { return "\(s / 60) min \(s % 60) s" }
        return "\(s / 3600) h \(s % 3600 / 60) min"
    }
}
