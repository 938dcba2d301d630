#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Synchronization

/// The process-wide list of temporary files this process created and has not yet renamed into
/// place or removed.
///
/// Every place that creates a temporary name registers it here (``OutputFile``, ``AtomicFile``,
/// HDF5 shard temporaries, VOC's replacement links), so that an interrupted run can remove exactly
/// its own unfinished files (``removeAll(sealing:)``) without scanning directories. Creation,
/// renaming and removal happen under the registry's lock: once the registry is sealed by the
/// interrupt cleanup, no thread can create or rename a temporary file any more (they get
/// ``ConversionCancelled``), so nothing slips in after the cleanup.
public enum TemporaryFiles {
    private struct State {
        var paths: Set<String> = []
        var sealed = false
    }

    private static let state = Mutex(State())

    /// The temporary name beside `destination`: hidden, with the process id and a counter
    /// (`.<name>.<tag>-<pid>-<attempt>`).
    public static func path(beside destination: String, tag: String, attempt: Int = 0) -> String {
        let slash = destination.lastIndex(of: "/")
        let directory = slash.map { String(destination[...$0]) } ?? ""
        let name = slash.map { String(destination[destination.index(after: $0)...]) } ?? destination
        return "\(directory).\(name).\(tag)-\(getpid())-\(attempt)"
    }

    /// Runs `create`, which makes the file at `path`, and registers `path` when it returns true.
    /// Throws ``ConversionCancelled`` without running `create` once the registry is sealed.
    public static func create(_ path: String, _ create: () throws -> Bool) throws -> Bool {
        try state.withLock { state in
            guard !state.sealed else { throw ConversionCancelled() }
            guard try create() else { return false }
            state.paths.insert(path)
            return true
        }
    }

    /// Registers a temporary file that `create` is about to make and that a library creates by
    /// path (call before the library creates it).
    public static func register(_ path: String) throws {
        try state.withLock { state in
            guard !state.sealed else { throw ConversionCancelled() }
            state.paths.insert(path)
        }
    }

    /// Renames the registered `temporary` to `destination` (replacing it) and forgets it; returns 0,
    /// or `rename(2)`'s `errno` on failure (the temporary then stays registered).
    /// Refused with ``ConversionCancelled`` once sealed.
    public static func rename(_ temporary: String, to destination: String) throws -> Int32 {
        try OutputLedger.willPlace(destination, temporary: temporary)
        return try state.withLock { state in
            guard !state.sealed else { throw ConversionCancelled() }
            guard systemRename(temporary, destination) == 0 else { return errno }
            state.paths.remove(temporary)
            return 0
        }
    }

    /// Removes the file at `path` (if any) and forgets it.
    public static func remove(_ path: String) {
        state.withLock { state in
            unlink(path)
            state.paths.remove(path)
        }
    }

    /// Forgets `path` without touching the file (it was renamed or removed by other means).
    public static func forget(_ path: String) {
        _ = state.withLock { state in state.paths.remove(path) }
    }

    /// The registered paths, sorted.
    public static var paths: [String] {
        state.withLock { state in state.paths.sorted() }
    }

    /// Whether `path` is registered.
    public static func contains(_ path: String) -> Bool {
        state.withLock { state in state.paths.contains(path) }
    }

    /// Removes every registered file; with `sealing`, no temporary file can be created or renamed
    /// afterwards in this process. Returns the paths removed.
    @discardableResult
    public static func removeAll(sealing: Bool) -> [String] {
        state.withLock { state in
            if sealing { state.sealed = true }
            let removed = state.paths.sorted()
            for path in removed { unlink(path) }
            state.paths.removeAll()
            return removed
        }
    }
}

extension TemporaryFiles {
    /// Whether `name` is a temporary name this project makes (`.<name>.<tag>-<pid>-<n>`) of a process
    /// other than this one.
    static func isForeignTemporaryName(_ name: String) -> Bool {
        guard name.hasPrefix("."), let dash = name.lastIndex(of: "-") else { return false }
        let attempt = name[name.index(after: dash)...]
        let head = name[..<dash]
        guard !attempt.isEmpty, attempt.allSatisfy(\.isNumber), let pidDash = head.lastIndex(of: "-") else { return false }
        let pid = head[head.index(after: pidDash)...]
        guard !pid.isEmpty, pid.allSatisfy(\.isNumber), Int32(pid) != getpid() else { return false }
        let tagged = head[..<pidDash]
        return tagged.lastIndex(of: ".").map { $0 != tagged.startIndex } ?? false
    }

    /// Removes temporary files that runs before this one left under `root` (killed with SIGKILL, or
    /// a machine that went down). Call only while holding the output's ``OutputLock``: no other run
    /// is writing there then. `recursive` false looks at `root`'s own entries only (a file output's
    /// directory), and then only at temporaries of the file `only` names (other runs may be writing
    /// other files there). Returns the paths removed.
    @discardableResult
    public static func removeStale(under root: String, recursive: Bool, only name: String? = nil) -> [String] {
        var removed: [String] = []
        let names: [String]
        if recursive {
            guard let enumerator = FileManager.default.enumerator(atPath: root) else { return [] }
            var all: [String] = []
            while let next = enumerator.nextObject() as? String { all.append(next) }
            names = all
        } else {
            names = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        }
        for relative in names where isForeignTemporaryName(PathText.lastComponent(of: relative))
            && name.map({ PathText.lastComponent(of: relative).hasPrefix("." + $0 + ".") }) ?? true {
            let path = PathText.join(root, relative)
            if unlink(path) == 0 { removed.append(path) }
        }
        return removed
    }
}

/// The error of a conversion stopped on request (Ctrl-C, `kill`), thrown by
/// ``Conversion/run(reader:writer:skips:progress:)`` once every thread has stopped, and by file
/// operations refused after the interrupt cleanup.
public struct ConversionCancelled: Error, Sendable, CustomStringConvertible {
    public init() {}
    public var description: String { "the conversion was interrupted" }
}

@inline(__always)
private func systemRename(_ from: String, _ to: String) -> Int32 {
    rename(from, to)
}
