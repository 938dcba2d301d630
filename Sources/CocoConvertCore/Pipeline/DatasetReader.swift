/// A single-pass cursor over a dataset's samples.
///
/// A reader is not a collection: it owns open files, cannot be replayed, and may throw on any
/// sample. `header` is available before the first call to ``next()``.
public protocol DatasetReader: AnyObject {
    /// Categories, kind and other dataset-wide facts.
    var header: DatasetHeader { get }
    /// The next sample in source order, or `nil` at the end.
    func next() throws -> Sample?
}
