import CocoConvertCore
import Dispatch
import Foundation

/// Ctrl-C or `kill` during a conversion: removes what the run had not finished, then exits.
///
/// Writers keep unfinished files under hidden temporary names that carry the process id
/// (`.out.json.tmp-PID-0`, `.labels.png.PID.tmp`, `.val2017-0.h5.partial-PID`); they delete them
/// when released, which an interrupted process never gets to. This removes them instead, and
/// removes the output entirely when this run created it.
final class InterruptCleanup: @unchecked Sendable {
    private let freshPaths: [String]
    /// What the user is told after the cleanup.
    private let message: String
    private let searchDirectories: [(path: String, recursive: Bool)]
    private let console: Console
    private var sources: [any DispatchSourceSignal] = []
    private var watched: [Int32] = []

    /// - Parameters:
    ///   - freshPaths: output paths that did not exist before the run (removed whole).
    ///   - files: output files; their directories are searched for temporary files (not recursively).
    ///   - directories: output directories, searched recursively.
    ///   - kept: an output directory that existed before the run (what was written into it stays).
    init(freshPaths: [String], files: [String], directories: [String], kept: String?, console: Console) {
        self.freshPaths = freshPaths
        self.message = kept.map { "temporary files removed; the files already written to \($0) were kept" }
            ?? "the unfinished output was removed"
        let parents = files.map(PathText.parent(of:))
        self.searchDirectories = parents.map { ($0, false) } + directories.map { ($0, true) }
        self.console = console
    }

    /// Starts watching SIGINT, SIGTERM and SIGHUP. A signal that is already ignored (`nohup`) stays
    /// ignored.
    func install() {
        for signalNumber in [SIGINT, SIGTERM, SIGHUP] {
            let previous = signal(signalNumber, SIG_IGN)
            if unsafeBitCast(previous, to: Int.self) == unsafeBitCast(SIG_IGN, to: Int.self) { continue }
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { [self] in
                self.cleanUp()
                console.say((console.isTerminal ? "\n" : "") + "interrupted; " + message)
                _exit(128 + signalNumber)
            }
            source.resume()
            sources.append(source)
            watched.append(signalNumber)
        }
    }

    /// Stops watching: the output is complete, an interruption from now on must not remove it.
    func disarm() {
        for source in sources { source.cancel() }
        sources.removeAll()
        for signalNumber in watched { signal(signalNumber, SIG_DFL) }
        watched.removeAll()
    }

    /// Removes the fresh outputs and every temporary file of this process under the outputs.
    ///
    /// Worker threads keep writing meanwhile, so a removal can race with a file being renamed in;
    /// it is repeated until the fresh outputs stay gone (for at most about a tenth of a second).
    func cleanUp() {
        for _ in 0..<20 {
            removeOnce()
            if !freshPaths.contains(where: { FileManager.default.fileExists(atPath: $0) }) { break }
            usleep(5_000)
        }
    }

    private func removeOnce() {
        let fileManager = FileManager.default
        for path in freshPaths { try? fileManager.removeItem(atPath: path) }
        let pid = String(getpid())
        for (directory, recursive) in searchDirectories {
            for relative in Self.entries(of: directory, recursive: recursive) {
                let name = (relative as NSString).lastPathComponent
                if name.hasPrefix("."), Self.containsToken(pid, in: name) {
                    try? fileManager.removeItem(atPath: (directory as NSString).appendingPathComponent(relative))
                }
            }
        }
    }

    private static func entries(of directory: String, recursive: Bool) -> [String] {
        if recursive {
            guard let enumerator = FileManager.default.enumerator(atPath: directory) else { return [] }
            var paths: [String] = []
            while let next = enumerator.nextObject() as? String { paths.append(next) }
            return paths
        }
        return (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
    }

    /// Whether `token` (digits) occurs in `name` with no digit right before or after it.
    static func containsToken(_ token: String, in name: String) -> Bool {
        let bytes = Array(name.utf8)
        let needle = Array(token.utf8)
        guard !needle.isEmpty, bytes.count >= needle.count else { return false }
        func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
        for start in 0...(bytes.count - needle.count) where bytes[start..<start + needle.count].elementsEqual(needle) {
            let before = start > 0 ? bytes[start - 1] : 0
            let afterIndex = start + needle.count
            let after = afterIndex < bytes.count ? bytes[afterIndex] : 0
            if !isDigit(before) && !isDigit(after) { return true }
        }
        return false
    }
}
