import CocoConvertCore
import CocoConvertPNG
import Foundation

/// Writes one label PNG per image into a directory, plus `labels.json` (see formats/png-labels.md).
///
/// Semantic and instance maps are 8-bit gray PNGs, or palette PNGs when a palette is given, and
/// 16-bit gray when a map holds a value above 255. Panoptic maps are RGB id PNGs
/// (`id = R + 256·G + 256²·B`) with a COCO panoptic `panoptic.json` beside them.
///
/// `render` paints and encodes (concurrently); `commit` writes `<stem>.png` under a temporary name
/// and renames it; `finish` completes `labels.json` (and `panoptic.json`). Output names come from
/// the sample's file name, confined to the directory (``SafePath``); two samples with the same
/// stem are an error.
public final class LabelMapDirectoryWriter: DatasetWriter, @unchecked Sendable {
    /// One sample's PNG and its `labels.json` line.
    public struct Rendered: Sendable {
        var file: String
        var png: [UInt8]
        var imageID: Int64
        var record: String
        var panopticRecord: String?
        var imageRecordJSON: String
        var instances: Int
        var sixteenBit: Bool
    }

    /// The output directory.
    public let directory: String
    public let options: LabelMapWriterOptions

    // Set in `begin`, read-only afterwards (render runs on many threads).
    private var header: DatasetHeader?
    private var painter = LabelPainter(options: PaintOptions(schema: LabelSchema(entries: [])))
    private var paint = PaintOptions(schema: LabelSchema(entries: []))

    // Used by `commit`/`finish` on one thread.
    private var labels: OutputFile?
    private var panopticImages: OutputFile?
    private var panopticAnnotations: OutputFile?
    private var stems: [String: Int64] = [:]
    private var summary = WriteSummary()
    private var sixteenBitCount = 0

    /// A writer into `directory` (created if missing).
    public init(directory: String, options: LabelMapWriterOptions) {
        self.directory = directory
        self.options = options
    }

    private var labelsPath: String { (directory as NSString).appendingPathComponent(LabelsFile.fileName) }
    private var panopticPath: String { (directory as NSString).appendingPathComponent("panoptic.json") }

    public func begin(_ header: DatasetHeader) throws {
        self.header = header
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw ConversionError(.io, "cannot create the output directory: \(error.localizedDescription)",
                                  context: ErrorContext(file: directory), hint: "check the output path and permissions")
        }
        let paint = try options.paint(header)
        self.paint = paint
        painter = LabelPainter(options: paint)
        let palette = paint.kind == .panoptic ? nil : options.palette
        let labels = try OutputFile(destination: labelsPath)
        try labels.write(LabelsFile.headerText(kind: paint.kind, schema: paint.schema, categories: header.categories,
                                               paletteName: palette == nil ? nil : options.paletteName) { entry in
            if let palette, entry.value < palette.count { return palette[Int(entry.value)] }
            return entry.color ?? header.category(id: entry.categoryID)?.color
        })
        self.labels = labels
        if paint.kind == .panoptic {
            let images = try OutputFile(destination: panopticPath)
            try images.write("{\"images\": [")
            panopticImages = images
            panopticAnnotations = try OutputFile(destination: panopticPath, tag: "segments")
        }
    }

    public func render(_ sample: Sample) throws -> Rendered {
        let context = ErrorContext(imageID: sample.id)
        let stem = try SafePath.component(sample.stem, context: context)
        let file = stem + ".png"
        let kind = paint.kind
        let painted: PaintedLabelMap
        do {
            painted = kind == .semantic ? PaintedLabelMap(map: try painter.paint(sample), segments: [])
                : try painter.paintSegments(sample)
        } catch let error as ConversionError {
            throw error.adding(context)
        }
        let map = painted.map
        let png: [UInt8]
        if kind == .panoptic {
            var rgb = [UInt8](repeating: 0, count: map.width * map.height * 3)
            rgb.withUnsafeMutableBufferPointer { out in
                map.pixels.withUnsafeBufferPointer { px in
                    for i in 0..<px.count {
                        let v = px[i]
                        // Background and ignore are VOID (id 0) in panoptic PNGs.
                        if v == 0 || UInt32(v) == paint.schema.background || UInt32(v) == paint.schema.ignoreIndex { continue }
                        out[3 * i] = UInt8(v & 0xff)
                        out[3 * i + 1] = UInt8(v >> 8)
                    }
                }
            }
            png = try PNGEncoder.encodeRGB8(width: map.width, height: map.height, pixels: rgb)
        } else {
            png = try PNGEncoder.encode(labelMap: map, palette: options.palette, compression: options.compression)
        }
        var instances: [LabelsFile.InstanceRecord]?
        if kind != .semantic {
            instances = painted.segments.map {
                LabelsFile.InstanceRecord(value: UInt32($0.value), categoryID: $0.categoryID, isCrowd: $0.isCrowd,
                                          annotationID: $0.annotationIDs.first ?? nil)
            }
        }
        let record = LabelsFile.imageText(LabelsFile.ImageRecord(file: file, id: sample.id, fileName: sample.fileName,
                                                                 width: sample.width, height: sample.height,
                                                                 instances: instances))
        var panopticRecord: String?
        var imageJSON = ""
        if kind == .panoptic {
            let segments = painted.segments.filter { $0.area > 0 }.map { s -> String in
                let b = s.bbox ?? BoundingBox(x: 0, y: 0, width: 0, height: 0)
                return "{\"id\": \(s.value), \"category_id\": \(s.categoryID), \"area\": \(s.area), "
                    + "\"bbox\": [\(Int(b.x)), \(Int(b.y)), \(Int(b.width)), \(Int(b.height))], \"iscrowd\": \(s.isCrowd ? 1 : 0)}"
            }
            panopticRecord = "{\"image_id\": \(sample.id), \"file_name\": \(jsonString(file)), \"segments_info\": ["
                + segments.joined(separator: ", ") + "]}"
            imageJSON = "{\"id\": \(sample.id), \"file_name\": \(jsonString(sample.fileName)), "
                + "\"width\": \(sample.width), \"height\": \(sample.height)}"
        }
        return Rendered(file: file, png: png, imageID: sample.id, record: record, panopticRecord: panopticRecord,
                        imageRecordJSON: imageJSON,
                        instances: kind == .semantic ? sample.instances.count : painted.segments.count,
                        sixteenBit: kind != .panoptic && map.maxValue > 255)
    }

    public func commit(_ rendered: Rendered) throws {
        guard let labels else {
            preconditionFailure("LabelMapDirectoryWriter.commit before begin")
        }
        if let other = stems[rendered.file] {
            throw ConversionError(.duplicateID, "images \(other) and \(rendered.imageID) would both be written as \(rendered.file)",
                                  context: ErrorContext(imageID: rendered.imageID),
                                  hint: "image file names must have distinct stems; rename one of them")
        }
        stems[rendered.file] = rendered.imageID
        let path = (directory as NSString).appendingPathComponent(rendered.file)
        try AtomicFile.write(rendered.png, to: path)
        try labels.write((summary.samples == 0 ? "\n  " : ",\n  ") + rendered.record)
        if let panopticRecord = rendered.panopticRecord, let images = panopticImages, let annotations = panopticAnnotations {
            let separator = summary.samples == 0 ? "\n  " : ",\n  "
            try images.write(separator + rendered.imageRecordJSON)
            try annotations.write(separator + panopticRecord)
        }
        summary.samples += 1
        summary.instances += rendered.instances
        summary.files += 1
        summary.bytes += Int64(rendered.png.count)
        if rendered.sixteenBit { sixteenBitCount += 1 }
    }

    public func finish() throws -> WriteSummary {
        guard let labels, let header else {
            preconditionFailure("LabelMapDirectoryWriter.finish before begin")
        }
        try labels.write(LabelsFile.footerText)
        try labels.commit()
        summary.files += 1
        summary.bytes += labels.bytesWritten
        if let images = panopticImages, let annotations = panopticAnnotations {
            try images.write("\n ],\n \"annotations\": [")
            // The scratch annotations, then categories; the scratch file goes when `annotations` does.
            try images.append(contentsOf: annotations)
            annotations.discard()
            let categories = header.categories.map(LabelsFile.categoryJSON).joined(separator: ",\n  ")
            try images.write("\n ],\n \"categories\": [\n  " + categories + "\n ]}\n")
            try images.commit()
            summary.files += 1
            summary.bytes += images.bytesWritten
        }
        if sixteenBitCount > 0 {
            summary.notes.append("\(sixteenBitCount) label maps needed values above 255 and were written as 16-bit gray PNGs")
        }
        return summary
    }
}
