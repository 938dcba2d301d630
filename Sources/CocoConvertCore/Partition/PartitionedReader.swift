/// A reader restricted to one partition's block of samples: it passes over the samples before the
/// block and ends after the block. An ``IndexedDatasetReader`` skips them in its index; any other
/// reader reads them (readers are single-pass cursors) without handing them on. Its header
/// carries the ``PartitionContext`` the writer needs.
public final class PartitionedReader: DatasetReader {
    private let base: any DatasetReader
    /// The base reader's header, carrying the partition.
    public let header: DatasetHeader
    private var position = 0
    private let block: Range<Int>

    /// `base` restricted to the block of `context`.
    public init(_ base: any DatasetReader, context: PartitionContext) {
        self.base = base
        var header = base.header
        header.partition = context
        if header.sampleCount != nil {
            header.sampleCount = max(0, min(context.totalSamples, context.samples.upperBound) - context.samples.lowerBound)
        }
        self.header = header
        block = context.samples
    }

    /// The next sample of the block; nil after its last.
    public func next() throws -> Sample? {
        if let indexed = base as? any IndexedDatasetReader {
            indexed.skip(to: block.lowerBound)
            guard indexed.position < block.upperBound, let sample = try indexed.next() else { return nil }
            // Items left out (--on-error skip) may have carried the reader past the block.
            return indexed.position - 1 < block.upperBound ? sample : nil
        }
        while position < block.lowerBound {
            guard try base.next() != nil else { return nil }
            position += 1
        }
        guard position < block.upperBound, let sample = try base.next() else { return nil }
        position += 1
        return sample
    }

    /// Counts the samples of a reader by reading them all (for readers that do not know their
    /// count up front).
    public static func count(_ reader: any DatasetReader) throws -> Int {
        var n = 0
        while try reader.next() != nil { n += 1 }
        return n
    }
}
