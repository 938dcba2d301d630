import ArgumentParser
import CocoConvertCOCO
import CocoConvertCore
import Foundation

/// `cococonvert convert --from F --to T IN OUT`: any reader into any writer, on every core.
struct Convert: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Convert a dataset from one format to another.",
        usage: """
            cococonvert <from>2<to> <input> <output> [<options>]
            cococonvert convert --from <from> --to <to> <input> <output> [<options>]
            """,
        discussion: """
            Shorthands for the same command: coco2voc, coco:voc, 'coco->voc' (quoted).
            Quote the arrow: unquoted, the shell reads '>' as a redirection.
            Samples stream one at a time; memory stays flat however large the input.
            Outputs are written under temporary names and renamed when complete; a failed
            or interrupted (Ctrl-C) run removes the output it created.
            --on-error skip leaves bad items out and lists them as JSON lines in
            <output>.skipped.jsonl (or --skip-report PATH).
            Exit status: 0 success, 64 bad command line, 65 bad input data,
            1 other failures (output not writable, disk full).
            """)

    @Option(help: "Source format: \(FormatID.allCases.map(\.rawValue).joined(separator: ", ")).")
    var from: FormatID

    @Option(help: "Target format: \(FormatID.allCases.map(\.rawValue).joined(separator: ", ")).")
    var to: FormatID

    @Argument(help: "Input: a COCO JSON file, or a directory for png, voc, hdf5 and tfrecord.")
    var input: String

    @Argument(help: "Output: a JSON file for coco, a directory for the others.")
    var output: String

    @OptionGroup var options: ConvertOptions

    /// More threads than this is a typo, not a machine.
    static let maximumJobs = 1024

    func validate() throws {
        if let jobs = options.jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1.") }
        if let jobs = options.jobs, jobs > Self.maximumJobs {
            throw ValidationError("--jobs \(jobs) is more threads than is useful; give at most \(Self.maximumJobs).")
        }
        if let shard = options.shard, shard < 1 { throw ValidationError("--shard must be at least 1.") }
        if options.skipReport != nil && options.onError != .skip {
            throw ValidationError("--skip-report lists what --on-error skip leaves out; add --on-error skip.")
        }
        guard FormatPlugin.named(from).makeReader != nil else {
            throw ValidationError("Reading \(from.rawValue) is not supported yet; see 'cococonvert formats'.")
        }
        guard FormatPlugin.named(to).makeWriter != nil else {
            throw ValidationError("Writing \(to.rawValue) is not supported yet; see 'cococonvert formats'.")
        }
        try validatePaths()
    }

    /// Catches output paths that cannot work, before any reading starts.
    private func validatePaths() throws {
        var isDirectory: ObjCBool = false
        let outputExists = FileManager.default.fileExists(atPath: output, isDirectory: &isDirectory)
        if to == .coco {
            if outputExists && isDirectory.boolValue {
                throw ValidationError("""
                    '\(output)' is a directory; coco output is one JSON file. \
                    Name the file, e.g. \(Self.joined(output, "instances.json")).
                    """)
            }
            if Self.samePath(input, output) {
                throw ValidationError("The output '\(output)' is the input file; write to a new file.")
            }
        } else if outputExists && !isDirectory.boolValue {
            throw ValidationError("""
                '\(output)' is a file; \(to.rawValue) output is a directory. \
                Give a directory path (it is created if missing).
                """)
        }
    }

    func run() throws {
        let console = Console(quiet: options.quiet)
        let fresh = outputPaths.filter { !FileManager.default.fileExists(atPath: $0) }
        let interrupt = InterruptCleanup(
            freshPaths: fresh, files: [outputPaths[0], skipReportPath],
            directories: to == .coco ? Array(outputPaths.dropFirst()) : outputPaths,
            kept: to != .coco && fresh.isEmpty ? output : nil, console: console)
        interrupt.install()
        do {
            try convert(console: console, interrupt: interrupt)
        } catch var error as ConversionError {
            // Writers report problems with a sample by image id only; name the input they came from.
            if error.context.file == nil && error.isAboutOneItem {
                error = error.adding(ErrorContext(file: input))
            }
            console.error(error)
            if options.onError == .fail && error.isAboutOneItem && !(error.hint ?? "").contains("--on-error") {
                console.say("hint: --on-error skip leaves such items out, lists them in \(skipReportPath) and goes on")
            }
            removeOutput(created: fresh, console: console)
            throw ExitCode(exitStatus(for: error))
        } catch {
            removeOutput(created: fresh, console: console)
            throw error
        }
    }

    /// After a failure: removes what this run created, so that a failed run leaves no output. An
    /// output directory that existed before keeps what was written into it, and the user is told.
    private func removeOutput(created fresh: [String], console: Console) {
        for path in fresh { try? FileManager.default.removeItem(atPath: path) }
        var isDirectory: ObjCBool = false
        if to != .coco && fresh.isEmpty,
           FileManager.default.fileExists(atPath: output, isDirectory: &isDirectory), isDirectory.boolValue {
            console.say("note: \(output) existed before this run; files written into it before the error were kept, so it is incomplete")
        }
    }

    /// 64 for command-line problems, 1 when the output cannot be written (disk, permissions),
    /// 65 for everything about the input data.
    func exitStatus(for error: ConversionError) -> Int32 {
        if error.code == .usage { return ExitCode.validationFailure.rawValue }
        if error.code == .io || error.code == .library, let file = error.context.file, isOutputPath(file) {
            return ExitCode.failure.rawValue
        }
        return 65
    }

    /// Whether `path` is the output, inside it, a temporary file beside it, or the skip report.
    private func isOutputPath(_ path: String) -> Bool {
        let file = Self.standardized(path)
        let out = Self.standardized(output)
        if file == out || file.hasPrefix(out + "/") || file == Self.standardized(skipReportPath) { return true }
        let outURL = URL(fileURLWithPath: out)
        let fileURL = URL(fileURLWithPath: file)
        return fileURL.deletingLastPathComponent().path == outURL.deletingLastPathComponent().path
            && fileURL.lastPathComponent.hasPrefix("." + outURL.lastPathComponent)
    }

    private func convert(console: Console, interrupt: InterruptCleanup) throws {
        let skips = SkipReport(policy: options.onError)
        let started = Date()
        let outcome: Conversion.Outcome
        do {
            outcome = try pump(skips: skips, console: console)
            interrupt.disarm()
        } catch {
            try writeSkipReport(skips, completed: false)
            throw error
        }
        try writeSkipReport(skips, completed: true)
        let seconds = Date().timeIntervalSince(started)
        console.summary(outcome: outcome, seconds: seconds, route: "\(from.rawValue) → \(to.rawValue)",
                        output: output, skipped: skips.count, reportPath: skipReportPath)
    }

    /// Creates the reader and the writer and runs the pipeline; both are released on return.
    private func pump(skips: SkipReport, console: Console) throws -> Conversion.Outcome {
        guard let makeReader = FormatPlugin.named(from).makeReader,
              let makeWriter = FormatPlugin.named(to).makeWriter else {
            throw ConversionError(.usage, "cannot convert \(from.rawValue) to \(to.rawValue) yet")
        }
        let reader = try makeReader(input, options, skips)
        let writer = try makeWriter(output, options, skips)
        let progress = console.progress(label: "\(from.rawValue) → \(to.rawValue)")
        defer { progress.finish() }
        return try Conversion(jobs: options.jobs).run(reader: reader, writer: writer, skips: skips,
                                                      progress: progress.update)
    }

    /// The paths the writer creates at the top level: the output, and for COCO panoptic output the
    /// segment PNG directory beside it.
    private var outputPaths: [String] {
        let trimmed = output.count > 1 && output.hasSuffix("/") ? String(output.dropLast()) : output
        return to == .coco ? [trimmed, COCOLayout.panopticDirectory(forAnnotationFile: trimmed)] : [trimmed]
    }

    private var skipReportPath: String {
        options.skipReport ?? (output.hasSuffix("/") ? String(output.dropLast()) : output) + ".skipped.jsonl"
    }

    /// Writes the skip report when anything was skipped or `--skip-report` was given (then possibly
    /// empty). A default report left by an earlier run is removed when this run completes without
    /// skipping anything: it described an output that has just been replaced.
    private func writeSkipReport(_ skips: SkipReport, completed: Bool) throws {
        if skips.count == 0 && options.skipReport == nil {
            if completed && FileManager.default.fileExists(atPath: skipReportPath) {
                try? FileManager.default.removeItem(atPath: skipReportPath)
            }
            return
        }
        let lines = skips.jsonLines
        let text = lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n"
        try AtomicFile.write(Array(text.utf8), to: skipReportPath)
    }

    private static func standardized(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    }

    private static func samePath(_ a: String, _ b: String) -> Bool {
        standardized(a) == standardized(b)
    }

    private static func joined(_ directory: String, _ name: String) -> String {
        directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }
}

extension ConversionError {
    /// Whether the error is about one image or annotation, so that `--on-error skip` could leave it out.
    var isAboutOneItem: Bool {
        context.imageID != nil || context.annotationID != nil
    }
}

extension FormatID: ExpressibleByArgument {}
