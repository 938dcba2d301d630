import CocoConvertCore
import Dispatch
import Foundation
import Synchronization

/// Ctrl-C or `kill` during a conversion: stops the pipeline, then removes what the run had not
/// finished and exits 128 + the signal number.
///
/// The signal handler only requests cancellation: the conversion's threads stop, `Conversion.run`
/// joins them and throws, and the sink is released, removing its temporary files. The main thread
/// then calls ``finishRun()``, which removes every temporary file still registered in
/// ``TemporaryFiles`` and the output paths this run created (``freshPaths``), prints
/// "interrupted; …" and returns the exit status. If the main thread has not got there within
/// ``gracePeriod`` (stuck in a long read, such as indexing a large input) or a second signal
/// arrives, the handler does the same cleanup itself, sealing the registry first so that no
/// thread can create or rename a temporary file afterwards, and `_exit`s. The cleanup runs once.
final class InterruptCleanup: Sendable {
    /// How long the main thread gets to unwind after a signal.
    static let gracePeriod: DispatchTimeInterval = .seconds(3)

    private let freshPaths: [String]
    /// What the user is told after the cleanup.
    private let message: String
    private let console: Console
    let cancellation: Cancellation

    private enum Phase {
        /// Converting; no signal yet.
        case armed
        /// A signal arrived: the conversion is being stopped.
        case stopping(signal: Int32)
        /// The cleanup has run (or is running) on some thread.
        case cleanedUp
        /// The run is over (or signals are not handled): signals are no longer ours.
        case disarmed
    }

    private struct State {
        var phase = Phase.disarmed
        var sources: [any DispatchSourceSignal] = []
        var watched: [Int32] = []
    }

    private let state = Mutex(State())

    /// - Parameters:
    ///   - freshPaths: output paths that did not exist before the run (removed whole).
    ///   - kept: an output directory that existed before the run (what was written into it stays).
    init(freshPaths: [String], kept: String?, console: Console, cancellation: Cancellation = Cancellation()) {
        self.freshPaths = freshPaths
        self.message = kept.map { "temporary files and the files this run added to \($0) were removed; files it replaced keep their new content" }
            ?? "the unfinished output was removed"
        self.console = console
        self.cancellation = cancellation
    }

    /// Starts watching SIGINT, SIGTERM and SIGHUP. A signal that is already ignored (`nohup`) stays
    /// ignored.
    func install() {
        state.withLock { state in
            state.phase = .armed
            for signalNumber in [SIGINT, SIGTERM, SIGHUP] {
                let previous = signal(signalNumber, SIG_IGN)
                if unsafeBitCast(previous, to: Int.self) == unsafeBitCast(SIG_IGN, to: Int.self) { continue }
                let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
                source.setEventHandler { [self] in self.received(signalNumber) }
                source.resume()
                state.sources.append(source)
                state.watched.append(signalNumber)
            }
        }
    }

    /// The handler: the first signal stops the conversion and starts the grace period; a second
    /// one (or the end of the grace period) cleans up at once.
    private func received(_ signalNumber: Int32) {
        let first: Bool? = state.withLock { state in
            switch state.phase {
            case .armed:
                state.phase = .stopping(signal: signalNumber)
                return true
            case .stopping:
                return false
            case .cleanedUp, .disarmed:
                return nil
            }
        }
        switch first {
        case true?:
            cancellation.cancel()
            DispatchQueue.global().asyncAfter(deadline: .now() + Self.gracePeriod) { [self] in self.forceExit() }
        case false?:
            forceExit()
        case nil:
            break
        }
    }

    /// The main thread did not unwind in time: cleans up from here and exits.
    private func forceExit() {
        let signalNumber: Int32? = state.withLock { state in
            guard case .stopping(let signalNumber) = state.phase else { return nil }
            state.phase = .cleanedUp
            return signalNumber
        }
        guard let signalNumber else { return }
        cleanUp(sealing: true)
        console.say((console.isTerminal ? "\n" : "") + "interrupted; " + message)
        _exit(128 + signalNumber)
    }

    /// Called by the main thread once the conversion has returned or thrown: after a signal, cleans
    /// up, tells the user and returns 128 + the signal number; otherwise stops watching signals (the
    /// output is complete or the failure is handled as usual) and returns nil.
    func finishRun() -> Int32? {
        let phase: Phase = state.withLock { state in
            let phase = state.phase
            switch phase {
            case .stopping:
                state.phase = .cleanedUp
            case .armed, .disarmed:
                state.phase = .disarmed
                Self.stopWatching(&state)
            case .cleanedUp:
                break
            }
            return phase
        }
        let signalNumber: Int32
        switch phase {
        case .stopping(let number): signalNumber = number
        case .armed, .disarmed: return nil
        case .cleanedUp: while true { pause() }  // the handler is cleaning up and exits the process
        }
        cleanUp(sealing: false)
        console.say((console.isTerminal ? "\n" : "") + "interrupted; " + message)
        return 128 + signalNumber
    }

    /// Stops watching signals (idempotent).
    func disarm() {
        state.withLock { state in
            if case .armed = state.phase { state.phase = .disarmed }
            Self.stopWatching(&state)
        }
    }

    private static func stopWatching(_ state: inout State) {
        for source in state.sources { source.cancel() }
        state.sources.removeAll()
        for signalNumber in state.watched { signal(signalNumber, SIG_DFL) }
        state.watched.removeAll()
    }

    /// Removes every registered temporary file of this process and the fresh outputs. With
    /// `sealing` (other threads may still run), no temporary file can be created or renamed
    /// afterwards; the removal of the fresh outputs is repeated briefly in case a thread was
    /// creating a directory in them.
    private func cleanUp(sealing: Bool) {
        TemporaryFiles.removeAll(sealing: sealing)
        OutputLedger.removeCreated()  // files added to an existing output (--add, --overwrite)
        let fileManager = FileManager.default
        for attempt in 0..<(sealing ? 10 : 1) {
            if attempt > 0 { usleep(5_000) }
            for path in freshPaths { try? fileManager.removeItem(atPath: path) }
            if !freshPaths.contains(where: { fileManager.fileExists(atPath: $0) }) && attempt > 0 { break }
        }
    }
}
