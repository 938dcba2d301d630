import ArgumentParser
import CocoConvertCOCO

/// Options of the COCO reader and writer (`--images` and `--on-error` are common options).
struct COCOOptions: ParsableArguments {
    @Option(name: .customLong("segmentation"),
            help: "COCO output masks: keep (as read), rle (all compressed RLE strings, pycocotools-exact), polygon (polygons where the source has them, compressed RLE otherwise).")
    var segmentation: SegmentationMode = .keep

    @Flag(name: .customLong("recompute"),
          help: "COCO output: compute area and bbox from the masks (pycocotools area/toBbox) instead of keeping them as read.")
    var recompute = false

    @Option(name: .customLong("annotation-ids"),
            help: "COCO output annotation ids: keep (as read) or renumber (1, 2, 3… in output order).")
    var annotationIDs: AnnotationIDMode = .keep

    /// The writer options these flags select.
    var writerOptions: COCOWriterOptions {
        COCOWriterOptions(segmentation: segmentation, recompute: recompute, annotationIDs: annotationIDs)
    }
}

extension SegmentationMode: ExpressibleByArgument {}
extension AnnotationIDMode: ExpressibleByArgument {}
