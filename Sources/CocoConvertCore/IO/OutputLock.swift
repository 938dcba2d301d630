#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Keeps two runs from writing one output at the same time.
///
/// A run holds `OUT/.cococonvert.lock` (a directory output) or `.<name>.cococonvert.lock` beside a
/// file output, created with `O_EXCL` and holding the owner's pid, host and start time. A second
/// run finds it and stops with a message naming the owner. A lock left by a run that was killed
/// (same host, pid no longer alive) is stale and taken over. The lock is registered as a temporary
/// file, so interrupt cleanup removes it with the rest.
public final class OutputLock {
    public let path: String

    /// The lock path for an output: inside a directory output, beside a file output.
    public static func path(forOutput output: String, isDirectory: Bool) -> String {
        isDirectory ? PathText.join(output, ".cococonvert.lock")
            : PathText.join(PathText.parent(of: output), "." + PathText.lastComponent(of: output) + ".cococonvert.lock")
    }

    /// Takes the lock at `path` (its directory must exist).
    /// - Throws: `ConversionError` (.io) naming the run that holds it.
    public init(path: String) throws {
        self.path = path
        let host = ProcessInfo.processInfo.hostName
        let text = "pid \(getpid())\nhost \(host)\nstarted \(ISO8601DateFormatter().string(from: Date()))\n"
        for _ in 0..<3 {
            let created = try TemporaryFiles.create(path) {
                let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
                guard fd >= 0 else { return false }
                _ = text.withCString { write(fd, $0, strlen($0)) }
                close(fd)
                return true
            }
            if created { return }
            guard errno == EEXIST else {
                throw ConversionError(.io, "cannot create the output lock: \(String(cString: strerror(errno)))",
                                      context: ErrorContext(file: path), hint: "check that the output directory is writable")
            }
            let owner = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
            let fields = Dictionary(owner.split(separator: "\n").compactMap { line -> (String, String)? in
                let parts = line.split(separator: " ", maxSplits: 1)
                return parts.count == 2 ? (String(parts[0]), String(parts[1])) : nil
            }, uniquingKeysWith: { first, _ in first })
            let ownerPID = fields["pid"].flatMap { Int32($0) }
            if fields["host"] == host, let ownerPID, ownerPID != getpid(), kill(ownerPID, 0) != 0, errno == ESRCH {
                unlink(path)  // stale: its run is gone
                continue
            }
            throw ConversionError(.io, "another cococonvert run is writing this output (\(fields["pid"].map { "pid \($0)" } ?? "pid unknown")"
                                  + (fields["host"].map { " on \($0)" } ?? "") + (fields["started"].map { ", started \($0)" } ?? "") + ")",
                                  context: ErrorContext(file: path),
                                  hint: "wait for it to finish or choose another output; if no run is using it, delete \(path)")
        }
        throw ConversionError(.io, "cannot take the output lock", context: ErrorContext(file: path))
    }

    /// Gives the lock up (the file is removed).
    public func release() {
        TemporaryFiles.remove(path)
    }

    deinit { release() }
}
