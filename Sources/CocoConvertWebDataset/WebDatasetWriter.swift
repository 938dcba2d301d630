import CocoConvertCore
import CocoConvertLabelMaps
import Foundation

/// Writes samples as WebDataset tar shards `OUT/<split>-000000.tar`, … (formats/webdataset.md):
/// per sample the members `<key>.<image ext>` (the image bytes as they are), `<key>.json` (image
/// record and annotations with compressed-RLE masks), `<key>.png` (the label map, byte for byte
/// what the PNG writer writes with the same options) and, on request, `<key>.instance.png`; plus
/// `OUT/<split>.dataset.json` with the categories.
///
/// The ``WebDatasetRenderer`` builds each sample's tar members on worker threads; the
/// ``WebDatasetSink`` checks keys and appends the members to the shards in sample order, so the
/// shards are identical for any number of workers.
public final class WebDatasetWriter: DatasetWriter {
    /// One sample's tar members, ready to append.
    public struct Rendered: Sendable {
        var key: String
        var imageID: Int64
        var tarBytes: [UInt8]
        var instances: Int
        var droppedInstances: Int
    }

    public let directory: String
    public let options: WebDatasetWriterOptions
    private let skips: SkipReport

    public init(directory: String, options: WebDatasetWriterOptions, skips: SkipReport) {
        self.directory = directory
        self.options = options
        self.skips = skips
    }

    public func begin(_ header: DatasetHeader) throws -> (renderer: WebDatasetRenderer, sink: WebDatasetSink) {
        let split = try SafePath.component(options.split ?? header.split ?? "train", context: ErrorContext(field: "split"))
        let labelMap = try LabelMapDirectoryWriter.renderer(options: options.labelMap, header: header)
        let instanceMap = try options.instanceMap.map { try LabelMapDirectoryWriter.renderer(options: $0, header: header) }
        var names: [Int64: String] = [:]
        for category in header.categories where names[category.id] == nil { names[category.id] = category.name }
        // A partition's block is whole shards (`partitionUnit`): it numbers them from its first sample.
        let partition = header.partition
        var firstShard = 0
        if let partition, case .samples(let perShard) = options.shardLimit {
            firstShard = partition.sampleOffset / max(1, perShard)
        }
        let shards = try WebDatasetShardWriter(directory: directory, split: split, limit: options.shardLimit, firstShard: firstShard,
                                               writesEmptyShard: partition.map { $0.totalSamples == 0 && $0.isLast } ?? true)
        let renderer = WebDatasetRenderer(labelMap: labelMap, instanceMap: instanceMap, categoryNames: names,
                                          limits: options.limits, skips: skips)
        let sink = WebDatasetSink(shards: shards, manifest: WebDatasetManifest(split: split, header: header), partition: partition,
                                  skips: skips)
        return (renderer, sink)
    }
}
