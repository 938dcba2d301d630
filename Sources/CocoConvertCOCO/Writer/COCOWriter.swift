import Foundation
import CocoConvertCore

/// Writes a COCO annotation file as a stream: memory does not grow with the dataset.
///
/// ``begin(_:)`` opens the output; its ``COCORenderer`` formats the records on every core, and its
/// ``COCOSink`` writes image records straight into the output (under a temporary name) and
/// annotation records into a scratch file beside it; ``COCOSink/finish()`` appends the
/// annotations, then `categories` and the other top-level members, and renames the file into
/// place. Key order: `info`, `licenses`, `images`, `annotations`, `categories`, then unknown
/// top-level members.
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
public final class COCOWriter: DatasetWriter {
    /// One sample's output, made concurrently by ``COCORenderer/render(_:)``.
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

    /// Which of the three output forms a run writes.
    enum Form: Sendable { case detection, results, panoptic }

    /// The output file.
    public let path: String
    public let options: COCOWriterOptions
    private let limits: Limits

    /// A writer for `path` (a `.json` file; its directory must exist).
    public init(path: String, options: COCOWriterOptions = COCOWriterOptions(), limits: Limits = .standard) {
        self.path = path
        self.options = options
        self.limits = limits
    }

    /// Chooses the output form from `header`, opens the output and writes its beginning.
    public func begin(_ header: DatasetHeader) throws -> (renderer: COCORenderer, sink: COCOSink) {
        let form: Form
        if header.kind == .results {
            form = .results
        } else if header.kind == .panoptic && options.segmentation == .keep {
            form = .panoptic
        } else {
            form = .detection
        }
        let renumber = options.annotationIDs == .renumber || (header.kind == .panoptic && form == .detection)
        if renumber && header.partition != nil {
            throw ConversionError(.usage, "annotation ids are renumbered (--annotation-ids renumber, or panoptic segments as detections), and one partition cannot know how many annotations the partitions before it hold",
                                  hint: "convert without --partitions, or keep the source's annotation ids")
        }
        let renderer = COCORenderer(form: form, renumber: renumber, options: options, limits: limits)
        // One partition of several writes its share of the JSON as a part (see PartitionContext).
        if let partition = header.partition {
            try FileManager.default.createDirectory(atPath: partition.partDirectory, withIntermediateDirectories: true)
        }
        let output = try OutputFile(destination: header.partition?.indexPath(for: path) ?? path)
        if form == .results {
            try output.write("[")
            var notes: [String] = []
            if options.recompute && options.recomputeResults.isEmpty {
                notes.append("--recompute left area and bbox of the results list as the source had them: pycocotools' loadRes takes area from a bbox when there is one, so adding it would change COCOeval's numbers (--recompute-results area,bbox computes them anyway)")
            }
            return (renderer, COCOSink(form: form, renumber: renumber, header: header, panopticDirectory: nil,
                                       output: output, annotationsScratch: nil, notes: notes))
        }
        var panopticDirectory: String?
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
        let annotationsScratch = try OutputFile(destination: path, tag: "annotations")
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
        return (renderer, COCOSink(form: form, renumber: renumber, header: header, panopticDirectory: panopticDirectory,
                                   output: output, annotationsScratch: annotationsScratch))
    }
}
