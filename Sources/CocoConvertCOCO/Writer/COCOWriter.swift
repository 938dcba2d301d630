import Foundation
import CocoConvertCore

/// Writes a COCO annotation file as a stream: memory does not grow with the dataset.
///
/// Image records go straight into the output (under a temporary name), annotation records into a
/// scratch file beside it; ``finish()`` appends the annotations, then `categories` and the other
/// top-level members, and renames the file into place. Key order: `info`, `licenses`, `images`,
/// `annotations`, `categories`, then unknown top-level members.
///
/// Three output forms, chosen from the header in ``begin(_:)``:
/// - results (`kind == .results`): a bare array of `{image_id, category_id, segmentation, score, …}`;
/// - panoptic (`kind == .panoptic` and `--segmentation keep`): `segments_info` records, and one RGB
///   segment PNG per image in `<output without .json>/`;
/// - detection (everything else): `images`, `annotations`, `categories`.
///
/// Ids, `area` and `bbox` are kept as read; `area`/`bbox` are computed from the mask only with
/// ``COCOWriterOptions/recompute`` or when the source has none. Panoptic input written in detection
/// form gets new annotation ids 1, 2, 3… (segment ids are unique only within their image).
public final class COCOWriter: DatasetWriter, @unchecked Sendable {
    /// One sample's output, made concurrently by ``render(_:)``.
    public struct Rendered: Sendable {
        /// The image record (empty in the results form).
        var image: [UInt8] = []
        /// Annotation records one after the other, each without its closing `}` (the id goes last).
        var annotations: [UInt8] = []
        /// End of each record in `annotations`.
        var annotationEnds: [Int] = []
        /// The id to write for each record (nil: none in the results form, or a new one).
        var annotationIDs: [Int64?] = []
        /// True when `annotations` is final text (records with their ids, separated by commas), as when
        /// every id is known at render time; commit then writes it in one piece.
        var complete = false
        /// The largest id in a complete rendering.
        var highestID: Int64 = 0
        var instanceCount = 0
        /// A panoptic segment PNG: its file name and bytes.
        var png: (name: String, bytes: [UInt8])?
    }

    private enum Form { case detection, results, panoptic }

    /// The output file.
    public let path: String
    public let options: COCOWriterOptions
    private let limits: Limits

    // Set once in `begin`, read-only afterwards (render runs on many threads).
    private var form = Form.detection
    private var renumber = false
    private var header: DatasetHeader?
    private var panopticDirectory: String?

    // Used by `commit`/`finish` on one thread.
    private var output: OutputFile?
    private var annotationsScratch: OutputFile?
    private var imagesWritten = 0
    private var annotationsWritten = 0
    private var highestID: Int64 = 0
    private var summary = WriteSummary()

    /// A writer for `path` (a `.json` file; its directory must exist).
    public init(path: String, options: COCOWriterOptions = COCOWriterOptions(), limits: Limits = .standard) {
        self.path = path
        self.options = options
        self.limits = limits
    }

    public func begin(_ header: DatasetHeader) throws {
        self.header = header
        if header.kind == .results {
            form = .results
        } else if header.kind == .panoptic && options.segmentation == .keep {
            form = .panoptic
        } else {
            form = .detection
        }
        renumber = options.annotationIDs == .renumber || (header.kind == .panoptic && form == .detection)
        let output = try OutputFile(destination: path)
        self.output = output
        if form == .results {
            try output.write("[")
            return
        }
        if form == .panoptic {
            let directory = COCOLayout.panopticDirectory(forAnnotationFile: path)
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            } catch {
                throw ConversionError(.io, "cannot create the panoptic PNG directory: \(error.localizedDescription)",
                                      context: ErrorContext(file: directory))
            }
            panopticDirectory = directory
        }
        annotationsScratch = try OutputFile(destination: path, tag: "annotations")
        var text: [UInt8] = [ASCII.openBrace]
        if let info = header.info {
            text.appendKey("info")
            text.appendRaw(info)
            text.append(ASCII.comma)
        }
        if let licenses = header.licenses {
            text.appendKey("licenses")
            text.appendRaw(licenses)
            text.append(ASCII.comma)
        }
        text.appendKey("images")
        text.append(ASCII.openBracket)
        try output.write(text)
    }

    public func render(_ sample: Sample) throws -> Rendered {
        var out = Rendered()
        if form != .results {
            out.image.reserveCapacity(256)
            out.image.appendText("{\"id\":")
            out.image.appendInteger(sample.id)
            out.image.appendText(",\"file_name\":")
            out.image.appendString(sample.fileName)
            out.image.appendText(",\"width\":")
            out.image.appendInteger(Int64(sample.width))
            out.image.appendText(",\"height\":")
            out.image.appendInteger(Int64(sample.height))
            out.image.appendExtras(sample.extra)
            out.image.append(ASCII.closeBrace)
        }
        if form == .panoptic {
            try renderPanoptic(sample, into: &out)
            return out
        }
        out.annotations.reserveCapacity(sample.instances.count * 512)
        let masks = SampleMasks(height: sample.height, width: sample.width, limits: limits)
        // Ids known now (kept ids, or none in the results form): write the final text here.
        out.complete = !renumber && sample.instances.allSatisfy { $0.id != nil || form == .results }
        for (k, instance) in sample.instances.enumerated() {
            if out.complete && k > 0 { out.annotations.append(ASCII.comma) }
            do {
                try renderAnnotation(instance, of: sample, masks: masks, into: &out.annotations)
            } catch let error as ConversionError {
                throw error.adding(ErrorContext(imageID: sample.id, annotationID: instance.id))
            }
            if out.complete {
                if let id = instance.id {
                    out.annotations.appendText(",\"id\":")
                    out.annotations.appendInteger(id)
                    out.highestID = max(out.highestID, id)
                }
                out.annotations.append(ASCII.closeBrace)
            } else {
                out.annotationEnds.append(out.annotations.count)
                out.annotationIDs.append(renumber ? nil : instance.id)
            }
        }
        out.instanceCount = sample.instances.count
        return out
    }

    private func renderAnnotation(_ instance: Instance, of sample: Sample, masks: SampleMasks,
                                  into out: inout [UInt8]) throws {
        out.appendText("{\"image_id\":")
        out.appendInteger(sample.id)
        out.appendText(",\"category_id\":")
        out.appendInteger(instance.categoryID)
        if form != .results || instance.isCrowd {
            out.appendText(",\"iscrowd\":")
            out.append(instance.isCrowd ? UInt8(ascii: "1") : ASCII.zero)
        }
        var area = instance.area
        var box = instance.bbox
        let hasMask: Bool
        if case .none = instance.geometry { hasMask = false } else { hasMask = true }
        // The exact mask, computed at most once per annotation and only when something needs it.
        var cached: RLE?
        func mask() throws -> RLE {
            if let cached { return cached }
            try requireSize(sample)
            let rle = try masks.rle(for: instance.geometry)
            cached = rle
            return rle
        }
        if hasMask && (options.recompute || (form != .results && (area == nil || box == nil))) {
            let rle = try mask()
            if options.recompute {
                area = Double(rle.area)
                box = rle.boundingBox
            } else {
                area = area ?? Double(rle.area)
                box = box ?? rle.boundingBox
            }
        }
        if let area {
            out.appendText(",\"area\":")
            out.appendNumber(area)
        }
        if let box {
            out.appendText(",\"bbox\":")
            out.appendBox(box)
        }
        if let score = instance.score {
            out.appendText(",\"score\":")
            out.appendNumber(score)
        }
        if hasMask {
            out.appendText(",\"segmentation\":")
            try appendSegmentation(instance.geometry, mask: mask, into: &out)
        }
        out.appendExtras(instance.extra)
    }

    private func requireSize(_ sample: Sample) throws {
        guard sample.width > 0 && sample.height > 0 else {
            throw ConversionError(.invalidValue, "the image size is unknown, so the mask cannot be encoded or measured",
                                  context: ErrorContext(imageID: sample.id),
                                  hint: "results files give image sizes only through RLE masks")
        }
    }

    private func appendSegmentation(_ geometry: Geometry, mask: () throws -> RLE, into out: inout [UInt8]) throws {
        switch (options.segmentation, geometry) {
        case (_, .compressedRLE(let r)):
            appendCompressed(height: r.height, width: r.width, counts: Array(r.counts.utf8), into: &out)
        case (.keep, .polygons(let parts)), (.polygon, .polygons(let parts)):
            out.append(ASCII.openBracket)
            for (k, part) in parts.enumerated() {
                if k > 0 { out.append(ASCII.comma) }
                out.append(ASCII.openBracket)
                for (j, value) in part.enumerated() {
                    if j > 0 { out.append(ASCII.comma) }
                    out.appendNumber(value)
                }
                out.append(ASCII.closeBracket)
            }
            out.append(ASCII.closeBracket)
        case (.keep, .rle(let r)):
            out.appendText("{\"size\":[")
            out.appendInteger(Int64(r.height))
            out.append(ASCII.comma)
            out.appendInteger(Int64(r.width))
            out.appendText("],\"counts\":[")
            for (k, count) in r.counts.enumerated() {
                if k > 0 { out.append(ASCII.comma) }
                out.appendInteger(Int64(count))
            }
            out.appendText("]}")
        default:
            let rle = try mask()
            var counts: [UInt8] = []
            counts.reserveCapacity(rle.counts.count * 2)
            rle.appendCompressed(to: &counts)
            appendCompressed(height: rle.height, width: rle.width, counts: counts, into: &out)
        }
    }

    private func appendCompressed(height: Int, width: Int, counts: [UInt8], into out: inout [UInt8]) {
        out.appendText("{\"size\":[")
        out.appendInteger(Int64(height))
        out.append(ASCII.comma)
        out.appendInteger(Int64(width))
        out.appendText("],\"counts\":")
        out.appendRLEString(counts)
        out.append(ASCII.closeBrace)
    }

    private func renderPanoptic(_ sample: Sample, into out: inout Rendered) throws {
        guard let record = sample.panoptic else { return }
        var plane: LabelPlane?
        var text: [UInt8] = []
        text.appendText("{\"image_id\":")
        text.appendInteger(sample.id)
        text.appendText(",\"file_name\":")
        text.appendString(record.fileName)
        text.appendText(",\"segments_info\":[")
        for (k, segment) in sample.instances.enumerated() {
            guard case .labelValue(let own, let value) = segment.geometry, plane.map({ $0 === own }) ?? true else {
                throw ConversionError(.unsupported, "panoptic output needs every segment of an image cut from one segment-id plane",
                                      context: ErrorContext(imageID: sample.id, annotationID: segment.id),
                                      hint: "use --segmentation rle to write detection-style COCO instead")
            }
            plane = own
            if k > 0 { text.append(ASCII.comma) }
            text.appendText("{\"id\":")
            text.appendInteger(Int64(value))
            text.appendText(",\"category_id\":")
            text.appendInteger(segment.categoryID)
            text.appendText(",\"iscrowd\":")
            text.append(segment.isCrowd ? UInt8(ascii: "1") : ASCII.zero)
            var area = segment.area
            var box = segment.bbox
            if options.recompute || area == nil || box == nil {
                let rle = try segment.geometry.rle(height: sample.height, width: sample.width, limits: limits)
                area = options.recompute ? Double(rle.area) : (area ?? Double(rle.area))
                box = options.recompute ? rle.boundingBox : (box ?? rle.boundingBox)
            }
            if let area {
                text.appendText(",\"area\":")
                text.appendNumber(area)
            }
            if let box {
                text.appendText(",\"bbox\":")
                text.appendBox(box)
            }
            text.appendExtras(segment.extra)
            text.append(ASCII.closeBrace)
        }
        text.append(ASCII.closeBracket)
        text.appendExtras(record.extra)
        out.annotations = text
        out.annotationEnds = [text.count]
        out.annotationIDs = [nil]
        out.instanceCount = sample.instances.count
        if let plane {
            let name = try SafePath.component(record.fileName, context: ErrorContext(imageID: sample.id, field: "file_name"))
            out.png = (name, try PanopticPNG.encode(plane))
        }
    }

    public func commit(_ rendered: Rendered) throws {
        guard let output else { preconditionFailure("COCOWriter.commit before begin") }
        summary.samples += 1
        summary.instances += rendered.instanceCount
        if form != .results {
            if imagesWritten > 0 { try output.write([ASCII.comma]) }
            try output.write(rendered.image)
            imagesWritten += 1
        }
        let sink = annotationsScratch ?? output
        if rendered.complete {
            guard rendered.instanceCount > 0 else { return }
            if annotationsWritten > 0 { try sink.write([ASCII.comma]) }
            try sink.write(rendered.annotations)
            annotationsWritten += rendered.instanceCount
            highestID = max(highestID, rendered.highestID)
            return
        }
        var start = 0
        var piece: [UInt8] = []
        piece.reserveCapacity(rendered.annotations.count + rendered.annotationEnds.count * 24)
        for (k, end) in rendered.annotationEnds.enumerated() {
            if annotationsWritten > 0 { piece.append(ASCII.comma) }
            piece.append(contentsOf: rendered.annotations[start..<end])
            start = end
            annotationsWritten += 1
            if form == .panoptic {
                piece.append(ASCII.closeBrace)
                continue
            }
            let id: Int64?
            if let own = rendered.annotationIDs[k] {
                id = own
            } else if form == .results && !renumber {
                id = nil
            } else {
                id = renumber ? Int64(annotationsWritten) : highestID &+ 1
            }
            if let id {
                highestID = max(highestID, id)
                piece.appendText(",\"id\":")
                piece.appendInteger(id)
            }
            piece.append(ASCII.closeBrace)
        }
        try sink.write(piece)
        if let png = rendered.png, let directory = panopticDirectory {
            try AtomicFile.write(png.bytes, to: directory + "/" + png.name)
            summary.files += 1
            summary.bytes += Int64(png.bytes.count)
        }
    }

    public func finish() throws -> WriteSummary {
        guard let output, let header else { preconditionFailure("COCOWriter.finish before begin") }
        if form == .results {
            try output.write("]\n")
        } else {
            try output.write("],\"annotations\":[")
            if let scratch = annotationsScratch {
                try output.append(contentsOf: scratch)
                scratch.discard()
            }
            var tail: [UInt8] = []
            tail.appendText("],\"categories\":[")
            for (k, category) in header.categories.enumerated() {
                if k > 0 { tail.append(ASCII.comma) }
                tail.appendText("{\"id\":")
                tail.appendInteger(category.id)
                tail.appendText(",\"name\":")
                tail.appendString(category.name)
                if let supercategory = category.supercategory {
                    tail.appendText(",\"supercategory\":")
                    tail.appendString(supercategory)
                }
                if let isThing = category.isThing {
                    tail.appendText(",\"isthing\":")
                    tail.append(isThing ? UInt8(ascii: "1") : ASCII.zero)
                }
                if let color = category.color {
                    tail.appendText(",\"color\":[")
                    tail.appendInteger(Int64(color.r))
                    tail.append(ASCII.comma)
                    tail.appendInteger(Int64(color.g))
                    tail.append(ASCII.comma)
                    tail.appendInteger(Int64(color.b))
                    tail.append(ASCII.closeBracket)
                }
                tail.appendExtras(category.extra)
                tail.append(ASCII.closeBrace)
            }
            tail.append(ASCII.closeBracket)
            tail.appendExtras(header.extra)
            tail.appendText("}\n")
            try output.write(tail)
        }
        summary.bytes += output.bytesWritten
        try output.commit()
        summary.files += 1
        self.output = nil
        return summary
    }
}
