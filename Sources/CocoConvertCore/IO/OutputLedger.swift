#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Synchronization

/// The process-wide record of the final names a run puts files under, kept when the output already
/// held files (``OutputMode/overwrite`` and ``OutputMode/add``).
///
/// Every place that moves a finished file under its final name (``TemporaryFiles/rename(_:to:)``,
/// image links) calls ``willPlace(_:temporary:)`` first. The ledger then knows which files the run
/// created (removed again when the run fails or is interrupted: the tree keeps what it held), which
/// it replaced, and which it found already there with the same bytes (`--add`). With
/// ``OutputMode/add``, replacing a file with other content stops the run; a protected path (an
/// input) is never replaced in any mode. Inactive (no memory, no checks) until ``start(mode:protected:)``.
public enum OutputLedger {
    /// What a run did to an existing output.
    public struct Tally: Sendable, Equatable {
        /// Files that did not exist before.
        public var created = 0
        /// Files replaced by new content.
        public var replaced = 0
        /// Files that were already there with the same bytes (`--add`).
        public var unchanged = 0
    }

    private struct State {
        var mode: OutputMode?
        var protected: Set<String> = []
        var written: Set<String> = []
        var created: [String] = []
        var createdDirectories: [String] = []
        var tally = Tally()
    }

    private static let state = Mutex(State())

    /// Starts recording for a run in `mode` into an output that already exists (a new output is
    /// removed whole on failure and needs no ledger); `protected` paths (inputs) and everything
    /// inside a protected directory are never replaced.
    public static func start(mode: OutputMode, protected: [String]) {
        state.withLock { state in
            state = State()
            state.mode = mode
            state.protected = Set(protected.map(resolved))
        }
    }

    /// Stops recording and forgets everything.
    public static func stop() {
        state.withLock { state in state = State() }
    }

    /// What the run did so far.
    public static var tally: Tally { state.withLock { $0.tally } }

    /// Whether the run wrote `path` (as the writer named it).
    public static func wrote(_ path: String) -> Bool {
        state.withLock { $0.written.contains(path) }
    }

    /// Whether the run wrote anything under `directory`.
    public static func wroteInside(_ directory: String) -> Bool {
        let prefix = directory.hasSuffix("/") ? directory : directory + "/"
        return state.withLock { state in state.written.contains { $0.hasPrefix(prefix) } }
    }

    /// Called before the finished file `temporary` is renamed to `destination`. Records it; refuses
    /// what the mode does not allow.
    /// - Throws: `ConversionError` (.usage) when `--add` would replace a file with other content,
    ///   or any mode would replace an input.
    public static func willPlace(_ destination: String, temporary: String) throws {
        try state.withLock { state in
            guard let mode = state.mode else { return }
            var info = stat()
            let existed = lstat(destination, &info) == 0
            if existed && !state.protected.isEmpty && isProtected(resolved(destination), state.protected) {
                throw ConversionError(.usage, "the run would replace its own input \(destination)", context: ErrorContext(file: destination),
                                      hint: "write to a directory that does not hold the input")
            }
            guard state.written.insert(destination).inserted else { return }
            if !existed {
                state.created.append(destination)
                state.tally.created += 1
            } else if mode.replaces {
                state.tally.replaced += 1
            } else if sameBytes(temporary, destination) {
                state.tally.unchanged += 1
            } else {
                throw ConversionError(.usage, "already exists with other content; --add never replaces a file",
                                      context: ErrorContext(file: destination),
                                      hint: "add --overwrite as well to replace files of the same name, or write to another directory")
            }
        }
    }

    /// Records a file made directly under its final name (an image link that did not exist).
    public static func didCreate(_ path: String) {
        state.withLock { state in
            guard state.mode != nil, state.written.insert(path).inserted else { return }
            state.created.append(path)
            state.tally.created += 1
        }
    }

    /// Records a file the run found already in place under its final name (an image link to the
    /// same file), so `--overwrite` does not take it for a stale one.
    public static func didKeep(_ path: String) {
        state.withLock { state in
            guard state.mode != nil, state.written.insert(path).inserted else { return }
            state.tally.unchanged += 1
        }
    }

    /// Records a directory the run created inside an existing output (``OutputDirectory``).
    public static func didCreateDirectory(_ path: String) {
        state.withLock { state in
            guard state.mode != nil else { return }
            state.createdDirectories.append(path)
        }
    }

    /// Keeps the files created so far: a failure or an interruption later in the run no longer
    /// removes them. Called once a finished piece of the output (a checkpoint, a partition) is
    /// recorded, so that `--resume` finds it complete.
    public static func commit() {
        state.withLock { state in state.created.removeAll() }
    }

    /// Removes the files and then the directories the run created (after a failure or an
    /// interruption: the tree keeps what it held before) and returns the files.
    @discardableResult
    public static func removeCreated() -> [String] {
        state.withLock { state in
            let created = state.created
            for path in created.reversed() { unlink(path) }
            for directory in state.createdDirectories.reversed() { rmdir(directory) }  // only if empty
            state.created.removeAll()
            state.createdDirectories.removeAll()
            return created
        }
    }

    /// Whether `path` is a protected path or lies inside one (an input directory).
    private static func isProtected(_ path: String, _ protected: Set<String>) -> Bool {
        protected.contains(path) || protected.contains { path.hasPrefix($0.hasSuffix("/") ? $0 : $0 + "/") }
    }

    private static func resolved(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    }

    /// Whether two files hold the same bytes (compared in blocks).
    static func sameBytes(_ a: String, _ b: String) -> Bool {
        guard let first = FileHandle(forReadingAtPath: a), let second = FileHandle(forReadingAtPath: b) else { return false }
        defer {
            try? first.close()
            try? second.close()
        }
        while true {
            let left = (try? first.read(upToCount: 1 << 16)) ?? nil
            let right = (try? second.read(upToCount: 1 << 16)) ?? nil
            if left != right { return false }
            if left == nil || left?.isEmpty == true { return true }
        }
    }
}
