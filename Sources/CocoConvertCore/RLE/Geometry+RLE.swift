// Any instance geometry as an exact COCO RLE.

extension Geometry {
    /// The geometry as an RLE of `height × width` (the image size), exactly as pycocotools `annToRLE`:
    /// polygons are rasterised and unioned, uncompressed RLE is validated, compressed RLE decoded,
    /// `.labelValue` selects the plane's pixels equal to the value, and `.none` gives an all-zero mask.
    ///
    /// Throws ``ConversionError/Code/sizeMismatch`` when an RLE's or plane's size differs from
    /// `height × width`, and the errors of the underlying decoders otherwise.
    public func rle(height: Int, width: Int, limits: Limits = .standard) throws -> RLE {
        switch self {
        case .none:
            let total = try RLE.checkedPixelCount(height: height, width: width, limits: limits)
            return RLE(height: height, width: width, counts: [UInt32(total)])
        case .polygons(let polygons):
            return try RLE(polygons: polygons, height: height, width: width, limits: limits)
        case .rle(let rle):
            try Geometry.checkSize(rle.height, rle.width, height, width, what: "RLE")
            return try rle.validated(limits: limits)
        case .compressedRLE(let compressed):
            try Geometry.checkSize(compressed.height, compressed.width, height, width, what: "RLE")
            return try RLE(compressed, limits: limits)
        case .labelValue(let plane, let value):
            try Geometry.checkSize(plane.height, plane.width, height, width, what: "label plane")
            _ = try RLE.checkedPixelCount(height: height, width: width, limits: limits)
            return RLE(labelPlane: plane, equalTo: value)
        }
    }

    static func checkSize(_ h: Int, _ w: Int, _ height: Int, _ width: Int, what: String) throws {
        guard h == height, w == width else {
            throw ConversionError(.sizeMismatch,
                                  "the \(what) is \(h)×\(w) (height×width) but the image is \(height)×\(width)",
                                  context: ErrorContext(field: "segmentation"),
                                  hint: "the mask must have the image's size")
        }
    }
}

extension RLE {
    /// The mask of the pixels of `plane` that equal `value`.
    ///
    /// - Precondition: the plane's size fits `UInt32` pixels.
    public init(labelPlane plane: LabelPlane, equalTo value: UInt32) {
        var encoder = RLERowEncoder(height: plane.height, width: plane.width)
        plane.pixels.withUnsafeBufferPointer { pixels in
            for y in 0..<plane.height {
                encoder.appendRow(UnsafeBufferPointer(rebasing: pixels[(y * plane.width)..<((y + 1) * plane.width)]),
                                  equalTo: value)
            }
        }
        self = encoder.finish()
    }
}
