/// A COCO run-length encoded binary mask (`maskApi.c`'s `RLE`).
///
/// Pixels are enumerated column-major (index = x·height + y). `counts` alternate runs of 0s and 1s,
/// starting with 0s (the first count is 0 when the first pixel is set). The counts of a valid RLE
/// sum to `height × width`.
///
/// The memberwise initialiser does not validate; use ``validated(limits:)`` on data from a file.
/// Every other initialiser (``init(compressed:height:width:limits:)``, ``init(polygons:height:width:limits:)``,
/// ``init(box:height:width:limits:)``, ``init(encodingColumnMajor:height:width:)``) produces a valid RLE or throws.
public struct RLE: Hashable, Sendable {
    public var height: Int
    public var width: Int
    public var counts: [UInt32]

    /// Creates an RLE without validation; use ``validated(limits:)`` on data from a file.
    public init(height: Int, width: Int, counts: [UInt32]) {
        self.height = height
        self.width = width
        self.counts = counts
    }

    /// An all-background mask of the given size (`counts == [height·width]`).
    ///
    /// - Precondition: `height ≥ 0`, `width ≥ 0`, `height·width ≤ UInt32.max`.
    public init(emptyHeight height: Int, width: Int) {
        precondition(height >= 0 && width >= 0 && height.multipliedFullWidth(by: width).high == 0
                     && height * width <= Int(UInt32.max), "RLE: invalid size")
        self.init(height: height, width: width, counts: [UInt32(height * width)])
    }

    /// Number of pixels, `height × width`, or `nil` if the size is negative or overflows.
    @inlinable
    public var pixelCount: Int? {
        guard height >= 0, width >= 0 else { return nil }
        let (product, overflow) = height.multipliedReportingOverflow(by: width)
        return overflow ? nil : product
    }

    /// Checks a mask size from a file: both sides positive, `height·width` within `limits.maxPixels`
    /// and within `UInt32` (the count type). Returns `height·width`.
    public static func checkedPixelCount(height: Int, width: Int, limits: Limits = .standard) throws -> Int {
        guard height > 0, width > 0 else {
            throw ConversionError(.invalidMask, "mask size \(height)×\(width) (height×width) is not positive",
                                  context: ErrorContext(field: "size"),
                                  hint: "COCO `size` is [height, width]; both must be at least 1")
        }
        let (product, overflow) = height.multipliedReportingOverflow(by: width)
        let cap = min(limits.maxPixels, Int(UInt32.max))
        guard !overflow, product <= cap else {
            throw ConversionError(.limitExceeded,
                                  "mask size \(height)×\(width) exceeds the limit of \(cap) pixels",
                                  context: ErrorContext(field: "size"),
                                  hint: "check the image size, or raise the pixel limit if the image is genuine")
        }
        return product
    }
}
