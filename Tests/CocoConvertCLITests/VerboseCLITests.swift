import CocoConvertCore
import Foundation
import Synchronization
import Testing
@testable import CocoConvertCLI

@Suite struct VerboseCLITests {
    private final class Lines: Sendable {
        let text = Mutex("")
        func append(_ more: String) { text.withLock { $0 += more } }
    }

    @Test func verbosePrintsTheLibraryStackBehindAnError() {
        let trace = LibraryTrace(library: "libhdf5", frames: ["H5Fopen: unable to open file", "H5FD_open: file signature not found"])
        let error = ConversionError(.library, "HDF5 could not open the shard", context: ErrorContext(file: "x.h5"), cause: trace)
        for verbose in [false, true] {
            let lines = Lines()
            Console(verbose: verbose, isTerminal: false, writeError: { lines.append($0) }, writeOutput: { _ in }).error(error)
            let text = lines.text.withLock { $0 }
            #expect(text.contains("HDF5 could not open the shard"))
            #expect(text.contains("#1 H5FD_open: file signature not found") == verbose, "\(text)")
        }
    }

    @Test func verboseIsARunOptionOfEveryRoute() {
        let run = runInProcess(["coco2png", "/nonexistent/in.json", "/nonexistent/out", "--verbose", "--labels", "nosuchpreset"])
        #expect(run.status == 64, "\(run)")
        #expect(run.stderr.contains("--labels 'nosuchpreset' is neither a preset nor a mapping file"), "\(run)")
    }
}
