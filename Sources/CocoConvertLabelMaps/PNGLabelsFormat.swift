import CocoConvertCore
import CocoConvertLabels

/// A directory of label PNGs, one per image, with labels.json, as a cococonvert format
/// (formats/png-labels.md).
public enum PNGLabelsFormat {
    public static let plugin = FormatPlugin(
        name: "png",
        summary: "PNG label maps: one PNG per image plus labels.json (semantic, instance or panoptic)",
        reader: ReaderPlugin(
            accepts: "8/16-bit gray, palette and RGB-coloured (through a colormap) label PNGs; panoptic RGB ids; labels.json or --category-file",
            options: [
                .value("category-file", "FILE", help: "A COCO JSON whose categories name the values (needed when the directory has no labels.json; overrides it otherwise). Was --categories, which now keeps a subset of categories on every route."),
                SharedOptions.images,
                LabelOptions.labelsSpec, LabelOptions.kindSpec, LabelOptions.paletteSpec,
            ],
            detect: detect,
            configure: { values in
                let labels = try LabelOptions(values)
                let categoriesFile = values.string("category-file")
                let images = values.string("images")
                return { input, skips in
                    let categories = try categoriesFile.map { try LabelMapReaderOptions.loadCategories(cocoFile: $0) }
                    // Values of a directory without labels.json mean what --labels says.
                    let schema = labels.labels == nil ? nil
                        : try labels.paintOptions(for: DatasetHeader(kind: .semantic, categories: categories ?? [])).schema
                    let options = LabelMapReaderOptions(categories: categories, schema: schema,
                                                        palette: labels.paletteName == nil ? nil : try labels.palette(formatDefault: "none"),
                                                        kind: labels.kind, imagesDirectory: images)
                    return try LabelMapDirectoryReader(directory: input, options: options, skips: skips)
                }
            }),
        writer: WriterPlugin(
            produces: "8-bit gray or palette PNGs (16-bit gray above 255), --labels/--crowd/--overlap/--kind/--palette; panoptic: RGB ids + panoptic.json",
            output: .directory,
            options: LabelOptions.writerSpecs(),
            partitionUnit: WriterPlugin.onePerSample,
            configure: { values in
                let labels = try LabelOptions(values)
                let palette = try labels.palette(formatDefault: "voc")
                let options = LabelMapWriterOptions(paint: { header in try labels.paintOptions(for: header) },
                                                    palette: palette, paletteName: labels.paletteLabel(formatDefault: "voc"))
                return { output, _ in LabelMapDirectoryWriter(directory: output, options: options) }
            }).describing(owns: ["*.png", "labels.json", "panoptic.json"], losses: { values in
                (try? LabelOptions(values))?.labelMapLosses(defaultCrowd: .skip) ?? []
            }, preview: { values, header, facts in
                let labels = try LabelOptions(values)
                return OutputPreview(files: facts.samples + 1 + (labels.kind == .panoptic ? 1 : 0),
                                     bytes: facts.labelMapBytes + Int64(200 * header.categories.count),
                                     lines: ["OUT/<stem>.png per sample and labels.json"] + (try labels.previewLines(for: header, defaultCrowd: .skip)))
            }))

    /// A directory holding label PNGs (and usually labels.json), that is not a VOC tree.
    static func detect(_ probe: InputProbe) -> Detection? {
        guard probe.isDirectory, probe.hasEntry(endingWith: ".png") else { return nil }
        if probe.entries.contains("labels.json") { return Detection(confidence: 90, "a directory of label PNGs with labels.json") }
        return Detection(confidence: 50, "a directory of PNG files")
    }
}
