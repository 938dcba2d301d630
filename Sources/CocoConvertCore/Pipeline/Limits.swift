/// Bounds that protect against hostile or corrupt input.
public struct Limits: Sendable, Hashable {
    /// Largest `width × height` accepted for one image or mask (default 2³¹ − 1 pixels).
    public var maxPixels: Int
    /// Largest number of vertices accepted in one polygon part.
    public var maxPolygonPoints: Int

    public init(maxPixels: Int = Int(Int32.max), maxPolygonPoints: Int = 1 << 22) {
        self.maxPixels = maxPixels
        self.maxPolygonPoints = maxPolygonPoints
    }

    public static let standard = Limits()
}
