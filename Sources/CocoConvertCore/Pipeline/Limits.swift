import Synchronization

/// Bounds that protect against hostile or corrupt input: checked before anything is allocated for
/// an image or a polygon, so a 300-byte file cannot make a run allocate gigabytes.
public struct Limits: Sendable, Hashable {
    /// Largest `width × height` accepted for one image or mask (default 2²⁸ = 268,435,456 pixels,
    /// 16384 × 16384). A worker needs about 4 bytes per pixel of its largest image (a 16-bit label map
    /// and its encoded form), so the default bounds a worker near 1 GiB.
    public var maxPixels: Int
    /// Largest number of vertices accepted in one polygon part.
    public var maxPolygonPoints: Int

    public static let defaultMaxPixels = 1 << 28

    public init(maxPixels: Int = Limits.defaultMaxPixels, maxPolygonPoints: Int = 1 << 22) {
        self.maxPixels = maxPixels
        self.maxPolygonPoints = maxPolygonPoints
    }

    /// The limits of this process's runs: the defaults, unless the command line set others
    /// (`--max-pixels`) before the run started.
    public static var standard: Limits { configured.withLock { $0 } }

    /// Sets ``standard`` for the rest of the process (the command line, once, before any work).
    public static func configure(_ limits: Limits) {
        configured.withLock { $0 = limits }
    }

    private static let configured = Mutex(Limits())
}
