import CocoConvertCore

/// COCO JSON as a cococonvert format: instances, COCO-Stuff, results lists and panoptic, read and
/// written as streams (formats/coco.md).
public enum COCOFormat {
    public static let plugin = FormatPlugin(
        name: "coco",
        summary: "COCO JSON annotation files (streamed; memory does not grow with the file)",
        reader: ReaderPlugin(
            accepts: "instances (polygons, crowd RLE), COCO-Stuff (compressed RLE), results lists, panoptic (JSON + segment PNGs)",
            options: [SharedOptions.images],
            detect: detect,
            configure: { values in
                let images = values.string("images")
                return { input, skips in try COCOReader(path: input, imagesDirectory: images, skips: skips) }
            }),
        writer: WriterPlugin(
            produces: "COCO JSON: --segmentation keep|rle|polygon (masks traced exactly), --recompute, --annotation-ids keep|renumber; panoptic stays panoptic with keep",
            output: .file(example: "instances.json"),
            options: [
                .choice("segmentation", SegmentationMode.self,
                        help: "Masks: keep (as read), rle (all compressed RLE strings, pycocotools-exact), polygon (polygons; other non-crowd masks traced exactly to pixel-corner polygons, crowd masks stay compressed RLE)."),
                .value("simplify", "PX", help: "With --segmentation polygon: simplify traced polygons with this pixel tolerance, keeping topology (default 0: exact)."),
                .flag("crowd-polygons", help: "With --segmentation polygon: trace crowd masks to polygons too (default: they stay compressed RLE)."),
                .flag("recompute", help: "Compute area and bbox from the masks (pycocotools area/toBbox) instead of keeping them as read. Results lists keep theirs (see --recompute-results)."),
                .value("recompute-results", "FIELDS", help: "Results lists only: compute these fields from the masks (area, bbox or area,bbox). Default none: a bbox makes pycocotools' loadRes take area from it, which changes COCOeval's numbers."),
                .choice("annotation-ids", AnnotationIDMode.self, help: "Annotation ids: keep (as read) or renumber (1, 2, 3… in output order)."),
            ],
            createdPaths: { [$0, COCOLayout.panopticDirectory(forAnnotationFile: $0)] },
            partitionUnit: WriterPlugin.onePerSample,
            configure: { values in
                var options = COCOWriterOptions(segmentation: try values.choice("segmentation", as: SegmentationMode.self) ?? .keep,
                                                recompute: values.flag("recompute"),
                                                annotationIDs: try values.choice("annotation-ids", as: AnnotationIDMode.self) ?? .keep,
                                                recomputeResults: try values.string("recompute-results").map(COCOWriterOptions.parseResultFields) ?? [])
                if values.has("simplify") || values.flag("crowd-polygons"), options.segmentation != .polygon {
                    throw ConversionError(.usage, "--simplify and --crowd-polygons apply to traced polygons only",
                                          hint: "add --segmentation polygon")
                }
                if let text = values.string("simplify") {
                    guard let px = Double(text), px.isFinite, px >= 0, px <= 1_000_000 else {
                        throw ConversionError(.usage, "--simplify takes a pixel tolerance ≥ 0, not \"\(text)\"",
                                              hint: "for example --simplify 1; 0 keeps the exact polygons")
                    }
                    options.simplify = px
                }
                options.crowdPolygons = values.flag("crowd-polygons")
                return { output, _ in COCOWriter(path: output, options: options) }
            }).describing(owns: ["*.png"], losses: { values in
                var losses: [Loss] = []
                if values.string("segmentation") == SegmentationMode.rle.rawValue {
                    losses.append(Loss(.polygons, "become compressed RLE (--segmentation rle)"))
                }
                if values.string("annotation-ids") == AnnotationIDMode.renumber.rawValue {
                    losses.append(Loss(.annotationIDs, "renumbered 1, 2, 3… (--annotation-ids renumber)"))
                }
                if values.flag("recompute") {
                    losses.append(Loss(.storedAreaAndBox, "replaced by values computed from the masks (--recompute)"))
                }
                return losses
            }, preview: { values, header, facts in
                let panoptic = header.kind == .panoptic
                return OutputPreview(files: 1 + (panoptic ? facts.samples : 0),
                                     bytes: Int64(facts.samples) * 150 + Int64(facts.instances) * 500 + (panoptic ? facts.labelMapBytes : 0),
                                     lines: ["--segmentation \(values.string("segmentation") ?? "keep"), --annotation-ids \(values.string("annotation-ids") ?? "keep")"])
            }),
        inspector: { request in
            let inspection = try COCOInspector.inspect(
                path: request.path,
                options: COCOInspector.Options(deep: request.deep, imagesDirectory: request.images, problemLimit: request.problemLimit))
            var result = Inspection(table: inspection.table, json: inspection.jsonText)
            result.problemCount = inspection.problemCount
            return result
        })

    /// A JSON file whose first keys are COCO's: an object with `images`/`annotations`/`categories`
    /// (`segments_info` for panoptic), or an array of results with `image_id` and `category_id`.
    static func detect(_ probe: InputProbe) -> Detection? {
        guard probe.exists, !probe.isDirectory else { return nil }
        let text = probe.headText
        switch probe.firstSignificantByte {
        case UInt8(ascii: "{"):
            if text.contains("\"segments_info\"") { return Detection(confidence: 95, "a COCO panoptic JSON file") }
            let keys = ["\"images\"", "\"annotations\"", "\"categories\""].filter { text.contains($0) }.count
            if keys >= 2 { return Detection(confidence: 95, "a COCO annotation JSON file") }
            if keys == 1 { return Detection(confidence: 60, "a JSON file with a COCO key") }
            // COCO keys may come after a large `info`; a .json object is still most likely COCO.
            return probe.fileExtension == "json" ? Detection(confidence: 45, "a JSON object without COCO keys in its first 64 KiB") : nil
        case UInt8(ascii: "["):
            if text.contains("\"image_id\"") && text.contains("\"category_id\"") {
                return Detection(confidence: 90, "a COCO results list")
            }
            return probe.fileExtension == "json" ? Detection(confidence: 10, "a JSON array") : nil
        default:
            return nil
        }
    }
}
