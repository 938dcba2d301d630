import CocoConvertCore
import CocoConvertLabelMaps

extension FormatPlugin {
    /// A directory of label PNGs, one per image, with labels.json.
    static let png = FormatPlugin(
        id: .png,
        summary: "PNG label maps: one PNG per image plus labels.json (semantic, instance or panoptic)",
        reads: "8/16-bit gray, palette and RGB-coloured (through a colormap) label PNGs; panoptic RGB ids; labels.json or --categories",
        writes: "8-bit gray or palette PNGs (16-bit gray above 255), --labels/--crowd/--overlap/--kind/--palette; panoptic: RGB ids + panoptic.json",
        makeReader: { input, options, skips in
            try LabelMapDirectoryReader(directory: input,
                                        options: options.png.readerOptions(labels: options.labels, images: options.images),
                                        skips: skips)
        },
        makeWriter: { output, options, _ in
            let labels = options.labels
            return LabelMapDirectoryWriter(
                directory: output,
                options: LabelMapWriterOptions(paint: { header in try labels.paintOptions(for: header) },
                                               palette: try labels.palette(formatDefault: "voc"),
                                               paletteName: labels.paletteLabel(formatDefault: "voc")))
        })
}
