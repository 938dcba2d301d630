import CocoConvertCore

/// What `cococonvert inspect` reports about a COCO file: counts, histograms and problems.
///
/// `Encodable` for `--json` (encode with `.convertToSnakeCase` keys).
public struct COCOInspection: Sendable, Encodable {
    /// One category and how many instances use it.
    public struct CategoryCount: Sendable, Encodable, Hashable {
        public var id: Int64
        /// nil for ids used by annotations but not declared in `categories`.
        public var name: String?
        public var instances: Int
        public var crowd: Int
    }

    /// How many images have one size.
    public struct SizeCount: Sendable, Encodable, Hashable {
        public var width: Int64
        public var height: Int64
        public var images: Int
    }

    /// One problem, as `--on-error skip` would report it.
    public struct Problem: Sendable, Encodable, Hashable {
        public var code: String
        public var message: String
        public var byteOffset: Int?
        public var imageID: Int64?
        public var annotationID: Int64?
        public var field: String?
        public var hint: String?

        init(_ error: ConversionError) {
            code = error.code.name
            message = error.message
            byteOffset = error.context.byteOffset
            imageID = error.context.imageID
            annotationID = error.context.annotationID
            field = error.context.field
            hint = error.hint
        }
    }

    /// The inspected file.
    public var path: String
    /// Always `coco` (other formats may extend `inspect` later).
    public var format = "coco"
    /// `instances`, `stuff`, `results` or `panoptic`.
    public var kind: String
    public var fileBytes: Int64
    /// The split from the file name (`val2017`), if any.
    public var split: String?
    /// Image records (results files: distinct image ids).
    public var images: Int
    /// Annotation records (panoptic: one per image).
    public var annotations: Int
    /// Annotations, or panoptic segments.
    public var instances: Int
    /// Declared categories.
    public var categories: Int
    /// Instances with `iscrowd` 1.
    public var crowd: Int
    public var imagesWithoutAnnotations: Int
    /// Annotations by segmentation form: `polygons`, `uncompressed_rle`, `compressed_rle`, `none`, `other`.
    public var segmentation: [String: Int]
    /// Every category (declared or used), by id.
    public var perCategory: [CategoryCount]
    /// Image sizes, most frequent first.
    public var imageSizes: [SizeCount]
    /// The image directory checked (deep inspection), if any.
    public var imagesDirectory: String?
    /// Image files missing from `imagesDirectory` (deep inspection only).
    public var imagesMissing: Int?
    /// Whether every record was parsed and validated (`--deep`), or only indexed.
    public var deep: Bool
    /// The first problems found (at most the limit asked for), in file order.
    public var problems: [Problem]
    /// How many problems there are in all.
    public var problemCount: Int
    /// Time spent reading the file.
    public var seconds: Double

    /// Reading speed in MB/s (10⁶ bytes).
    public var megabytesPerSecond: Double {
        seconds > 0 ? Double(fileBytes) / 1e6 / seconds : 0
    }
}
