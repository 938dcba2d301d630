import ArgumentParser
import CocoConvertCore
import Foundation

/// The `cococonvert` root command.
public struct CococonvertCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "cococonvert",
        abstract: "Convert segmentation labels between COCO, PNG label maps, Pascal VOC, HDF5, TFRecord, YOLO and WebDataset, and read SA-1B.",
        usage: """
            cococonvert <from>2<to> <input>... <output> [<options>]
            cococonvert <subcommand>
            """,
        discussion: """
            A route names a source and a target format; these are the same command:
              cococonvert convert --from coco --to voc instances_val2017.json out/
              cococonvert coco2voc instances_val2017.json out/
              cococonvert coco:voc instances_val2017.json out/
              cococonvert 'coco->voc' instances_val2017.json out/   (quote the >)

            Common jobs:
              cococonvert coco2png instances_val2017.json labels/   (DeepLab, mmseg)
              cococonvert coco2voc instances_val2017.json VOC/ --layout devkit
              cococonvert coco2hdf5 instances_train2017.json shards/ --shard 1000
              cococonvert coco2tfrecord instances_train2017.json tf/ --schema deeplab
              cococonvert coco2png instances_train2017.json stuff_train2017.json labels/ --labels cocostuff182   (COCO-Stuff)
              cococonvert inspect instances_val2017.json
              cococonvert preview instances_val2017.json sheet.png

            Each route has its own options: 'cococonvert coco2voc --help' lists those of coco2voc.
            'cococonvert formats' lists what each format reads and writes.
            """,
        version: cococonvertVersion,
        subcommands: [Inspect.self, Formats.self, Verify.self, Preview.self, Merge.self]
    )

    public init() {}

    /// The formats the subcommands see (the standard ones, unless a caller runs with others).
    @TaskLocal static var registry = FormatRegistry.standard

    /// Entry point: resolves route shorthands, then parses and runs.
    public static func main(arguments: [String] = Array(CommandLine.arguments.dropFirst()),
                            registry: FormatRegistry = .standard) -> Never {
        // Readers that hand files to a crash-prone C library check each file in a child process
        // (this executable again) first; see IsolatedCheck.
        if arguments.first != IsolatedCheckCommand.word { IsolatedCheckCommand.install() }
        Foundation.exit(run(arguments: arguments, registry: registry, console: Console()))
    }

    /// Runs a command line and returns its exit status; conversions run in this process.
    static func run(arguments: [String], registry: FormatRegistry, console: Console, handlesSignals: Bool = true) -> Int32 {
        if arguments.first == IsolatedCheckCommand.word {
            return IsolatedCheckCommand.runChild(Array(arguments.dropFirst()), registry: registry)
        }
        if arguments.first == GenerateCommand.word {
            return GenerateCommand.run(Array(arguments.dropFirst()), registry: registry, console: console)
        }
        switch RouteArguments.resolve(arguments, registry: registry) {
        case .convert(let rest):
            return ConvertCommand(registry: registry, console: console, handlesSignals: handlesSignals).runReporting(rest)
        case .mistake(let message):
            console.say("error: " + message)
            return ExitStatus.usage
        case .unchanged(let args):
            return $registry.withValue(registry) {
                do {
                    var command = try Self.parseAsRoot(args)
                    try command.run()
                    return ExitStatus.success
                } catch {
                    let code = Self.exitCode(for: error)
                    if code != .success || Self.fullMessage(for: error).isEmpty == false {
                        let message = Self.fullMessage(for: error)
                        if !message.isEmpty {
                            if code == .success { console.out(message) } else { console.say(message) }
                        }
                    }
                    return code.rawValue
                }
            }
        }
    }
}

/// The version `--version` prints.
public let cococonvertVersion = "0.2.0"
