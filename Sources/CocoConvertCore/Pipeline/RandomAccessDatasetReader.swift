/// A reader that can also fetch any sample by image id, without reading the ones before it.
///
/// Readers backed by an index (COCO JSON: byte ranges of every record) offer this, so that a
/// ``MergedDatasetReader`` can take an image from a later input whatever order that input lists
/// its images in, in memory bounded by the index.
public protocol RandomAccessDatasetReader: DatasetReader {
    /// Every image id, in the order ``DatasetReader/next()`` yields them.
    var sampleIDs: [Int64] { get }
    /// The sample at `position` in ``sampleIDs``; nil when the error policy left it out.
    func sample(at position: Int) throws -> Sample?
}
