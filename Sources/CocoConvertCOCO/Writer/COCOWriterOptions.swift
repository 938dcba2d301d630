import CocoConvertCore

/// How the COCO writer writes `segmentation`.
public enum SegmentationMode: String, Sendable, CaseIterable {
    /// As read: polygons stay polygons, list-count RLE stays uncompressed, strings stay strings.
    /// Masks that come from label planes (panoptic, PNG, VOC) are written as compressed RLE.
    case keep
    /// Every mask as compressed RLE (`counts` a string), exactly as pycocotools `annToRLE` + `encode`.
    case rle
    /// Polygons where the source has polygons; every other non-crowd mask traced to exact pixel-corner
    /// polygons (``MaskPolygons/trace(_:simplify:limits:)``, holes keyholed); crowd and empty masks as
    /// compressed RLE (crowd masks traced too with ``COCOWriterOptions/crowdPolygons``).
    case polygon
}

/// Which annotation ids the COCO writer writes.
public enum AnnotationIDMode: String, Sendable, CaseIterable {
    /// The source's ids; annotations without one get the next id above every id written so far.
    case keep
    /// 1, 2, 3... in output order.
    case renumber
}

/// A field of a results record `--recompute-results` may compute from the mask.
public enum ResultField: String, Sendable, Hashable, CaseIterable {
    case area
    case bbox
}

/// Options of ``COCOWriter``.
public struct COCOWriterOptions: Sendable, Hashable {
    public var segmentation: SegmentationMode
    /// Compute `area` and `bbox` from the mask (pycocotools `area`/`toBbox`) instead of keeping them.
    /// Not for results lists: see ``recomputeResults``.
    public var recompute: Bool
    public var annotationIDs: AnnotationIDMode
    /// The fields of results records computed from the mask (`--recompute-results area,bbox`). Empty by
    /// default, whatever `recompute` says: pycocotools' `loadRes` derives `area` from the mask only when
    /// a record has no `bbox` (with one it takes `bbox` w×h), so adding either changes COCOeval's numbers.
    public var recomputeResults: Set<ResultField>
    /// With ``SegmentationMode/polygon``: pixel tolerance for simplifying traced polygons (0 = exact).
    public var simplify: Double
    /// With ``SegmentationMode/polygon``: trace crowd masks to polygons too.
    public var crowdPolygons: Bool

    public init(segmentation: SegmentationMode = .keep, recompute: Bool = false, annotationIDs: AnnotationIDMode = .keep,
                recomputeResults: Set<ResultField> = [], simplify: Double = 0, crowdPolygons: Bool = false) {
        self.segmentation = segmentation
        self.recompute = recompute
        self.annotationIDs = annotationIDs
        self.recomputeResults = recomputeResults
        self.simplify = simplify
        self.crowdPolygons = crowdPolygons
    }

    /// Parses `--recompute-results`: `area`, `bbox` or both, comma-separated.
    public static func parseResultFields(_ text: String) throws -> Set<ResultField> {
        var fields: Set<ResultField> = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            guard let field = ResultField(rawValue: String(part).lowercased()) else {
                throw ConversionError(.usage, "--recompute-results '\(text)': '\(part)' is not a results field",
                                      hint: "give area, bbox or area,bbox")
            }
            fields.insert(field)
        }
        return fields
    }
}
