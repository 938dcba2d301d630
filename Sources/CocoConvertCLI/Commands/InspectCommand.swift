import ArgumentParser
import CocoConvertCore
import Foundation

/// `cococonvert inspect IN`: what a dataset holds and what is wrong with it, for every readable format.
struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show what a dataset holds (any readable format) and the problems in it.",
        discussion: """
            The format is detected (a JSON's keys, a directory's layout, a file's signature); --from names it.
            COCO files are indexed without parsing every record (fast); --deep parses and checks every record
            as a conversion would (types, RLE sums, mask sizes) and checks that the image files exist.
            HDF5 shards show their layout. Other formats are read sample by sample and counted.
            Exit status: 0 no problems, 65 problems found or unreadable input, 64 bad command line.
            """)

    @Argument(help: "A dataset: a COCO JSON file, a PNG label directory, a VOC tree, HDF5 shards, TFRecord files…")
    var input: String

    @Option(name: .customLong("from"), help: "The input's format, when detection is not wanted.")
    var from: String?

    @Flag(name: .customLong("json"), help: "Print one JSON object instead of the table.")
    var json = false

    @Flag(name: .customLong("deep"), help: "Parse and validate every record, and check the image files.")
    var deep = false

    @Option(name: .customLong("images"), help: "Image directory for --deep (default: the COCO convention, annotations/instances_val2017.json → val2017/).")
    var images: String?

    @Option(name: .customLong("problems"), help: "How many problems to list (default 20; all are counted).")
    var problemLimit = 20

    @Option(name: .customLong("progress"), help: "Progress on stderr while every sample is read (formats without an index): auto (bar on a terminal, plain otherwise), bar, plain, json or none.")
    var progress: ProgressMode = .auto

    func validate() throws {
        if problemLimit < 0 { throw ValidationError("--problems must be 0 or more.") }
    }

    func run() throws {
        let registry = CococonvertCommand.registry
        let console = Console()
        let probe = InputProbe(path: input)
        guard probe.exists else {
            console.say("error: \(input): no such file or directory")
            throw ExitCode(ExitStatus.data)
        }
        let plugin: FormatPlugin
        if let from {
            guard let named = registry.plugin(named: from), named.reader != nil || named.inspector != nil else {
                throw ValidationError("'\(from)' is not a readable format; formats: \(registry.nameList)")
            }
            plugin = named
        } else {
            guard let detected = registry.detect(probe).first(where: { $0.detection.confidence >= 40 }) else {
                console.say("error: \(input): not a format cococonvert recognises (formats: \(registry.nameList)); name it with --from")
                throw ExitCode(ExitStatus.data)
            }
            plugin = detected.plugin
        }
        var request = InspectRequest(path: input)
        request.deep = deep
        request.images = images
        request.problemLimit = problemLimit
        let inspection: Inspection
        do {
            let reporter = Console(progressMode: progress).progress(label: "inspect \(plugin.name)", total: nil)
            var completed = false
            defer { reporter.finish(completed: completed) }
            inspection = try Self.inspect(request, plugin: plugin, progress: reporter.update)
            completed = true
        } catch let error as ConversionError {
            console.error(error)
            throw ExitCode(error.code == .usage ? ExitStatus.usage : ExitStatus.data)
        }
        print(json ? inspection.json : inspection.table)
        if inspection.problemCount > 0 { throw ExitCode(ExitStatus.data) }
    }

    /// The plugin's own inspector, else the generic one that reads every sample.
    static func inspect(_ request: InspectRequest, plugin: FormatPlugin,
                        progress: Conversion.Progress? = nil) throws -> Inspection {
        if let inspector = plugin.inspector { return try inspector(request) }
        guard let reader = plugin.reader else {
            throw ConversionError(.usage, "\(plugin.name) cannot be read yet")
        }
        var values = OptionValues()
        if let images = request.images, reader.options.contains(where: { $0.name == "images" }) { values.append("images", images) }
        let skips = SkipReport(policy: .skip)
        let dataset = try reader.configure(values)(request.path, skips)
        return try DatasetInspection.inspect(reader: dataset, format: plugin, path: request.path, skips: skips,
                                             problemLimit: request.problemLimit, progress: progress)
    }
}

extension ProgressMode: ExpressibleByArgument {}
