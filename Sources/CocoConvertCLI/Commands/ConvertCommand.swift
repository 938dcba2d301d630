import CocoConvertCore
import Foundation

/// One conversion from the command line: checks everything the command line can get wrong before
/// reading any input, then streams the reader into the writer on every core.
///
/// Knows formats only through the registry: no format is named here.
struct ConvertCommand {
    let registry: FormatRegistry
    let console: Console
    /// Install Ctrl-C / SIGTERM cleanup (off for in-process runs in tests).
    var handlesSignals = true

    /// Runs `convert` with `arguments` (without the word `convert`) and returns the exit status.
    func run(_ arguments: [String]) -> Int32 {
        guard let parsed = usageChecked(console, { try ConvertArguments.parse(arguments, registry: registry) }) else {
            return ExitStatus.usage
        }
        if parsed.wantsHelp {
            console.out(RouteHelp.text(from: parsed.from, to: parsed.to, registry: registry))
            return 0
        }
        guard let from = parsed.from, let to = parsed.to else { return ExitStatus.usage }
        let verbose = parsed.values.flag("verbose")
        let quiet = parsed.values.flag("quiet")
        let progressMode = (try? parsed.values.choice("progress", as: ProgressMode.self)) ?? .auto
        let console = Console(quiet: quiet, verbose: verbose, progressMode: progressMode, base: self.console)

        // Everything the command line can get wrong, before the input is opened.
        guard let plan = usageChecked(console, { try ConversionPlan(from: from, to: to, arguments: parsed) }) else {
            return ExitStatus.usage
        }
        return plan.execute(console: console, registry: registry, handlesSignals: handlesSignals)
    }

    /// The value `body` makes, or nil after reporting its (usage) error.
    private func usageChecked<T>(_ console: Console, _ body: () throws -> T) -> T? {
        do {
            return try body()
        } catch let error as ConversionError {
            console.error(error)
        } catch {
            console.say("error: \(error)")
        }
        return nil
    }
}

/// A checked conversion: formats, paths and the configured reader and writer factories.
struct ConversionPlan {
    let from: FormatPlugin
    let to: FormatPlugin
    /// The first input (messages name it when there is one).
    let input: String
    /// Every input; several are read as one dataset (``MergedDatasetReader``).
    let inputs: [String]
    let output: String
    let values: OptionValues
    let jobs: Int?
    let onError: ErrorPolicy
    let skipReportPath: String
    let explicitSkipReport: Bool
    let open: ReaderPlugin.Open
    let create: WriterPlugin.Create
    /// The top-level paths the writer creates.
    let outputPaths: [String]
    let outputIsFile: Bool
    /// The partition this run converts (`--partitions`, or an array job's variables); nil: all.
    let partitioning: PartitionChoice?
    let resume: Bool
    /// What the run may do to an output that already holds files (`--overwrite`, `--add`).
    let outputMode: OutputMode
    /// The part of the input converted (`--limit`, `--image-ids`, `--categories`, `--sample`).
    let subset: Subset
    /// `--dry-run`: read and check, write nothing.
    let dryRun: Bool

    init(from: FormatPlugin, to: FormatPlugin, arguments: ConvertArguments) throws {
        guard let reader = from.reader else {
            throw ConversionError(.usage, "\(from.name) cannot be read yet", hint: "see 'cococonvert formats'")
        }
        guard let writer = to.writer else {
            throw ConversionError(.usage, "\(to.name) cannot be written yet", hint: "see 'cococonvert formats'")
        }
        let route = "\(from.name)2\(to.name)"
        guard arguments.paths.count >= 2 else {
            throw ConversionError(.usage, "\(route) needs an input and an output path (\(arguments.paths.count) given)",
                                  hint: "cococonvert \(route) <input> <output>; several inputs are merged into one dataset: <input> <input>... <output>")
        }
        self.from = from
        self.to = to
        inputs = Array(arguments.paths.dropLast())
        input = inputs[0]
        let given = arguments.paths[arguments.paths.count - 1]
        output = given.count > 1 && given.hasSuffix("/") ? String(given.dropLast()) : given
        values = arguments.values
        jobs = try values.int("jobs", in: 1...CommonOptions.maximumJobs)
        if let maxPixels = try values.int("max-pixels", in: 1...Int(UInt32.max)) {
            Limits.configure(Limits(maxPixels: maxPixels))
        }
        onError = try values.choice("on-error", as: ErrorPolicy.self) ?? .fail
        explicitSkipReport = values.has("skip-report")
        if explicitSkipReport && onError != .skip {
            throw ConversionError(.usage, "--skip-report lists what --on-error skip leaves out", hint: "add --on-error skip")
        }
        partitioning = try Self.partitionChoice(values)
        resume = values.flag("resume")
        skipReportPath = values.string("skip-report")
            ?? output + (partitioning.map { "." + $0.partition.fileStem } ?? "") + ".skipped.jsonl"
        outputIsFile = writer.output != .directory
        outputPaths = writer.createdPaths(output)
        try MergedInputs.check(inputs, output: output, route: route)
        subset = try SubsetOptions.subset(values)
        outputMode = try Self.outputMode(OutputOptions.mode(values), values: values,
                                         partitioned: partitioning != nil || resume, subset: subset)
        dryRun = values.flag("dry-run")
        if inputs.count > 1 && (partitioning != nil || resume) {
            throw ConversionError(.usage, "--partitions and --resume take one input, not \(inputs.count)",
                                  hint: "merge the inputs in one plain run, or convert each input on its own")
        }
        // Before anything is read (and under --dry-run too): the writer must split its output.
        if (partitioning != nil || resume) && writer.partitionUnit == nil { throw Self.notPartitionable(to.name) }
        // A one-file output of partitions or checkpoints is written by their merge, replacing it atomically.
        let checkedMode = outputIsFile && (partitioning != nil || resume) ? OutputMode.overwrite : outputMode
        for input in inputs {
            try Self.checkPaths(input: input, output: output, writer: writer, format: to.name)
            try OutputSafety.check(input: input, output: output, isFile: outputIsFile, mode: checkedMode, route: route)
        }
        if partitioning != nil || resume {
            try OutputSafety.checkPartitioned(output: output, isFile: outputIsFile, owned: writer.ownedFiles, how: partitioning != nil ? "--partitions" : "--resume")
        }
        // The formats check their own options (and their combinations) here, before any input is read.
        open = try reader.configure(values)
        create = try writer.configure(values)
    }

    /// Output paths that cannot work, found before any reading starts.
    private static func checkPaths(input: String, output: String, writer: WriterPlugin, format: String) throws {
        let probe = InputProbe(path: output)
        switch writer.output {
        case .file(let example):
            if probe.isDirectory {
                throw ConversionError(.usage, "'\(output)' is a directory; \(format) output is one file",
                                      hint: "name the file, e.g. \((output as NSString).appendingPathComponent(example))")
            }
            if standardized(input) == standardized(output) {
                throw ConversionError(.usage, "the output '\(output)' is the input file", hint: "write to a new file")
            }
        case .directory:
            if probe.exists && !probe.isDirectory {
                throw ConversionError(.usage, "'\(output)' is a file; \(format) output is a directory",
                                      hint: "give a directory path (it is created if missing)")
            }
        }
    }

    static func standardized(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    }

    /// Runs the conversion; reports errors and the summary on `console`; returns the exit status.
    func execute(console: Console, registry: FormatRegistry, handlesSignals: Bool) -> Int32 {
        announceEnginePartition(console: console)
        if dryRun { return preview(console: console, registry: registry) }
        if let record = finishedEarlier() {
            console.say("partition \(record.partition) already finished with this input and options (--resume): nothing to do")
            return ExitStatus.success
        }
        // Partitions share the output: none removes it, whoever created it.
        let fresh = partitioning != nil || resume ? [] : outputPaths.filter { !FileManager.default.fileExists(atPath: $0) }
        let interrupt = InterruptCleanup(freshPaths: fresh, kept: !outputIsFile && fresh.isEmpty ? output : nil,
                                         console: console)
        if handlesSignals { interrupt.install() }
        defer { interrupt.disarm() }
        // One writer per output: a second run into the same output stops here, before writing anything.
        let lock: OutputLock
        do {
            if !outputIsFile {
                // Partitions and checkpoints mark the output as theirs first (see OutputSafety.checkPartitioned).
                let first = partitioning != nil || resume ? PartitionContext.partsDirectory(output: output, outputIsFile: false) : output
                try FileManager.default.createDirectory(atPath: first, withIntermediateDirectories: true)
            } else if !InputProbe.isDirectory(PathText.parent(of: output)) {
                throw ConversionError(.io, "the directory of the output file does not exist", context: ErrorContext(file: output),
                                      hint: "create \(PathText.parent(of: output)) first, or write the file elsewhere")
            }
            lock = try OutputLock(path: lockPath)
        } catch {
            let conversionError = error as? ConversionError ?? ConversionError(.io, "\(error)", context: ErrorContext(file: output))
            console.error(conversionError)
            if !outputIsFile && fresh.contains(output) { try? FileManager.default.removeItem(atPath: output) }
            return ExitStatus.failure
        }
        defer { lock.release() }
        // Temporary files of earlier runs that were killed (the lock says none is running now).
        let stale = fresh.contains(output) || partitioning != nil ? []
            : outputIsFile ? TemporaryFiles.removeStale(under: PathText.parent(of: output), recursive: false, only: PathText.lastComponent(of: output))
            : TemporaryFiles.removeStale(under: output, recursive: true)
        if !stale.isEmpty {
            console.say("note: removed \(stale.count) temporary file\(stale.count == 1 ? "" : "s") an earlier, interrupted run left in \(output)")
        }
        // An output that held files: the ledger knows what this run adds, so a failure removes it.
        // A directory beside a file output that exists already is only added to in the default mode.
        let besideExists = outputPaths.dropFirst().contains { !fresh.contains($0) }
        if !fresh.contains(output) || besideExists {
            OutputLedger.start(mode: outputMode == .fresh && besideExists ? .add(replacing: false) : outputMode, protected: inputs)
        }
        defer { OutputLedger.stop() }
        let skips = SkipReport(policy: onError)
        let started = Date()
        do {
            var (outcome, header) = try convert(skips: skips, console: console, registry: registry, cancellation: interrupt.cancellation)
            // A signal during the run: the pipeline has stopped; clean up and exit 128 + signal.
            if let status = interrupt.finishRun() { return status }
            try writeSkipReport(skips, completed: true)
            try recordPartition(outcome, reader: header, console: console)
            outcome.summary.notes += existingOutputNotes()
            console.summary(outcome: outcome, seconds: Date().timeIntervalSince(started), route: "\(from.name) → \(to.name)",
                            output: output, skipped: skips.count, reportPath: skipReportPath)
            return ExitStatus.success
        } catch var error as ConversionError {
            if let status = interrupt.finishRun() { return status }
            // A usage error found late (a mapping the target cannot hold) is about the command, not items.
            if error.code != .usage { try? writeSkipReport(skips, completed: false) }
            // Writers report problems with a sample by image id only; name the input they came from.
            if error.context.file == nil && error.isAboutOneItem {
                error = error.adding(ErrorContext(file: input))
            }
            console.error(error)
            if onError == .fail && error.isAboutOneItem && !(error.hint ?? "").contains("--on-error") {
                console.say("hint: --on-error skip leaves such items out, lists them in \(skipReportPath) and goes on")
            }
            removeOutput(created: fresh, console: console)
            return exitStatus(for: error)
        } catch {
            if let status = interrupt.finishRun() { return status }
            try? writeSkipReport(skips, completed: false)
            console.say("error: \(error)")
            removeOutput(created: fresh, console: console)
            return ExitStatus.failure
        }
    }

    /// Opens the input (explaining what it looks like when it is not this reader's), creates the
    /// writer and runs the pipeline; both are released on return.
    private func convert(skips: SkipReport, console: Console, registry: FormatRegistry,
                         cancellation: Cancellation) throws -> (Conversion.Outcome, DatasetHeader) {
        if resume && partitioning == nil {
            let progress = console.progress(label: "\(from.name) → \(to.name)", total: nil)
            var completed = false
            defer { progress.finish(completed: completed) }
            let result = try convertInCheckpoints(reader: try open(input, skips), skips: skips, console: console,
                                                  cancellation: cancellation, progress: progress)
            completed = true
            return result
        }
        let reader: any DatasetReader
        do {
            reader = try partitioned(try MergedInputs.open(inputs, skips: skips, with: open), skips: skips)
        } catch let error as ConversionError where error.code != .usage {
            throw explainWrongReader(error, registry: registry)
        }
        let subsetReader = subset.isEverything ? nil : try SubsetReader(reader, subset: subset)
        let counted = FactCountingReader(subsetReader ?? reader)
        let writer = try create(output, skips)
        let progress = console.progress(label: "\(from.name) → \(to.name)", total: counted.header.sampleCount)
        var completed = false
        defer { progress.finish(completed: completed) }
        var outcome = try Conversion(jobs: jobs, cancellation: cancellation)
            .run(reader: counted, writer: writer, skips: skips, progress: progress.update)
        completed = true
        if let merged = reader as? MergedDatasetReader { outcome.summary.notes.insert(merged.summary, at: 0) }
        if let subsetReader { outcome.summary.notes.append(subsetReader.summary) }
        outcome.summary.notes += lossLines(header: counted.header, facts: counted.facts)
        return (outcome, counted.header)
    }

    /// When the input could not be opened and looks like another format, says so.
    func explainWrongReader(_ error: ConversionError, registry: FormatRegistry) -> ConversionError {
        let probe = InputProbe(path: input)
        guard probe.exists else { return error }
        let detected = registry.detect(probe)
        guard let best = detected.first, best.plugin.name != from.name, best.detection.confidence >= 40,
              !detected.contains(where: { $0.plugin.name == from.name && $0.detection.confidence >= best.detection.confidence })
        else { return error }
        var explained = error
        let suggestion = "this looks like \(best.detection.description); try \(best.plugin.name)2\(to.name)"
        explained.hint = explained.hint.map { $0 + "; " + suggestion } ?? suggestion
        return explained
    }

    /// After a failure: removes what this run created, so that a failed run leaves no output. An
    /// output directory that existed before keeps what was written into it, and the user is told.
    private func removeOutput(created fresh: [String], console: Console) {
        for path in fresh { try? FileManager.default.removeItem(atPath: path) }
        let added = OutputLedger.removeCreated()
        let replaced = OutputLedger.tally.replaced
        if !outputIsFile && fresh.isEmpty && InputProbe.isDirectory(output) {
            console.say("note: \(output) existed before this run: the \(Console.count(added.count, "file")) it added were removed"
                        + (replaced > 0 ? "; \(Console.count(replaced, "file")) it replaced keep their new content" : ""))
        }
    }

    /// 64 for command-line problems, 1 when the output cannot be written (disk, permissions),
    /// 65 for everything about the input data.
    func exitStatus(for error: ConversionError) -> Int32 {
        if error.code == .usage { return ExitStatus.usage }
        if error.code == .io || error.code == .library, let file = error.context.file, isOutputPath(file) {
            return ExitStatus.failure
        }
        return ExitStatus.data
    }

    /// Whether `path` is the output, inside it, a temporary file beside it, or the skip report.
    private func isOutputPath(_ path: String) -> Bool {
        // A link inside the output resolves elsewhere, yet the problem is the output's.
        if path == output || path.hasPrefix(output + "/") { return true }
        let file = Self.standardized(path)
        let out = Self.standardized(output)
        if file == out || file.hasPrefix(out + "/") || file == Self.standardized(skipReportPath) { return true }
        let outURL = URL(fileURLWithPath: out)
        let fileURL = URL(fileURLWithPath: file)
        return fileURL.deletingLastPathComponent().path == outURL.deletingLastPathComponent().path
            && fileURL.lastPathComponent.hasPrefix("." + outURL.lastPathComponent)
    }

    /// Writes the skip report when anything was skipped or `--skip-report` was given (then possibly
    /// empty). A default report left by an earlier run is removed when this run completes without
    /// skipping anything: it described an output that has just been replaced.
    private func writeSkipReport(_ skips: SkipReport, completed: Bool) throws {
        if skips.count == 0 && !explicitSkipReport {
            if completed && FileManager.default.fileExists(atPath: skipReportPath) {
                try? FileManager.default.removeItem(atPath: skipReportPath)
            }
            return
        }
        let lines = skips.jsonLines
        let text = lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n"
        try AtomicFile.write(Array(text.utf8), to: skipReportPath)
    }
}

extension ConversionError {
    /// Whether the error is about one image or annotation, so that `--on-error skip` could leave it out.
    var isAboutOneItem: Bool {
        context.imageID != nil || context.annotationID != nil
    }
}
