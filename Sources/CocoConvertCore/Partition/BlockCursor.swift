/// Hands one reader's samples out as consecutive blocks, each a reader of its own: a run that
/// converts its input in checkpoints (`--resume`) reads the input once, converting some blocks and
/// passing over those an earlier, killed run already finished.
public final class BlockCursor {
    private let base: any DatasetReader
    private var position = 0
    /// A sample read at the end of a block that belongs to a later one (an indexed reader that left
    /// items out ran past the block's end), with its position.
    private var pending: (sample: Sample, position: Int)?

    /// A cursor at the first sample of `base`.
    public init(_ base: any DatasetReader) {
        self.base = base
    }

    /// The header of the underlying reader.
    public var header: DatasetHeader { base.header }

    /// Reads past every sample before `end` without handing them on (a finished block).
    public func skip(to end: Int) throws {
        if let waiting = pending, waiting.position < end { pending = nil }
        if let indexed = base as? any IndexedDatasetReader {
            indexed.skip(to: end)
            position = indexed.position
            return
        }
        while position < end {
            guard try base.next() != nil else { return }
            position += 1
        }
    }

    /// A reader of the samples in `context.samples` (the cursor must be at its start, or before).
    public func block(_ context: PartitionContext) throws -> any DatasetReader {
        try skip(to: context.samples.lowerBound)
        return Block(cursor: self, context: context)
    }

    private final class Block: DatasetReader {
        let cursor: BlockCursor
        let header: DatasetHeader
        let end: Int

        init(cursor: BlockCursor, context: PartitionContext) {
            self.cursor = cursor
            var header = cursor.base.header
            header.partition = context
            if header.sampleCount != nil {
                header.sampleCount = max(0, min(context.totalSamples, context.samples.upperBound) - context.samples.lowerBound)
            }
            self.header = header
            end = context.samples.upperBound
        }

        func next() throws -> Sample? {
            if let waiting = cursor.pending {
                guard waiting.position < end else { return nil }
                cursor.pending = nil
                return waiting.sample
            }
            guard cursor.position < end, let sample = try cursor.base.next() else { return nil }
            if let indexed = cursor.base as? any IndexedDatasetReader {
                cursor.position = indexed.position
                // Items left out (--on-error skip) may have carried the reader past the block:
                // the sample waits for the block it belongs to.
                if cursor.position - 1 >= end {
                    cursor.pending = (sample, cursor.position - 1)
                    return nil
                }
                return sample
            }
            cursor.position += 1
            return sample
        }
    }
}
