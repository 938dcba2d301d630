import CocoConvertCore
import Foundation
import Synchronization
@testable import CocoConvertCLI

/// Text a run printed, collected from any thread.
private final class Captured: Sendable {
    let text = Mutex("")
    func append(_ more: String) { text.withLock { $0 += more } }
    var value: String { text.withLock { $0 } }
}

/// Runs a command line inside the test process with `registry`, so that formats only the tests
/// have (the toy) are converted exactly as the shipped ones. No signal handlers are installed.
func runInProcess(_ arguments: [String], registry: FormatRegistry = .withTestFormats) -> CLIRun {
    let out = Captured(), err = Captured()
    let console = Console(isTerminal: false, writeError: { err.append($0) }, writeOutput: { out.append($0) })
    let status = CococonvertCommand.run(arguments: arguments, registry: registry, console: console, handlesSignals: false)
    return CLIRun(status: status, stdout: out.value, stderr: err.value, stdoutData: Data(out.value.utf8), pid: getpid())
}
