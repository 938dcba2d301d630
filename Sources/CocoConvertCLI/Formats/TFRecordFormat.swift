import CocoConvertCore
import CocoConvertTFRecord

extension FormatPlugin {
    /// TFRecord files of `tf.train.Example`, in DeepLab or TF Object Detection API form (formats/tfrecord.md).
    static let tfrecord = FormatPlugin(
        id: .tfrecord,
        summary: "TFRecord of tf.train.Example: DeepLab (image + label PNG) or TF Object Detection API (boxes, classes, masks) keys",
        reads: "a .tfrecord file, a directory of <split>-NNNNN-of-NNNNN.tfrecord shards, or a glob ('out/train-*'); schema detected, every CRC checked",
        writes: "OUT/<split>-NNNNN-of-NNNNN.tfrecord + label_map.pbtxt + labels.json; --schema deeplab|od, --shard N or --num-shards K, --shard-order, --masks",
        makeReader: { input, options, skips in
            try TFRecordReader(path: input, options: options.tfrecord.readerOptions(split: options.split, labels: options.labels),
                               skips: skips)
        },
        makeWriter: { output, options, skips in
            let schema = options.tfrecord.schema ?? .deeplab
            let labels = options.labels
            if schema == .deeplab && labels.kind == .panoptic {
                throw ConversionError(.usage, "--kind panoptic is for PNG output only",
                                      hint: "DeepLab label maps are semantic (or --kind instance)")
            }
            let palette = try labels.palette(formatDefault: "none")
            // The same painter, options and palette as the PNG writer, so the label PNGs are the same.
            let labelMaps: @Sendable (DatasetHeader) throws -> LabelMapRenderer = { header in
                let paint = try labels.paintOptions(for: header)
                let painter = LabelPainter(options: paint)
                return LabelMapRenderer(paint: { try painter.paint($0) }, palette: palette, schema: paint.schema)
            }
            let writerOptions = TFRecordWriterOptions(
                schema: schema, shardSize: try options.tfrecord.shardSize(shard: options.shard),
                shardOrder: options.tfrecord.shardOrder, split: options.split, masks: options.tfrecord.masks,
                classIDs: options.tfrecord.classIDs, labelMaps: labelMaps)
            return TFRecordWriter(directory: output, options: writerOptions, skips: skips)
        })
}
