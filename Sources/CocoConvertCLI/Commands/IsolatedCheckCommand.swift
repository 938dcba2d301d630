import CocoConvertCore
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The child side and the parent side of ``IsolatedCheck``: the executable re-runs itself with a
/// hidden first argument to check one input file with a format's ``ReaderPlugin/isolatedCheck``.
///
/// Protocol (internal, may change with any build): `cococonvert <word> <format> <path>`; the child
/// writes `at <what>` lines (``IsolatedCheck/trace(_:)``) and, when the check threw, one
/// `error <message>` line, on its standard output; it exits 0 when every read completed or
/// stopped with an error the reader throws cleanly too, and 70 when it could not run the check.
/// A child killed by a signal (or exiting otherwise) means the file crashes the library.
enum IsolatedCheckCommand {
    /// The hidden first argument (not a format name, not a subcommand; not in `--help`).
    static let word = "__isolated-check"
    /// How long the child may go without reporting progress (one read) before it is stopped.
    static let silenceLimit: Double = 30

    /// Child side: runs the check and returns the exit status.
    static func runChild(_ arguments: [String], registry: FormatRegistry) -> Int32 {
        guard arguments.count == 2, let check = registry.plugin(named: arguments[0])?.reader?.isolatedCheck else {
            FileHandle.standardError.write(Data("error: \(word) takes a format with an isolated check and a path\n".utf8))
            return 70
        }
        IsolatedCheck.startTracing(to: STDOUT_FILENO)
        do {
            try check(arguments[1])
        } catch let error as ConversionError {
            // The reader in the parent meets the same error at the same read: it reports it in full.
            IsolatedCheck.trace("done")
            FileHandle.standardOutput.write(Data("error \(error.message.replacingOccurrences(of: "\n", with: " "))\n".utf8))
            return 0
        } catch {
            FileHandle.standardOutput.write(Data("error \(error)\n".utf8))
            return 0
        }
        return 0
    }

    /// Parent side: the runner the executable installs (``IsolatedCheck/install(_:)``).
    static func install() {
        guard let executable = executablePath() else { return }
        IsolatedCheck.install { format, path in try check(executable: executable, format: format, path: path) }
    }

    /// This process's executable (what the child runs).
    static func executablePath() -> String? {
        #if os(Linux)
        if let resolved = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            return resolved
        }
        #endif
        return Bundle.main.executablePath ?? CommandLine.arguments.first.map { URL(fileURLWithPath: $0).resolvingSymlinksInPath().path }
    }

    /// Runs the child on `path` and turns a crash into a `ConversionError` naming the file and, when
    /// the child said what it was reading, the dataset or attribute.
    static func check(executable: String, format: String, path: String) throws -> IsolatedCheck.Outcome {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else {
            throw ConversionError(.io, "cannot check the file in a separate process: pipe: \(String(cString: strerror(errno)))",
                                  context: ErrorContext(file: path))
        }
        let readEnd = fds[0], writeEnd = fds[1]
        _ = fcntl(readEnd, F_SETFD, FD_CLOEXEC)
        _ = fcntl(writeEnd, F_SETFD, FD_CLOEXEC)

        #if os(Linux)
        var actions = posix_spawn_file_actions_t()
        #else
        var actions: posix_spawn_file_actions_t?
        #endif
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, writeEnd, STDOUT_FILENO)
        posix_spawn_file_actions_adddup2(&actions, writeEnd, STDERR_FILENO)

        let argv = [executable, word, format, path]
        var cArgs: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        defer { for p in cArgs { free(p) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, nil, &cArgs, environ)
        close(writeEnd)
        guard spawned == 0 else {
            close(readEnd)
            throw ConversionError(.io, "cannot check the file in a separate process: posix_spawn \(executable): \(String(cString: strerror(spawned)))",
                                  context: ErrorContext(file: path))
        }
        // Read everything the child says (until it exits), then collect its status.
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        var hung = false
        while true {
            // A child that says nothing for `silenceLimit` is stuck (libhdf5 can loop forever on a
            // damaged heap): it is killed and the file counts as corrupt.
            var descriptor = pollfd(fd: readEnd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, Int32(silenceLimit * 1000))
            if ready == 0 {
                hung = true
                kill(pid, SIGKILL)
                break
            }
            if ready < 0 {
                if errno == EINTR { continue }
                break
            }
            let n = buffer.withUnsafeMutableBytes { read(readEnd, $0.baseAddress, $0.count) }
            if n > 0 {
                output += buffer[0..<n]
                // Keep only the tail: the last lines are the ones that matter.
                if output.count > 1 << 20 { output.removeFirst(output.count - (1 << 16)) }
            } else if n < 0 && errno == EINTR {
                continue
            } else {
                break
            }
        }
        close(readEnd)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else {
                throw ConversionError(.io, "cannot check the file in a separate process: waitpid: \(String(cString: strerror(errno)))",
                                      context: ErrorContext(file: path))
            }
        }
        let lines = String(decoding: output, as: UTF8.self).split(separator: "\n").map(String.init)
        let signal = status & 0x7F
        let code = (status >> 8) & 0xFF
        if signal == 0 && code == 70 {
            let said = lines.last.map { ": " + $0 } ?? ""
            throw ConversionError(.io, "cannot check the file in a separate process (exit 70)\(said)", context: ErrorContext(file: path))
        }
        let last = lines.last(where: { $0.hasPrefix("at ") }).map { String($0.dropFirst(3)) }
        let failure: String? = hung ? "it made no progress for \(Int(silenceLimit)) s and was stopped"
            : signal != 0 ? signalName(signal) : code != 0 ? "exit status \(code)" : nil
        return IsolatedCheck.Outcome(failure: failure, lastRead: failure == nil ? nil : last)
    }

    private static func signalName(_ signal: Int32) -> String {
        switch signal {
        case SIGSEGV: return "SIGSEGV, a segmentation fault"
        case SIGABRT: return "SIGABRT, an abort"
        case SIGBUS: return "SIGBUS"
        case SIGFPE: return "SIGFPE"
        case SIGILL: return "SIGILL"
        case SIGKILL: return "SIGKILL"
        default: return "signal \(signal)"
        }
    }
}
