/// A reader restricted to one partition's block of samples: it passes over the samples before the
/// block (reading them, since readers are single-pass cursors, but handing none on) and ends after
/// the block. Its header carries the ``PartitionContext`` the writer needs.
public final class PartitionedReader: DatasetReader {
    private let base: any DatasetReader
    public let header: DatasetHeader
    private var position = 0
    private let block: Range<Int>

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

    public func next() throws -> Sample? {
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
