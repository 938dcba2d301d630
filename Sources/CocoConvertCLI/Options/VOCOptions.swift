import ArgumentParser
import CocoConvertVOC

/// Options of the VOC reader and writer.
///
/// The label mapping (`--labels`, `--crowd`, `--overlap`) comes from ``LabelOptions``; the split
/// (`--split`) and error policy (`--on-error`) from ``ConvertOptions``. When reading VOC, `--split`
/// selects `ImageSets/Segmentation/<split>.txt`.
struct VOCOptions: ParsableArguments {
    @Option(name: .customLong("image-mode"),
            help: "How the VOC writer fills JPEGImages: copy, hardlink (falls back to copy across filesystems), symlink, or none.")
    var imageMode: VOCImageMode = .hardlink

    @Option(name: .customLong("layout"),
            help: "VOC writer tree: plain (OUT/JPEGImages, ...) or devkit (OUT/VOCdevkit/VOC2012/..., as torchvision's VOCSegmentation expects).")
    var layout: VOCLayoutStyle = .plain

    init() {}
}

extension VOCImageMode: ExpressibleByArgument {}
extension VOCLayoutStyle: ExpressibleByArgument {}
