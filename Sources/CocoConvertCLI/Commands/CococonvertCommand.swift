import ArgumentParser
import Foundation

/// The `cococonvert` root command.
public struct CococonvertCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "cococonvert",
        abstract: "Convert segmentation labels between COCO, PNG label maps, Pascal VOC, HDF5 and TFRecord.",
        usage: """
            cococonvert <from>2<to> <input> <output> [<options>]
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
              cococonvert inspect instances_val2017.json

            'cococonvert formats' lists what each format reads and writes;
            'cococonvert convert --help' lists every option.
            """,
        version: cococonvertVersion,
        subcommands: [Convert.self, Inspect.self, Formats.self]
    )

    public init() {}

    /// Entry point: resolves route shorthands, then parses and runs.
    public static func main(arguments: [String] = Array(CommandLine.arguments.dropFirst())) -> Never {
        switch RouteArguments.resolve(arguments) {
        case .unchanged(let args), .rewritten(let args):
            Self.main(args)
            Foundation.exit(0)
        case .unquotedArrow(let message), .notACommand(let message):
            FileHandle.standardError.write(Data(("error: " + message + "\n").utf8))
            Foundation.exit(ExitCode.validationFailure.rawValue)
        }
    }
}

/// The version `--version` prints.
public let cococonvertVersion = "0.1.0"
