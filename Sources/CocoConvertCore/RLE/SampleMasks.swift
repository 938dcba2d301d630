/// The exact masks of one sample's instances, computed on demand.
///
/// Instances cut from one label plane (`.labelValue`: a VOC object map, a PNG label map, a panoptic
/// id PNG) share their source: the first request encodes the whole plane once, for every value, with
/// ``RLELabelEncoder``, instead of scanning the plane once per instance. Not thread-safe: make one per
/// sample and render.
public final class SampleMasks {
    public let height: Int
    public let width: Int
    public let limits: Limits
    private var planes: [ObjectIdentifier: [UInt32: RLE]] = [:]

    /// Masks for a `height × width` sample.
    public init(height: Int, width: Int, limits: Limits = .standard) {
        self.height = height
        self.width = width
        self.limits = limits
    }

    /// The mask of `geometry`; identical to `geometry.rle(height:width:limits:)`.
    public func rle(for geometry: Geometry) throws -> RLE {
        guard case .labelValue(let plane, let value) = geometry, plane.width == width, plane.height == height,
              height > 0, width > 0, height.multipliedReportingOverflow(by: width).partialValue <= limits.maxPixels,
              !height.multipliedReportingOverflow(by: width).overflow
        else {
            return try geometry.rle(height: height, width: width, limits: limits)
        }
        let key = ObjectIdentifier(plane)
        if planes[key] == nil {
            planes[key] = Self.encodeAll(plane)
        }
        return planes[key]?[value] ?? RLE(height: height, width: width, counts: [UInt32(height * width)])
    }

    private static func encodeAll(_ plane: LabelPlane) -> [UInt32: RLE] {
        var encoder = RLELabelEncoder(height: plane.height, width: plane.width)
        plane.pixels.withUnsafeBufferPointer { pixels in
            for y in 0..<plane.height {
                encoder.appendRow(UnsafeBufferPointer(rebasing: pixels[(y * plane.width)..<((y + 1) * plane.width)]))
            }
        }
        var masks: [UInt32: RLE] = [:]
        for (value, rle) in encoder.finish() { masks[value] = rle }
        return masks
    }
}
