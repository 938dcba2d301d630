/// Hands one reader's samples out as consecutive blocks, each a reader of its own: a run that
/// converts its input in checkpoints (`--resume`) reads the input once, converting some blocks and
/// passing over those an earlier, killed run already finished.
public final class BlockCursor {
    private let base: any DatasetReader
    private var position = 0

    public init(_ base: any DatasetReader) {
        self.base = base
    }

    public var header: DatasetHeader { base.header }

    /// Reads past every sample before `end` without handing them on (a finished block).
    public func skip(to end: Int) throws {
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
            guard cursor.position < end, let sample = try cursor.base.next() else { return nil }
            cursor.position += 1
            return sample
        }
    }
}
