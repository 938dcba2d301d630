/// Counts gathered while indexing, for `inspect`.
struct COCOStatistics {
    /// Image records seen.
    var images = 0
    /// Annotation records seen (panoptic: per-image records).
    var annotationRecords = 0
    /// Instances: annotations, or panoptic segments.
    var instances = 0
    var crowd = 0
    /// Instances per category id (all records, before any is left out).
    var perCategory: [Int64: Int] = [:]
    /// Crowd instances per category id.
    var crowdPerCategory: [Int64: Int] = [:]
    /// Images per (width, height).
    var sizes: [ImageSize: Int] = [:]
    var polygons = 0
    var uncompressedRLE = 0
    var compressedRLE = 0
    var noSegmentation = 0
    var otherSegmentation = 0
    /// Images with no annotation linked to them.
    var imagesWithoutAnnotations = 0
    var fileBytes: Int64 = 0
}

/// An image size, as a histogram key.
struct ImageSize: Hashable {
    var width: Int64
    var height: Int64
}
