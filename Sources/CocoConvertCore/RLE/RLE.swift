/// A COCO run-length encoded binary mask (`maskApi.c`'s `RLE`).
///
/// Pixels are enumerated column-major (index = x·height + y). `counts` alternate runs of 0s and 1s,
/// starting with 0s (the first count is 0 when the first pixel is set). The counts of a valid RLE
/// sum to `height × width`.
public struct RLE: Hashable, Sendable {
    public var height: Int
    public var width: Int
    public var counts: [UInt32]

    /// Creates an RLE without validation; use ``validated()`` on data from a file.
    public init(height: Int, width: Int, counts: [UInt32]) {
        self.height = height
        self.width = width
        self.counts = counts
    }
}
