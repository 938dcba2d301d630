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
    /// In a partitioned run, the layout of each index-file part the writer wrote (see ``PartitionContext``).
    public var indexParts: [IndexFilePart] = []

    public init() {}
}

/// A sink for samples, split so that the expensive part runs on every core.
///
/// A writer holds only its configuration (output path, options). ``begin(_:)`` is called once,
/// on the calling thread, before any sample; it prepares the output (creates directories, opens
/// files, decides the label mapping from the header) and returns the two halves of the run:
///
/// - the ``SampleRenderer``, an immutable `Sendable` value that ``Conversion`` hands to every
///   worker thread; it does the pixel work and encoding, concurrently and in any order;
/// - the ``SampleSink``, which stays on the calling thread and writes the rendered samples in
///   sample order, then completes the output in ``SampleSink/finish()``.
///
/// The split is what lets the compiler check the pipeline: nothing that both halves could reach
/// is mutable, and the mutable half is never shared.
///
/// Output must not depend on the number of workers: whatever the renderer produces has to be a
/// function of the sample (and of what `begin` decided), and every order-dependent choice
/// (ids, file names, shard assignment, summaries) belongs in the sink.
///
/// If the run fails, the sink is released without ``SampleSink/finish()`` having been called; it
/// must then remove whatever it wrote under temporary names (its files' deinitialisers do this).
public protocol DatasetWriter {
    /// The half that runs on the worker threads.
    associatedtype Renderer: SampleRenderer
    /// The half that writes, on the committing thread.
    associatedtype Sink: SampleSink where Sink.Rendered == Renderer.Rendered

    /// Called once before any sample with the reader's header: prepares the output and returns
    /// the two halves.
    func begin(_ header: DatasetHeader) throws -> (renderer: Renderer, sink: Sink)
}
