import CocoConvertCore

/// Geometry ↔ the `instances/rle` column (COCO compressed RLE strings).
enum MaskEncoding {
    /// The compressed RLE string of `geometry` at its own size (`height × width` for polygons, which
    /// have none): compressed strings verbatim, everything else encoded exactly (pycocotools rules).
    static func compressedCounts(of geometry: Geometry, height: Int, width: Int, limits: Limits = .standard) throws -> String {
        switch geometry {
        case .none:
            return ""
        case .compressedRLE(let c):
            return c.counts
        case .rle(let r):
            return try r.validated(limits: limits).compressedString
        case .polygons(let parts):
            return try RLE(polygons: parts, height: height, width: width, limits: limits).compressedString
        case .labelValue(let plane, let value):
            _ = try RLE.checkedPixelCount(height: plane.height, width: plane.width, limits: limits)
            return RLE(labelPlane: plane, equalTo: value).compressedString
        }
    }

    /// The uncompressed (`counts` list) form of a stored crowd mask.
    static func uncompressed(_ compressed: CompressedRLE, limits: Limits = .standard) throws -> Geometry {
        .rle(try RLE(compressed, limits: limits))
    }
}
