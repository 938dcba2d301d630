/// A reader that passes every sample through unchanged and counts what the input holds
/// (``InputFacts``), so the route's loss tables can be checked against it after the run.
///
/// Only the pipeline's reader thread calls ``next()``; read ``facts`` once the run has returned.
public final class FactCountingReader: DatasetReader {
    public var header: DatasetHeader { source.header }
    private let source: any DatasetReader
    public private(set) var facts: InputFacts

    public init(_ source: any DatasetReader) {
        self.source = source
        facts = InputFacts(header: source.header)
    }

    public func next() throws -> Sample? {
        guard let sample = try source.next() else { return nil }
        facts.add(sample)
        return sample
    }
}
