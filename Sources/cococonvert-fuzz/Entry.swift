import Foundation

// Two entry points over the same `FuzzTarget.run`:
// - built with `-DFUZZING -sanitize=fuzzer,address` (`./dev fuzz`): libFuzzer's
//   `LLVMFuzzerTestOneInput`; the target comes from the environment variable COCOCONVERT_FUZZ_TARGET;
// - an ordinary build: `cococonvert-fuzz TARGET PATH...` replays every file of the given files and
//   directories (recursively) through the target, so CI checks seed corpora and saved crash inputs
//   without libFuzzer. A crash is a non-zero exit; `-v` names each file before running it.

#if FUZZING

nonisolated(unsafe) private var fuzzTarget: FuzzTarget?

@_cdecl("LLVMFuzzerInitialize")
public func fuzzInitialize(_ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> Int32 {
    let name = ProcessInfo.processInfo.environment["COCOCONVERT_FUZZ_TARGET"] ?? ""
    guard let target = FuzzTarget(rawValue: name) else {
        let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")
        FileHandle.standardError.write(Data("set COCOCONVERT_FUZZ_TARGET to one of: \(names)\n".utf8))
        exit(64)
    }
    fuzzTarget = target
    _ = FuzzScratch.directory
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let target = fuzzTarget else { return 0 }
    target.run(UnsafeRawBufferPointer(start: data, count: data == nil ? 0 : size))
    return 0
}

/// libFuzzer's driver (libclang_rt.fuzzer): parses its flags and runs the loop.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<Int32>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32) -> Int32

/// SwiftPM links an executable target with `main` defined as `<module>_main`, so libFuzzer's own `main`
/// is never pulled in: this is that entry point, handing over to libFuzzer's driver.
@_cdecl("cococonvert_fuzz_main")
public func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments, fuzzTestOneInput)
}

#else

@main
enum FuzzReplay {
    static func main() {
        var arguments = Array(CommandLine.arguments.dropFirst())
        let verbose = arguments.contains("-v")
        arguments.removeAll { $0 == "-v" }
        if arguments.first == "--list" {
            for target in FuzzTarget.allCases { print("\(target.rawValue)\t\(target.summary)") }
            return
        }
        guard let name = arguments.first, let target = FuzzTarget(rawValue: name) else {
            let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: "|")
            FileHandle.standardError.write(Data("""
                usage: cococonvert-fuzz [-v] (\(names)) FILE_OR_DIRECTORY...
                       cococonvert-fuzz --list
                Replays every file through the fuzz target (built without -DFUZZING; ./dev fuzz builds the libFuzzer binary).

                """.utf8))
            exit(64)
        }
        var count = 0
        for root in arguments.dropFirst() {
            for file in files(under: root) {
                if verbose { FileHandle.standardError.write(Data("\(target.rawValue): \(file)\n".utf8)) }
                guard let data = FileManager.default.contents(atPath: file) else {
                    FileHandle.standardError.write(Data("cannot read \(file)\n".utf8))
                    exit(66)
                }
                data.withUnsafeBytes { target.run($0) }
                count += 1
            }
        }
        print("\(target.rawValue): \(count) inputs replayed, no crash")
    }

    /// `root` itself if it is a file, else every regular file below it, sorted; nothing if it does not exist.
    static func files(under root: String) -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory) else { return [] }
        guard isDirectory.boolValue else { return [root] }
        let enumerator = FileManager.default.enumerator(atPath: root)
        var found: [String] = []
        while let relative = enumerator?.nextObject() as? String {
            let path = (root as NSString).appendingPathComponent(relative)
            var sub: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &sub), !sub.boolValue { found.append(path) }
        }
        return found.sorted()
    }
}

#endif
