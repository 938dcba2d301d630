import CocoConvertCore
import CocoConvertPNG
import Foundation

/// Writes samples as `tf.train.Example` records in DeepLab or TF Object Detection API form,
/// sharded into `OUT/<split>-SSSSS-of-KKKKK.tfrecord`, plus `OUT/label_map.pbtxt` (the classes, for
/// TensorFlow tools) and `OUT/labels.json` (original categories and label values, for reading back).
///
/// ``render(_:)`` does all the expensive work on worker threads (reading the image file, painting
/// and PNG-encoding the label map or masks, SHA-256, serialising, CRCs); ``commit(_:)`` only
/// appends the finished frame to its shard. Output is identical for any number of workers.
///
/// Per-object problems in OD mode (unknown category, box empty or outside the image, bad mask)
/// go to the ``SkipReport``: under `fail` they stop the run, under `skip` the object is left out
/// and recorded. Nothing is dropped silently.
public final class TFRecordWriter: DatasetWriter, @unchecked Sendable {
    /// What ``render(_:)`` hands to ``commit(_:)``.
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

    // Set once in begin(), read-only afterwards (render runs concurrently).
    private var shards: TFRecordShardWriter?
    private var renderer: LabelMapRenderer?
    private var classes: [Int64: (id: Int64, name: String)] = [:]
    private var categoryOrder: [Int64] = []
    private var categories: [Category] = []

    // Touched by commit() only (one thread).
    private var summary = WriteSummary()
    private var dropped = 0

    /// A writer into `directory` (created if missing).
    public init(directory: String, options: TFRecordWriterOptions, skips: SkipReport) {
        self.directory = directory
        self.options = options
        self.skips = skips
    }

    public func begin(_ header: DatasetHeader) throws {
        let order = options.shardOrder ?? options.schema.defaultShardOrder
        let split = options.split ?? header.split ?? "train"
        categories = header.categories
        shards = try TFRecordShardWriter(directory: directory, split: split, size: options.shardSize, order: order,
                                         expectedCount: header.sampleCount)
        switch options.schema {
        case .deeplab:
            guard let make = options.labelMaps else {
                throw ConversionError(.usage, "the DeepLab schema needs a label-map painter")
            }
            renderer = try make(header)
        case .od:
            for category in header.categories where classes[category.id] == nil {
                let id = options.classIDs == .original ? category.id : Int64(categoryOrder.count + 1)
                classes[category.id] = (id, category.name)
                categoryOrder.append(category.id)
            }
        }
    }

    public func render(_ sample: Sample) throws -> Rendered {
        let image = try EncodedImage.load(sample)
        let example: TFExample
        var instances = 0
        var droppedObjects = 0
        switch options.schema {
        case .deeplab:
            guard let renderer else { preconditionFailure("TFRecordWriter.render before begin") }
            let map = try renderer.paint(sample)
            guard map.width == sample.width, map.height == sample.height else {
                throw ConversionError(.sizeMismatch, "label map is \(map.width)×\(map.height) but the image is \(sample.width)×\(sample.height)",
                                      context: ErrorContext(imageID: sample.id))
            }
            let png = try PNGEncoder.encode(labelMap: map, palette: renderer.palette)
            example = DeepLabSchema.example(DeepLabRecord(image: image, filename: sample.stem, height: sample.height,
                                                          width: sample.width, labelPNG: png))
            instances = sample.instances.count
        case .od:
            var objects: [ODObject] = []
            objects.reserveCapacity(sample.instances.count)
            for instance in sample.instances {
                do {
                    objects.append(try object(instance, in: sample))
                } catch let error as ConversionError {
                    try skips.report(error.adding(ErrorContext(imageID: sample.id, annotationID: instance.id)))
                    droppedObjects += 1
                }
            }
            instances = objects.count
            let record = ODRecord(image: image, filename: sample.fileName, sourceID: String(sample.id),
                                  sha256: SHA256.hexDigest(image.bytes), height: sample.height, width: sample.width,
                                  objects: objects)
            example = ODSchema.example(record, masks: options.masks)
        }
        let frame = TFRecordFraming.frame { example.appendSerialized(to: &$0) }
        return Rendered(frame: frame, instances: instances, droppedObjects: droppedObjects)
    }

    /// One OD object, or a `ConversionError` saying why this instance cannot be one.
    private func object(_ instance: Instance, in sample: Sample) throws -> ODObject {
        guard let cls = classes[instance.categoryID] else {
            throw ConversionError(.unknownCategory, "category \(instance.categoryID) is not in the dataset's categories",
                                  hint: "add the category to the source's categories")
        }
        let hasShape: Bool
        if case .none = instance.geometry { hasShape = false } else { hasShape = true }
        var rle: RLE?
        if hasShape && (options.masks || instance.bbox == nil || instance.area == nil) {
            rle = try instance.geometry.rle(height: sample.height, width: sample.width, limits: options.limits)
        }
        guard let box = instance.bbox ?? rle?.boundingBox else {
            throw ConversionError(.invalidValue, "the annotation has neither a bbox nor a mask", context: ErrorContext(field: "bbox"))
        }
        let w = Double(sample.width), h = Double(sample.height)
        guard box.width > 0, box.height > 0, box.x >= 0, box.y >= 0, box.x + box.width <= w, box.y + box.height <= h else {
            let kind = box.width > 0 && box.height > 0 ? "lies outside" : "is empty in"
            throw ConversionError(.invalidValue,
                                  "bbox [\(box.x), \(box.y), \(box.width), \(box.height)] \(kind) the \(sample.width)×\(sample.height) image",
                                  context: ErrorContext(field: "bbox"),
                                  hint: "the OD API's create_coco_tf_record.py drops such boxes; --on-error skip drops them and lists them in the skip report")
        }
        var mask: [UInt8]?
        if options.masks {
            mask = try Self.maskPNG(rle, width: sample.width, height: sample.height, limits: options.limits)
        }
        return ODObject(xmin: Float(box.x / w), xmax: Float((box.x + box.width) / w),
                        ymin: Float(box.y / h), ymax: Float((box.y + box.height) / h),
                        text: cls.name, label: cls.id, isCrowd: instance.isCrowd,
                        area: Float(instance.area ?? Double(rle?.area ?? 0)), maskPNG: mask)
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

    public func commit(_ rendered: Rendered) throws {
        guard let shards else { preconditionFailure("TFRecordWriter.commit before begin") }
        try shards.append(frame: rendered.frame)
        summary.samples += 1
        summary.instances += rendered.instances
        summary.bytes += Int64(rendered.frame.count)
        dropped += rendered.droppedObjects
    }

    public func finish() throws -> WriteSummary {
        guard let shards else { preconditionFailure("TFRecordWriter.finish before begin") }
        let paths = try shards.finish()
        let labelMap = labelMapPbtxt()
        let labelMapPath = directory + "/label_map.pbtxt"
        try AtomicFile.write(Array(labelMap.text.utf8), to: labelMapPath)
        try AtomicFile.write(Array(labelsFile().text.utf8), to: directory + "/" + TFRecordLabelsFile.fileName)
        summary.files = paths.count + 2
        let order = options.shardOrder ?? options.schema.defaultShardOrder
        summary.notes.append("\(options.schema.rawValue) schema: \(paths.count) shard(s) \(shards.split)-*-of-\(TFRecordSharding.pad5(paths.count)).tfrecord (\(order.rawValue)), label_map.pbtxt with \(labelMap.items.count) classes")
        if dropped > 0 {
            summary.notes.append("\(dropped) object(s) left out (see the skip report)")
        }
        let foreign = shards.foreignShards(besides: paths)
        if !foreign.isEmpty {
            summary.notes.append("the output directory also holds \(foreign.count) shard file(s) of split '\(shards.split)' from another run (e.g. \(foreign[0])); a '\(shards.split)-*' glob would read them too: remove them")
        }
        return summary
    }

    private func labelsFile() -> TFRecordLabelsFile {
        switch options.schema {
        case .od:
            let entries = categoryOrder.compactMap { id -> LabelEntry? in
                guard let cls = classes[id], let value = UInt32(exactly: cls.id) else { return nil }
                return LabelEntry(value: value, categoryID: id, name: cls.name)
            }
            return TFRecordLabelsFile(schema: .od, labelSchema: LabelSchema(entries: entries), categories: categories)
        case .deeplab:
            return TFRecordLabelsFile(schema: .deeplab, labelSchema: renderer?.schema ?? LabelSchema(entries: []),
                                      categories: categories)
        }
    }

    private func labelMapPbtxt() -> LabelMapPbtxt {
        switch options.schema {
        case .od:
            return LabelMapPbtxt(items: categoryOrder.compactMap { id in
                classes[id].map { LabelMapPbtxt.Item(id: $0.id, name: $0.name) }
            })
        case .deeplab:
            guard let schema = renderer?.schema else { return LabelMapPbtxt(items: []) }
            var seen = Set<UInt32>()
            var items: [LabelMapPbtxt.Item] = []
            for entry in schema.entries.sorted(by: { $0.value < $1.value }) where seen.insert(entry.value).inserted {
                items.append(LabelMapPbtxt.Item(id: Int64(entry.value), name: entry.name))
            }
            return LabelMapPbtxt(items: items)
        }
    }
}
