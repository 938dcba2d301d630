/// Writes rendered samples in sample order; owned by the committing thread (deliberately not Sendable).
///
/// The half of a ``DatasetWriter`` that holds the state of the output: open files and shards,
/// the lists of what was written, counters and summaries. ``Conversion`` keeps it on the thread
/// that called ``Conversion/run(reader:writer:skips:progress:)`` and calls ``commit(_:)`` once per
/// sample, strictly in the reader's order, then ``finish()`` once. Every order-dependent decision
/// (new ids, duplicate names, shard boundaries) is made here, which is what keeps the output
/// independent of the number of workers.
///
/// A sink is not `Sendable` on purpose: it is never shared, so it needs no locks, and the compiler
/// refuses to hand it to another thread.
///
/// When a run fails, the sink is released without ``finish()``: it must then leave nothing under
/// a final name that is not complete, and remove its temporary files (``OutputFile`` does this
/// when released).
public protocol SampleSink {
    /// What the matching ``SampleRenderer`` produces.
    associatedtype Rendered: Sendable

    /// Writes one rendered sample; called in sample order, on one thread.
    ///
    /// - Throws: ``ConversionError``; an error about this sample goes through the run's
    ///   ``SkipReport``, other errors (I/O, library) stop the run.
    mutating func commit(_ rendered: Rendered) throws
    /// Completes every output file (temporary names are renamed here) and reports what was written.
    /// Called once, after the last ``commit(_:)``.
    mutating func finish() throws -> WriteSummary
}
