import Foundation
import Testing
@testable import CocoConvertCLI
import CocoConvertCore

/// What one run of the `cococonvert` binary did.
struct CLIRun: CustomStringConvertible {
    var status: Int32
    var stdout: String
    var stderr: String
    var stdoutData: Data
    /// The process id, which writers put into their temporary file names.
    var pid: Int32

    var description: String { "exit \(status)\n--- stdout ---\n\(stdout)\n--- stderr ---\n\(stderr)" }
}

/// The built `cococonvert` binary could not be found next to the test bundle.
struct BinaryNotFound: Error, CustomStringConvertible {
    var searched: [String]
    var description: String {
        "the cococonvert binary was not found (searched: \(searched.joined(separator: ", "))); "
            + "build it with `swift build` or set COCOCONVERT_BIN"
    }
}

/// Locates the `cococonvert` executable the test target depends on, and shared test data.
enum CLI {
    /// The repository root (three levels up from this file).
    static let repositoryRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url
    }()

    /// `../shared` beside the checkout, or `$SHARED`.
    static let shared: URL = {
        if let path = ProcessInfo.processInfo.environment["SHARED"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        return repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared")
    }()

    /// `../shared/data/coco-real`.
    static var cocoReal: URL { shared.appendingPathComponent("data/coco-real") }

    /// `examples/coco-mini/annotations/instances_val2017.json`.
    static var cocoMini: URL {
        repositoryRoot.appendingPathComponent("examples/coco-mini/annotations/instances_val2017.json")
    }

    /// Every COCO JSON file in coco-real, relative to it.
    static let realFiles = [
        "instances/annotations/instances_val2017.json",
        "instances/annotations/instances_train2017.json",
        "stuff/annotations/stuff_train2017.json",
        "panoptic/annotations/panoptic_val2017.json",
        "panoptic/annotations/panoptic_val2017_detection_format.json",
        "results/instances_val2014_fakesegm100_results.json",
    ]

    /// The directories the binary may be in, most specific first.
    ///
    /// `swift test` on Linux runs the test executable from the build products directory
    /// (`<scratch>/<triple>/debug/cococonvertPackageTests.xctest`), which also holds `cococonvert`;
    /// on macOS the `.xctest` bundle sits in that directory. `$COCOCONVERT_BIN` overrides all of it.
    static func candidateDirectories() -> [URL] {
        var directories: [URL] = []
        if let first = CommandLine.arguments.first {
            directories.append(URL(fileURLWithPath: first).resolvingSymlinksInPath().deletingLastPathComponent())
        }
        if let executable = Bundle.main.executableURL {
            directories.append(executable.resolvingSymlinksInPath().deletingLastPathComponent())
        }
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            directories.append(bundle.bundleURL.resolvingSymlinksInPath().deletingLastPathComponent())
        }
        directories.append(repositoryRoot.appendingPathComponent(".build/debug"))
        return directories
    }

    /// The `cococonvert` executable.
    static let binary: Result<URL, BinaryNotFound> = {
        if let path = ProcessInfo.processInfo.environment["COCOCONVERT_BIN"], !path.isEmpty {
            return .success(URL(fileURLWithPath: path))
        }
        let candidates = candidateDirectories().map { $0.appendingPathComponent("cococonvert") }
        for candidate in candidates {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory), !isDirectory.boolValue,
               FileManager.default.isExecutableFile(atPath: candidate.path) {
                return .success(candidate)
            }
        }
        return .failure(BinaryNotFound(searched: candidates.map(\.path)))
    }()
}

/// Runs the built `cococonvert` with `arguments`, stdin from /dev/null, stdout and stderr captured
/// through files (no pipe can fill up), killed after `timeout` seconds.
/// `environment` adds to (or overrides) the test's own environment.
func runCococonvert(_ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:],
                    timeout: TimeInterval = 60) throws -> CLIRun {
    try RunningCococonvert(arguments, in: directory, environment: environment).finish(timeout: timeout)
}

/// A `cococonvert` process that is still running (for tests that signal it).
final class RunningCococonvert {
    let process = Process()
    private let scratch: URL
    private let outHandle: FileHandle
    private let errHandle: FileHandle

    init(_ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:]) throws {
        let binary = try CLI.binary.get()
        scratch = FileManager.default.temporaryDirectory
            .appendingPathComponent("cococonvert-cli-io-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: scratch.appendingPathComponent("stdout").path, contents: nil)
        _ = FileManager.default.createFile(atPath: scratch.appendingPathComponent("stderr").path, contents: nil)
        outHandle = try FileHandle(forWritingTo: scratch.appendingPathComponent("stdout"))
        errHandle = try FileHandle(forWritingTo: scratch.appendingPathComponent("stderr"))
        process.executableURL = binary
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = outHandle
        process.standardError = errHandle
        try process.run()
    }

    deinit {
        if process.isRunning { process.terminate() }
        try? FileManager.default.removeItem(at: scratch)
    }

    var pid: Int32 { process.processIdentifier }

    /// Sends `signal` to the process.
    func send(_ signal: Int32) {
        kill(process.processIdentifier, signal)
    }

    /// How much longer runs may take than in an ordinary build: `COCOCONVERT_TEST_TIMEOUT_SCALE`
    /// (`./dev tsan` sets it; ThreadSanitizer makes the binary 5–15 times slower), else 1.
    static let timeoutScale: Double = {
        let text = ProcessInfo.processInfo.environment["COCOCONVERT_TEST_TIMEOUT_SCALE"] ?? ""
        return Double(text).map { max($0, 1) } ?? 1
    }()

    /// Waits for the exit (killing the process after `timeout` × ``timeoutScale`` seconds) and
    /// collects the output.
    func finish(timeout: TimeInterval = 60) throws -> CLIRun {
        let watchdog = DispatchWorkItem { [process] in if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout * Self.timeoutScale, execute: watchdog)
        process.waitUntilExit()
        watchdog.cancel()
        try outHandle.close()
        try errHandle.close()
        let stdoutData = try Data(contentsOf: scratch.appendingPathComponent("stdout"))
        let stderrData = try Data(contentsOf: scratch.appendingPathComponent("stderr"))
        let status = process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
        return CLIRun(status: status, stdout: String(decoding: stdoutData, as: UTF8.self),
                      stderr: String(decoding: stderrData, as: UTF8.self), stdoutData: stdoutData,
                      pid: process.processIdentifier)
    }
}

/// A fresh directory for one test, removed afterwards.
func withTemporaryDirectory<T>(_ body: (URL) throws -> T) throws -> T {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("cococonvert-cli-\(UUID().uuidString)")
        .resolvingSymlinksInPath()
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: url) }
    return try body(url)
}

/// Writes `text` to `directory/name` and returns the file's URL.
@discardableResult
func write(_ text: String, to directory: URL, as name: String) throws -> URL {
    let url = directory.appendingPathComponent(name)
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(text.utf8).write(to: url)
    return url
}

/// Every file and directory under `root`, as paths relative to it, sorted (hidden files included).
func tree(_ root: URL) -> [String] {
    guard let enumerator = FileManager.default.enumerator(atPath: root.path) else { return [] }
    var paths: [String] = []
    while let next = enumerator.nextObject() as? String { paths.append(next) }
    return paths.sorted()
}

/// Files under `root` that look like a run's unfinished temporary files: hidden, and named with the
/// run's process id (`.out.json.tmp-PID-0`, `.x.h5.partial-PID-0`) or ending in `.tmp`.
func temporaryFiles(under root: URL, of run: CLIRun) -> [String] {
    tree(root).filter { path in
        let name = (path as NSString).lastPathComponent
        return name.hasPrefix(".") && (containsToken(String(run.pid), in: name) || name.hasSuffix(".tmp"))
    }
}

/// Whether `token` (digits) occurs in `name` with no digit right before or after it.
func containsToken(_ token: String, in name: String) -> Bool {
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

/// A file parsed with Foundation, as a dictionary or an array.
func foundationJSON(_ url: URL) throws -> Any {
    try JSONSerialization.jsonObject(with: Data(contentsOf: url))
}

/// Byte offset of the `occurrence`-th `marker` in `url`'s bytes.
func byteOffset(of marker: String, occurrence: Int = 0, in url: URL) throws -> Int {
    let bytes = try [UInt8](Data(contentsOf: url))
    let needle = Array(marker.utf8)
    var found = 0
    var i = 0
    while i + needle.count <= bytes.count {
        if bytes[i] == needle[0] && Array(bytes[i..<i + needle.count]) == needle {
            if found == occurrence { return i }
            found += 1
        }
        i += 1
    }
    throw MarkerNotFound(marker: marker)
}

/// A test points at text that is not in its own fixture (the test is wrong).
struct MarkerNotFound: Error {
    var marker: String
}

/// A format name as the tests use it. ``allCases`` is every format in the registry, so a test
/// parameterised over it covers a new format without listing it; the named ones are for tests
/// about one format's behaviour.
struct FormatID: Hashable, Sendable, CustomStringConvertible {
    let rawValue: String

    init(_ name: String) { rawValue = name }

    static let coco = FormatID("coco")
    static let png = FormatID("png")
    static let voc = FormatID("voc")
    static let hdf5 = FormatID("hdf5")
    static let tfrecord = FormatID("tfrecord")
    static let webdataset = FormatID("webdataset")

    /// Every format the binary ships.
    static var allCases: [FormatID] { FormatRegistry.standard.plugins.map { FormatID($0.name) } }

    /// The registry's plugin (a test naming an unknown format fails here).
    var plugin: FormatPlugin {
        guard let plugin = FormatRegistry.standard.plugin(named: rawValue) else {
            preconditionFailure("\(rawValue) is not in the registry")
        }
        return plugin
    }

    var description: String { rawValue }

    /// Whether the writer's output is one file rather than a directory.
    var writesFile: Bool { plugin.writer?.output != .directory }
}

/// Whether this build can write `format`; a format without a writer is a failed test where one is needed.
func canWrite(_ format: FormatID) -> Bool { format.plugin.writer != nil }

/// Whether this build can read `format`.
func canRead(_ format: FormatID) -> Bool { format.plugin.reader != nil }
