#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Checks an input file in a separate process before a C library parses it in this one.
///
/// Some C libraries (libhdf5) trust the files they read: a few changed bytes can make them crash
/// the process (a segfault or an abort, not an error). A reader that hands files to such a library
/// calls ``verify(format:path:)`` first. When a runner is installed (the `cococonvert` executable
/// installs one that re-executes itself through `posix_spawn`), the format's
/// ``ReaderPlugin/isolatedCheck`` runs in a child process on that file and performs the same
/// library reads the reader will perform; a child that crashes makes the file "corrupt" here, a
/// child that finishes means this process may read the same bytes. Without a runner (library use,
/// in-process tests), `verify` does nothing.
///
/// The child reports what it is reading with ``trace(_:)``, so a crash names the dataset or
/// attribute it happened in.
public enum IsolatedCheck {
    /// What a child process did with one file.
    public struct Outcome: Sendable {
        /// nil when the check completed (the file is safe for the reader in this process); else how
        /// the child ended: "SIGSEGV, a segmentation fault", "exit status 3".
        public var failure: String?
        /// The last thing the child said it was reading (``trace(_:)``), if any.
        public var lastRead: String?

        public init(failure: String?, lastRead: String?) {
            self.failure = failure
            self.lastRead = lastRead
        }
    }

    /// Runs `format`'s isolated check of `path` in a child process and reports how it ended;
    /// throws a `ConversionError` when the child could not be run at all.
    public typealias Runner = @Sendable (_ format: String, _ path: String) throws -> Outcome

    nonisolated(unsafe) private static var runner: Runner?
    nonisolated(unsafe) private static var traceFD: Int32 = -1

    /// Installs (or removes, with nil) the runner. Call once at start-up, before any reading.
    public static func install(_ runner: Runner?) {
        Self.runner = runner
    }

    /// Whether ``verify(format:path:what:library:)`` isolates (a runner is installed).
    public static var isInstalled: Bool { runner != nil }

    /// Checks `path` in a child process when a runner is installed; returns when the file is safe
    /// for `format`'s reader in this process, throws `.malformedInput` ("shard is corrupt: libhdf5
    /// crashed reading it (SIGSEGV, …) while reading dataset instances/rle rows 0..<4096", the
    /// field set to that dataset or attribute) when the child crashed.
    ///
    /// - Parameters:
    ///   - what: the file's kind in the message ("shard").
    ///   - library: the library that crashed ("libhdf5").
    public static func verify(format: String, path: String, what: String = "file", library: String) throws {
        guard let runner else { return }
        let outcome = try runner(format, path)
        guard let failure = outcome.failure else { return }
        var field: String?
        if let last = outcome.lastRead {
            let words = last.split(separator: " ")
            if words.count >= 2, words[0] == "dataset" || words[0] == "attribute" { field = String(words[1]) }
        }
        throw ConversionError(.malformedInput,
                              "\(what) is corrupt: \(library) crashed reading it (\(failure))" + (outcome.lastRead.map { " while reading \($0)" } ?? ""),
                              context: ErrorContext(file: path, field: field),
                              hint: "it was damaged or edited after it was written; copy or convert it again from its source")
    }

    /// In the child: where ``trace(_:)`` writes (a file descriptor; the runner reads it).
    public static func startTracing(to fd: Int32) {
        traceFD = fd
    }

    /// In the child: notes what is about to be read ("dataset instances/rle rows 0..<4096"), one
    /// unbuffered line, so that the parent can name it if the child dies. Free otherwise.
    @inline(__always)
    public static func trace(_ what: @autoclosure () -> String) {
        guard traceFD >= 0 else { return }
        let line = Array(("at " + what() + "\n").utf8)
        line.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = write(traceFD, buffer.baseAddress! + offset, buffer.count - offset)
                if n <= 0 { break }
                offset += n
            }
        }
    }
}
