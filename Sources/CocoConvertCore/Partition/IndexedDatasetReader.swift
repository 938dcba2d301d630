/// A reader whose index knows where every sample is, so it can pass over samples without reading
/// them: a partition then starts at its block in constant time instead of parsing every sample
/// before it.
///
/// Positions are places in the reader's index (``DatasetHeader/sampleCount`` of them), not
/// returned samples: an item the reader leaves out (`--on-error skip`) still takes its position, so
/// every partition computes the same blocks.
public protocol IndexedDatasetReader: DatasetReader {
    /// The index positions consumed so far (by ``next()`` or ``skip(to:)``).
    var position: Int { get }
    /// Moves to `position` without reading the samples before it (no-op when already there or past).
    func skip(to position: Int)
}
