import CocoConvertCore
import CocoConvertLabels

/// Pascal VOC segmentation trees as a cococonvert format (formats/voc.md).
public enum VOCFormat {
    public static let plugin = FormatPlugin(
        name: "voc",
        aliases: ["pascal-voc"],
        summary: "Pascal VOC: JPEGImages, SegmentationClass/Object palette PNGs, Annotations XML, ImageSets, labelmap.txt",
        reader: .splitSelecting(accepts: "a VOC tree, its VOCdevkit parent or the directory above; palette, grayscale or RGB masks; --split picks ImageSets/Segmentation/<split>.txt", detect: detect) { try VOCReader(path: $0, split: $1, skips: $2) },
        writer: WriterPlugin(
            produces: "OUT/ (or OUT/VOCdevkit/VOC2012 with --layout devkit): masks, XML, ImageSets/{Segmentation,Main}/<split>.txt, labelmap.txt; images per --image-mode",
            output: .directory,
            options: [
                .choice("layout", VOCLayoutStyle.self,
                        help: "Tree: plain (OUT/JPEGImages, ...; default) or devkit (OUT/VOCdevkit/VOC2012/..., as torchvision's VOCSegmentation expects)."),
                .choice("image-mode", ImageMode.self,
                        help: "How JPEGImages is filled: hardlink (default; falls back to copy across filesystems), copy, symlink, or none."),
                SharedOptions.split,
            ] + LabelOptions.writerSpecs(kind: false, palette: false),
            partitionUnit: WriterPlugin.onePerSample,
            configure: { values in
                let labels = try LabelOptions(values)
                let options = VOCWriterOptions(layout: try values.choice("layout", as: VOCLayoutStyle.self) ?? .plain,
                                               imageMode: try values.choice("image-mode", as: ImageMode.self) ?? .hardlink,
                                               split: values.string("split"),
                                               paint: { header in try labels.paintOptions(for: header, defaultCrowd: .ignore) })
                return { output, skips in VOCWriter(output: output, options: options, skips: skips) }
            }).describing(owns: ["**/SegmentationClass/*.png", "**/SegmentationObject/*.png", "**/Annotations/*.xml",
                                 "**/ImageSets/Segmentation/*.txt", "**/ImageSets/Main/*.txt", "**/JPEGImages/*",
                                 "**/\(VOCLayout.labelMapFileName)"],
                          losses: losses, preview: preview))

    /// What a VOC tree cannot carry: the object map keeps instances apart, XML keeps crowds as boxes.
    @Sendable static func losses(_ values: OptionValues) -> [Loss] {
        let labels = try? LabelOptions(values)
        let crowd = labels?.crowd ?? labels?.labels.flatMap { LabelPreset.named($0)?.crowd } ?? .ignore
        let crowdLoss = switch crowd {
        case .ignore: "their pixels are painted void (255) with no object index; read back they are box-only objects (is_crowd kept, mask lost)"
        case .skip: "left out of the masks; read back they are box-only objects (is_crowd kept, mask lost)"
        case .include: "painted like other objects; read back the iscrowd flag is lost"
        }
        return [
            Loss(.crowds, crowdLoss),
            Loss(.annotationIDs, "not stored; read back, objects are numbered anew"),
            Loss(.scores, "not stored"),
            Loss(.extraFields, "not stored"),
            Loss(.polygons, "rasterised; read back as masks"),
            Loss(.storedAreaAndBox, "areas are not stored and boxes are whole pixels; read back they are recomputed"),
        ]
    }

    /// `--dry-run`: per sample a class PNG, an object PNG, an XML and an image; the lists; the mapping.
    @Sendable static func preview(_ values: OptionValues, _ header: DatasetHeader, _ facts: InputFacts) throws -> OutputPreview {
        let labels = try LabelOptions(values)
        let imageMode = try values.choice("image-mode", as: ImageMode.self) ?? .hardlink
        let perSample = imageMode == .none ? 3 : 4
        let layout = try values.choice("layout", as: VOCLayoutStyle.self) ?? .plain
        var lines = ["--layout \(layout.rawValue), --image-mode \(imageMode.rawValue): SegmentationClass, SegmentationObject, Annotations, JPEGImages, ImageSets, labelmap.txt"]
        lines += try labels.previewLines(for: header, defaultCrowd: .ignore)
        return OutputPreview(files: facts.samples * perSample + 3,
                             bytes: 2 * facts.labelMapBytes + Int64(facts.samples) * 700 + (imageMode == .copy ? facts.imageBytes : 0),
                             lines: lines)
    }

    /// A directory with the VOC layout (or a VOCdevkit above one), or a VOC annotation XML file.
    static func detect(_ probe: InputProbe) -> Detection? {
        if probe.isDirectory {
            let vocDirectories = ["SegmentationClass", "SegmentationObject", "JPEGImages", "Annotations", "ImageSets"]
            let found = vocDirectories.filter { probe.entries.contains($0) }.count
            if found >= 2 { return Detection(confidence: 95, "a Pascal VOC tree") }
            if probe.entries.contains("VOCdevkit") || probe.entries.contains(where: { $0.hasPrefix("VOC20") }) {
                return Detection(confidence: 90, "a Pascal VOC devkit directory")
            }
            return nil
        }
        if probe.firstSignificantByte == UInt8(ascii: "<"), probe.headText.contains("<annotation") {
            return Detection(confidence: 40, "a Pascal VOC XML annotation file (give the VOC tree that holds its Annotations/ directory)")
        }
        return nil
    }
}
