import CocoConvertCore
import CocoConvertPNG
import Foundation

/// Writes one label PNG per image into a directory, plus `labels.json` (see formats/png-labels.md).
///
/// Semantic and instance maps are 8-bit gray PNGs, or palette PNGs when a palette is given, and
/// 16-bit gray when a map holds a value above 255. Panoptic maps are RGB id PNGs
/// (`id = R + 256·G + 256²·B`) with a COCO panoptic `panoptic.json` beside them.
///
/// ``begin(_:)`` creates the directory and starts `labels.json`; its ``LabelMapDirectoryRenderer``
/// paints and encodes (concurrently); its ``LabelMapDirectorySink`` writes `<stem>.png` under a
/// temporary name and renames it, then completes `labels.json` (and `panoptic.json`). Output names come from
/// the sample's file name, confined to the directory (``SafePath``); two samples with the same
/// stem are an error.
public final class LabelMapDirectoryWriter: DatasetWriter {
    /// One sample's PNG and its `labels.json` line.
    public struct Rendered: Sendable {
        var file: String
        /// The encoded label PNG, exactly as the sink writes it to `<stem>.png`.
        public internal(set) var png: [UInt8]
        var imageID: Int64
        var record: String
        var panopticRecord: String?
        var imageRecordJSON: String
        /// The instances the map holds (semantic: the sample's annotations).
        public internal(set) var instances: Int
        var sixteenBit: Bool
        /// Instance and panoptic maps: the value each painted annotation got, by its position in
        /// `sample.instances` (annotations not painted are absent). Empty for semantic maps.
        public internal(set) var instanceValues: [Int: UInt32] = [:]
    }

    /// The output directory.
    public let directory: String
    public let options: LabelMapWriterOptions

    /// A writer into `directory` (created if missing).
    public init(directory: String, options: LabelMapWriterOptions) {
        self.directory = directory
        self.options = options
    }

    private var labelsPath: String { (directory as NSString).appendingPathComponent(LabelsFile.fileName) }
    private var panopticPath: String { (directory as NSString).appendingPathComponent("panoptic.json") }

    /// Creates the directory, decides the paint options and starts `labels.json` (and `panoptic.json`).
    public func begin(_ header: DatasetHeader) throws -> (renderer: LabelMapDirectoryRenderer, sink: LabelMapDirectorySink) {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw ConversionError(.io, "cannot create the output directory: \(error.localizedDescription)",
                                  context: ErrorContext(file: directory), hint: "check the output path and permissions")
        }
        let paint = try options.paint(header)
        let palette = paint.kind == .panoptic ? nil : options.palette
        // One partition of several writes its share of the index files as parts (see PartitionContext).
        let place = { (path: String) in header.partition?.indexPath(for: path) ?? path }
        if let partition = header.partition {
            try FileManager.default.createDirectory(atPath: partition.partDirectory, withIntermediateDirectories: true)
        }
        let labels = try OutputFile(destination: place(labelsPath))
        try labels.write(LabelsFile.headerText(kind: paint.kind, schema: paint.schema, categories: header.categories,
                                               paletteName: palette == nil ? nil : options.paletteName) { entry in
            if let palette, entry.value < palette.count { return palette[Int(entry.value)] }
            return entry.color ?? header.category(id: entry.categoryID)?.color
        })
        var panoptic: (images: OutputFile, annotations: OutputFile)?
        if paint.kind == .panoptic {
            let images = try OutputFile(destination: place(panopticPath))
            try images.write("{\"images\": [")
            panoptic = (images, try OutputFile(destination: place(panopticPath), tag: "segments"))
        }
        let renderer = LabelMapDirectoryRenderer(paint: paint, painter: LabelPainter(options: paint),
                                                 palette: options.palette, compression: options.compression)
        let sink = LabelMapDirectorySink(directory: directory, categories: header.categories, labels: labels, panoptic: panoptic,
                                         partition: header.partition, notes: paint.unmappedNote(for: header.categories).map { [$0] } ?? [])
        return (renderer, sink)
    }

    /// The renderer alone, for formats that embed this writer's label PNGs (WebDataset shards):
    /// the same paint options, painter, palette and compression, so the PNG bytes are the same.
    public static func renderer(options: LabelMapWriterOptions, header: DatasetHeader) throws -> LabelMapDirectoryRenderer {
        let paint = try options.paint(header)
        return LabelMapDirectoryRenderer(paint: paint, painter: LabelPainter(options: paint),
                                         palette: options.palette, compression: options.compression)
    }
}
