import CocoConvertCore
import CocoConvertLabels

/// TFRecord files of `tf.train.Example`, in DeepLab or TF Object Detection API form, as a
/// cococonvert format (formats/tfrecord.md).
public enum TFRecordFormat {
    public static let plugin = FormatPlugin(
        name: "tfrecord",
        summary: "TFRecord of tf.train.Example: DeepLab (image + label PNG) or TF Object Detection API (boxes, classes, masks) keys",
        reader: ReaderPlugin(
            accepts: "a .tfrecord file, a directory of <split>-NNNNN-of-NNNNN.tfrecord shards, or a glob ('out/train-*'); schema detected, every CRC checked",
            options: [
                schemaSpec, SharedOptions.split,
                .value("label-map", "FILE", help: "A label_map.pbtxt for the class names and ids (default: label_map.pbtxt beside the records)."),
                .flag("box-masks", help: "od input: objects without a mask PNG get their box as mask, so png/voc/hdf5 output paints them (default: box-only annotations, which label maps leave out)."),
                LabelOptions.backgroundSpec, LabelOptions.ignoreIndexSpec,
            ],
            detect: detect,
            configure: { values in
                let labels = try LabelOptions(values)
                let options = TFRecordReaderOptions(schema: try values.choice("schema", as: TFRecordSchema.self),
                                                    split: values.string("split"), labelMap: values.string("label-map"),
                                                    background: labels.background, ignoreIndex: labels.ignoreIndex,
                                                    boxMasks: values.flag("box-masks"))
                return { input, skips in try TFRecordReader(path: input, options: options, skips: skips) }
            }).losing { header in
                header.kind == .semantic
                    ? [Loss(.separateInstances, "DeepLab records hold one label map per image: each category's region comes back as one instance, without ids, crowds or stored areas")]
                    : []
            },
        writer: WriterPlugin(
            produces: "OUT/<split>-NNNNN-of-NNNNN.tfrecord + label_map.pbtxt + labels.json; --schema deeplab|od, sharded by samples or file count",
            output: .directory,
            options: [
                schemaSpec, SharedOptions.shard, SharedOptions.split,
                .value("num-shards", "K", help: "Write exactly K files (instead of --shard N samples per file)."),
                .choice("shard-order", TFRecordShardOrder.self,
                        help: "contiguous (blocks, DeepLab's default) or round-robin (sample i to file i mod K, the OD API's default)."),
                .flag("masks", help: "od output: add image/object/mask, one 0/1 PNG per object (create_coco_tf_record.py --include_masks)."),
                .choice("class-ids", ODClassIDs.self,
                        help: "od output: image/object/class/label and label_map.pbtxt ids: original (COCO category ids; default) or contiguous (1, 2, 3… in category order)."),
            ] + LabelOptions.writerSpecs(),
            partitionUnit: { values, total in
                // Contiguous shards are whole units of a partition; round-robin shards are joined by merge.
                let schema = try values.choice("schema", as: TFRecordSchema.self) ?? .deeplab
                guard (try values.choice("shard-order", as: TFRecordShardOrder.self) ?? schema.defaultShardOrder) == .contiguous
                else { return 1 }
                if let k = try values.int("num-shards", in: 1...1_000_000) {
                    return TFRecordSharding.ceilingDivide(total, k)
                }
                return try values.int("shard", in: 1...Int(Int32.max)) ?? 1000
            },
            configure: { values in
                let schema = try values.choice("schema", as: TFRecordSchema.self) ?? .deeplab
                let labels = try LabelOptions(values)
                if schema == .deeplab && labels.kind == .panoptic {
                    throw ConversionError(.usage, "--kind panoptic is for PNG output only",
                                          hint: "DeepLab label maps are semantic (or --kind instance)")
                }
                try values.refuseTogether("shard", "num-shards", hint: "--shard N writes N samples per file, --num-shards K writes K files")
                let shardSize: TFRecordShardSize
                if let k = try values.int("num-shards", in: 1...1_000_000) {
                    shardSize = .shardCount(k)
                } else {
                    shardSize = .samplesPerShard(try values.int("shard", in: 1...Int(Int32.max)) ?? 1000)
                }
                let palette = try labels.palette(formatDefault: "none")
                // The same painter, options and palette as the PNG writer, so the label PNGs are the same.
                let labelMaps: @Sendable (DatasetHeader) throws -> LabelMapRenderer = { header in
                    let paint = try labels.paintOptions(for: header)
                    let painter = LabelPainter(options: paint)
                    return LabelMapRenderer(paint: { try painter.paint($0) }, palette: palette, schema: paint.schema)
                }
                let options = TFRecordWriterOptions(
                    schema: schema, shardSize: shardSize, shardOrder: try values.choice("shard-order", as: TFRecordShardOrder.self),
                    split: values.string("split"), masks: values.flag("masks"),
                    classIDs: try values.choice("class-ids", as: ODClassIDs.self) ?? .original, labelMaps: labelMaps)
                return { output, skips in TFRecordWriter(directory: output, options: options, skips: skips) }
            }).describing(owns: ["*.tfrecord", "label_map.pbtxt", "labels.json"], losses: losses, preview: preview))

    /// What each schema cannot carry.
    @Sendable static func losses(_ values: OptionValues) -> [Loss] {
        let schema = (try? values.choice("schema", as: TFRecordSchema.self)) ?? .deeplab
        if schema == .deeplab { return (try? LabelOptions(values))?.labelMapLosses(defaultCrowd: .skip) ?? [] }
        var losses = [Loss(.annotationIDs, "not stored by the Object Detection API keys"), Loss(.scores, "not stored"),
                      Loss(.extraFields, "not stored")]
        losses.append(values.flag("masks") ? Loss(.polygons, "rasterised into per-object mask PNGs")
                                           : Loss(.polygons, "not stored without --masks: objects come back as boxes"))
        return losses
    }

    /// `--dry-run`: shards, size (image bytes plus labels), mapping.
    @Sendable static func preview(_ values: OptionValues, _ header: DatasetHeader, _ facts: InputFacts) throws -> OutputPreview {
        let schema = try values.choice("schema", as: TFRecordSchema.self) ?? .deeplab
        let perShard = try values.int("shard") ?? 1000
        let shards = try values.int("num-shards") ?? max(1, (facts.samples + perShard - 1) / perShard)
        let labels = try LabelOptions(values)
        var lines = ["--schema \(schema.rawValue): \(shards) shard\(shards == 1 ? "" : "s") of tf.train.Example, label_map.pbtxt, labels.json"]
        if schema == .deeplab { lines += try labels.previewLines(for: header, defaultCrowd: .skip) }
        let labelBytes = schema == .deeplab ? facts.labelMapBytes : Int64(facts.instances) * (values.flag("masks") ? 2_000 : 60)
        return OutputPreview(files: shards + 2, bytes: facts.imageBytes + labelBytes + Int64(facts.samples) * 200, lines: lines)
    }

    static let schemaSpec = OptionSpec.choice("schema", TFRecordSchema.self,
        help: "Feature keys: deeplab (image + label PNG, DeepLab's build_data) or od (TF Object Detection API: boxes, classes, optional masks). Writing defaults to deeplab; reading detects it.")

    /// A file that starts with a valid TFRecord frame header (length and its masked CRC32C), or a
    /// directory of `.tfrecord` files.
    static func detect(_ probe: InputProbe) -> Detection? {
        if probe.isDirectory {
            return probe.hasEntry(endingWith: ".tfrecord") ? Detection(confidence: 95, "a directory of TFRecord files") : nil
        }
        guard probe.head.count >= 12 else {
            return probe.fileExtension == "tfrecord" ? Detection(confidence: 30, "a .tfrecord file") : nil
        }
        let length = Array(probe.head[0..<8])
        var stored: UInt32 = 0
        for (index, byte) in probe.head[8..<12].enumerated() { stored |= UInt32(byte) << (8 * index) }
        return CRC32C.mask(CRC32C.checksum(length)) == stored ? Detection(confidence: 100, "a TFRecord file") : nil
    }
}
