import CocoConvertCore
import Foundation

/// The committing half of ``TFRecordWriter``: appends each framed record to its shard, in sample
/// order; ``finish()`` renames the shards into place and writes `label_map.pbtxt` and `labels.json`.
///
/// Owned by the committing thread. Its shard writer deletes the temporary shards if the sink is
/// released unfinished.
public final class TFRecordSink: SampleSink {
    let directory: String
    let options: TFRecordWriterOptions
    private let shards: TFRecordShardWriter
    /// OD: the class id and name written for each category id, and the category ids in order.
    private let classes: [Int64: (id: Int64, name: String)]
    private let categoryOrder: [Int64]
    /// The dataset's categories, for `labels.json`.
    private let categories: [Category]
    /// DeepLab: the value mapping, for `label_map.pbtxt` and `labels.json`.
    private let labelSchema: LabelSchema?

    private var summary = WriteSummary()
    private var dropped = 0
    /// Set when writing one partition: the label files (and round-robin shards) are written as parts.
    private let partition: PartitionContext?

    init(directory: String, options: TFRecordWriterOptions, shards: TFRecordShardWriter, classes: [Int64: (id: Int64, name: String)],
         categoryOrder: [Int64], categories: [Category], labelSchema: LabelSchema?, partition: PartitionContext? = nil) {
        self.partition = partition
        self.directory = directory
        self.options = options
        self.shards = shards
        self.classes = classes
        self.categoryOrder = categoryOrder
        self.categories = categories
        self.labelSchema = labelSchema
    }

    public func commit(_ rendered: TFRecordWriter.Rendered) throws {
        try shards.append(frame: rendered.frame)
        summary.samples += 1
        summary.instances += rendered.instances
        summary.bytes += Int64(rendered.frame.count)
        dropped += rendered.droppedObjects
    }

    public func finish() throws -> WriteSummary {
        let paths = try shards.finish()
        let labelMap = labelMapPbtxt()
        let labelMapPath = directory + "/label_map.pbtxt"
        if shards.shardsAreParts, let partition {
            // Every partition holds records of every shard: merge concatenates them in partition order.
            for path in paths {
                let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0
                summary.indexParts.append(.list(path: partition.relativePath(of: path), size: size))
            }
        }
        try PartitionContext.writeIndexFile(Array(labelMap.text.utf8), to: labelMapPath, kind: .fixed,
                                            partition: partition, summary: &summary)
        try PartitionContext.writeIndexFile(Array(labelsFile().text.utf8), to: directory + "/" + TFRecordLabelsFile.fileName,
                                            kind: .fixed, partition: partition, summary: &summary)
        summary.files = paths.count + 2
        let order = options.shardOrder ?? options.schema.defaultShardOrder
        summary.notes.append("\(options.schema.rawValue) schema: \(paths.count) shard(s) \(shards.split)-*-of-\(TFRecordSharding.pad5(paths.count)).tfrecord (\(order.rawValue)), label_map.pbtxt with \(labelMap.items.count) classes")
        if dropped > 0 {
            summary.notes.append("\(dropped) object(s) left out (see the skip report)")
        }
        let foreign = partition != nil ? [] : shards.foreignShards(besides: paths)
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
            return TFRecordLabelsFile(schema: .deeplab, labelSchema: labelSchema ?? LabelSchema(entries: []),
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
            guard let schema = labelSchema else { return LabelMapPbtxt(items: []) }
            var seen = Set<UInt32>()
            var items: [LabelMapPbtxt.Item] = []
            for entry in schema.entries.sorted(by: { $0.value < $1.value }) where seen.insert(entry.value).inserted {
                items.append(LabelMapPbtxt.Item(id: Int64(entry.value), name: entry.name))
            }
            return LabelMapPbtxt(items: items)
        }
    }
}
