import CocoConvertCore
import CocoConvertPNG
import Foundation

/// Writes samples as `tf.train.Example` records in DeepLab or TF Object Detection API form,
/// sharded into `OUT/<split>-SSSSS-of-KKKKK.tfrecord`, plus `OUT/label_map.pbtxt` (the classes, for
/// TensorFlow tools) and `OUT/labels.json` (original categories and label values, for reading back).
///
/// ``begin(_:)`` returns a ``TFRecordRenderer``, which does all the expensive work on worker
/// threads (reading the image file, painting and PNG-encoding the label map or masks, SHA-256,
/// serialising, CRCs), and a ``TFRecordSink``, which only appends the finished frame to its shard.
/// Output is identical for any number of workers.
///
/// Per-object problems in OD mode (unknown category, box empty or outside the image, bad mask)
/// go to the ``SkipReport``: under `fail` they stop the run, under `skip` the object is left out
/// and recorded. Nothing is dropped silently.
public final class TFRecordWriter: DatasetWriter {
    /// What ``TFRecordRenderer/render(_:)`` hands to ``TFRecordSink/commit(_:)``.
    public struct Rendered: Sendable {
        /// The framed record (length, CRCs, serialized example).
        public var frame: [UInt8]
        public var instances: Int
        /// Objects left out under `--on-error skip`.
        public var droppedObjects: Int
    }

    public let directory: String
    public let options: TFRecordWriterOptions
    private let skips: SkipReport

    /// A writer into `directory` (created if missing).
    public init(directory: String, options: TFRecordWriterOptions, skips: SkipReport) {
        self.directory = directory
        self.options = options
        self.skips = skips
    }

    /// Decides the classes or the label-map painter from the header and prepares the shards.
    public func begin(_ header: DatasetHeader) throws -> (renderer: TFRecordRenderer, sink: TFRecordSink) {
        let order = options.shardOrder ?? options.schema.defaultShardOrder
        let split = options.split ?? header.split ?? "train"
        var labelMaps: LabelMapRenderer?
        var classes: [Int64: (id: Int64, name: String)] = [:]
        var categoryOrder: [Int64] = []
        let shards = try TFRecordShardWriter(directory: directory, split: split, size: options.shardSize, order: order,
                                             expectedCount: header.sampleCount, partition: header.partition)
        switch options.schema {
        case .deeplab:
            guard let make = options.labelMaps else {
                throw ConversionError(.usage, "the DeepLab schema needs a label-map painter")
            }
            labelMaps = try make(header)
        case .od:
            for category in header.categories where classes[category.id] == nil {
                let id = options.classIDs == .original ? category.id : Int64(categoryOrder.count + 1)
                classes[category.id] = (id, category.name)
                categoryOrder.append(category.id)
            }
        }
        let renderer = TFRecordRenderer(options: options, skips: skips, labelMaps: labelMaps, classes: classes)
        let sink = TFRecordSink(directory: directory, options: options, shards: shards, classes: classes,
                                categoryOrder: categoryOrder, categories: header.categories, labelSchema: labelMaps?.schema,
                                partition: header.partition)
        return (renderer, sink)
    }

    /// A 0/1 8-bit gray PNG of the mask (all zero for an instance without a shape).
    static func maskPNG(_ rle: RLE?, width: Int, height: Int, limits: Limits) throws -> [UInt8] {
        var pixels = [UInt8](repeating: 0, count: try RLE.checkedPixelCount(height: height, width: width, limits: limits))
        if let rle {
            var stream = RLERowStream(rle)
            pixels.withUnsafeMutableBufferPointer { buffer in
                for y in 0..<height {
                    guard stream.nextRow(into: UnsafeMutableBufferPointer(rebasing: buffer[(y * width)..<((y + 1) * width)])) else { break }
                }
            }
        }
        return try PNGEncoder.encodeGray8(width: width, height: height, pixels: pixels)
    }
}
