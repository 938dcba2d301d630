import CocoConvertCore
import CocoConvertTFRecord

extension FormatPlugin {
    /// TFRecord files of `tf.train.Example`, in DeepLab or TF Object Detection API form (formats/tfrecord.md).
    static let tfrecord = FormatPlugin(
        id: .tfrecord,
        summary: "TFRecord of tf.train.Example: DeepLab (image + label PNG) or TF Object Detection API (boxes, classes, masks) keys",
        reads: "a .tfrecord file, a directory of <split>-NNNNN-of-NNNNN.tfrecord shards, or a glob ('out/train-*'); schema detected, every CRC checked",
        writes: "OUT/<split>-NNNNN-of-NNNNN.tfrecord + OUT/label_map.pbtxt; --schema deeplab|od, --shard N or --num-shards K, --shard-order, --masks",
        makeReader: { input, options, skips in
            try TFRecordReader(path: input, options: options.tfrecord.readerOptions(split: options.split), skips: skips)
        },
        makeWriter: { output, options, skips in
            let schema = options.tfrecord.schema ?? .deeplab
            let writerOptions = TFRecordWriterOptions(
                schema: schema, shardSize: try options.tfrecord.shardSize(shard: options.shard),
                shardOrder: options.tfrecord.shardOrder, split: options.split, masks: options.tfrecord.masks,
                classIDs: options.tfrecord.classIDs, labelMaps: nil)
            return TFRecordWriter(directory: output, options: writerOptions, skips: skips)
        })
}
