/// A dense, row-major plane of label values: what a painter produces and a PNG encoder writes.
///
/// Values are `UInt16`, enough for 65 535 classes or instances; `maxValue` decides whether a PNG
/// writer can use 8 bits per pixel.
public struct LabelMap: Sendable, Hashable {
    public let width: Int
    public let height: Int
    /// Row-major values, `pixels[y * width + x]`; `pixels.count == width * height`.
    public var pixels: [UInt16]
    /// The largest value in `pixels` (kept up to date by the painter; recompute with ``computeMaxValue()``).
    public var maxValue: UInt16

    /// A map filled with `value`.
    public init(width: Int, height: Int, filledWith value: UInt16 = 0) {
        self.width = max(0, width)
        self.height = max(0, height)
        self.pixels = [UInt16](repeating: value, count: self.width * self.height)
        self.maxValue = value
    }

    /// A map over existing pixels; `maxValue` is computed.
    /// - Precondition: `pixels.count == width * height`.
    public init(width: Int, height: Int, pixels: [UInt16]) {
        self.init(width: width, height: height, pixels: pixels, maxValue: 0)
        maxValue = computeMaxValue()
    }

    /// A map over existing pixels whose largest value the caller knows (no scan); `maxValue` may
    /// exceed the largest value present, as the painter's does, but never be below it.
    /// - Precondition: `pixels.count == width * height`.
    public init(width: Int, height: Int, pixels: [UInt16], maxValue: UInt16) {
        precondition(width >= 0 && height >= 0 && pixels.count == width * height,
                     "LabelMap: pixel count does not match size")
        self.width = width
        self.height = height
        self.pixels = pixels
        self.maxValue = maxValue
    }

    /// The largest value actually present.
    public func computeMaxValue() -> UInt16 {
        pixels.withUnsafeBufferPointer { buffer in
            var m: UInt16 = 0
            for v in buffer where v > m { m = v }
            return m
        }
    }

    /// The value at column `x`, row `y`.
    public subscript(x: Int, y: Int) -> UInt16 {
        get { pixels[y * width + x] }
        set {
            pixels[y * width + x] = newValue
            if newValue > maxValue { maxValue = newValue }
        }
    }
}
