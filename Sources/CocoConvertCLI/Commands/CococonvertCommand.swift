import ArgumentParser

/// The `cococonvert` root command.
public struct CococonvertCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "cococonvert",
        abstract: "Convert segmentation labels between COCO, PNG label maps, Pascal VOC, HDF5 and TFRecord.",
        version: "0.1.0"
    )
    public init() {}
}
