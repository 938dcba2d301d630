/// What a writer did, for the end-of-run summary.
public struct WriteSummary: Sendable {
    public var samples: Int = 0
    public var instances: Int = 0
    /// Files created (shards, PNGs, XMLs, JSON).
    public var files: Int = 0
    /// Bytes written in all files.
    public var bytes: Int64 = 0
    /// Things the user should know (16-bit maps written, instances dropped by a policy...).
    public var notes: [String] = []

    public init() {}
}

/// A sink for samples, split so that the expensive part can run on every core.
///
/// The pipeline calls ``begin(_:)`` once, then for each sample ``render(_:)`` on any worker thread
/// (concurrently, possibly out of order) and ``commit(_:)`` on one thread in sample order, then
/// ``finish()``. `render` does the pixel work and encoding; `commit` does ordered I/O.
/// Output must not depend on how many workers ran.
public protocol DatasetWriter: AnyObject, SendableMetatype {
    associatedtype Rendered: Sendable

    /// Called once before any sample, with the reader's header.
    func begin(_ header: DatasetHeader) throws
    /// Turns a sample into what `commit` writes. Must be safe to call concurrently.
    func render(_ sample: Sample) throws -> Rendered
    /// Writes one rendered sample; called in sample order.
    func commit(_ rendered: Rendered) throws
    /// Completes every output file (temporary names are renamed here) and reports.
    func finish() throws -> WriteSummary
}
