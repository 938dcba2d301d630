import CocoConvertCore

/// A top-level member of the COCO object other than `images` and `annotations`, kept as raw bytes.
struct TopLevelMember {
    var key: String
    /// File offset of the value's first byte.
    var offset: Int64
    var bytes: [UInt8]
}

/// What pass 1 learns about a COCO file: where every image and annotation record is, grouped by image.
///
/// Memory: per image 24 bytes (offset, length, id, first annotation); per annotation 16 bytes
/// (offset, length, next annotation of the same image). Records themselves are not kept.
struct COCOIndex {
    var kind: DatasetKind
    /// True when the file is a bare array (a results file).
    var isResultsArray: Bool
    /// `categories`, `info`, `licenses` and unknown top-level members, in file order.
    var topLevel: [TopLevelMember]

    /// Byte offset of each image record; -1 for images made up from annotations (results files).
    var imageOffsets = BlockArray<Int64>()
    var imageLengths = BlockArray<UInt32>()
    var imageIDs = BlockArray<Int64>()
    /// First annotation of each image (index into the annotation arrays), -1 when none.
    var imageFirstAnnotation = BlockArray<Int32>()

    var annotationOffsets = BlockArray<Int64>()
    var annotationLengths = BlockArray<UInt32>()
    /// Next annotation of the same image, in file order; -1 at the end.
    var annotationNext = BlockArray<Int32>()

    /// Problems that made pass 1 leave a record out (the reader reports them).
    var problems: [ConversionError]
    /// Total number of such problems (`problems` may hold only the first ones).
    var problemCount: Int
    /// Problems pass 2 will find again on its own (reported by `inspect` only).
    var findings: [ConversionError]
    var findingCount: Int
    var statistics: COCOStatistics

    var imageCount: Int { imageOffsets.count }
    var annotationCount: Int { annotationOffsets.count }
}
