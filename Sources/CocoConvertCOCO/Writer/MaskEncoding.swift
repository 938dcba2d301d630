import CocoConvertCore

/// The mask work the COCO writer needs (compressed RLE, area, box), in one place.
enum MaskEncoding {
    /// The compressed RLE string of `geometry` on a `height × width` image, as ASCII bytes.
    static func compressedString(_ geometry: Geometry, height: Int, width: Int, limits: Limits) throws -> [UInt8] {
        throw unavailable
    }

    /// pycocotools `area` and `toBbox` of `geometry` on a `height × width` image.
    static func measures(_ geometry: Geometry, height: Int, width: Int, limits: Limits) throws -> (area: Double, box: BoundingBox) {
        throw unavailable
    }

    private static var unavailable: ConversionError {
        ConversionError(.unsupported, "mask encoding needs the RLE kernels, which are not in this build yet")
    }
}
