/// Renders samples; immutable and used from every worker thread at once.
///
/// The half of a ``DatasetWriter`` that does the expensive, order-independent work of a sample:
/// painting label maps, encoding PNGs and masks, serialising records, reading image files.
/// ``Conversion`` gives one renderer to all of its worker threads, which call ``render(_:)``
/// concurrently and in no particular order; the results go to the ``SampleSink`` in sample order.
///
/// A renderer is a `Sendable` value: everything it needs (painter, palettes, options, layout...)
/// is decided by ``DatasetWriter/begin(_:)`` and never changes afterwards, so the compiler can
/// check that the workers share nothing mutable. It holds no open output files; those belong to
/// the sink.
///
/// The result of ``render(_:)`` must depend only on the sample and on what `begin` decided, never
/// on which thread ran it or on how many workers there are, so that output is byte-identical for
/// any `--jobs`.
public protocol SampleRenderer: Sendable {
    /// What one sample becomes, handed from a worker thread to the committing thread.
    associatedtype Rendered: Sendable

    /// Turns a sample into what the sink writes. Called concurrently from every worker thread.
    ///
    /// - Throws: ``ConversionError``; an error about this sample (``ConversionError/isItemProblem``)
    ///   goes through the run's ``SkipReport`` (under `--on-error skip` the sample is left out).
    func render(_ sample: Sample) throws -> Rendered
}
