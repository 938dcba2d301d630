import ArgumentParser
import CocoConvertCore
import CocoConvertTFRecord

/// Options of the TFRecord reader and writer. The shard size is the common `--shard N`.
struct TFRecordOptions: ParsableArguments {
    @Option(name: .customLong("schema"),
            help: "TFRecord feature keys: deeplab (image + label PNG, DeepLab's build_data) or od (TF Object Detection API: boxes, classes, optional masks). Writing defaults to deeplab; reading detects it.")
    var schema: TFRecordSchema?

    @Option(name: .customLong("num-shards"),
            help: "TFRecord output: exactly K files (instead of --shard N samples per file).")
    var numShards: Int?

    @Option(name: .customLong("shard-order"),
            help: "TFRecord output: contiguous (blocks, DeepLab's default) or round-robin (sample i to file i mod K, the OD API's default).")
    var shardOrder: TFRecordShardOrder?

    @Flag(name: .customLong("masks"),
          help: "TFRecord od output: add image/object/mask, one 0/1 PNG per object (create_coco_tf_record.py --include_masks).")
    var masks = false

    @Option(name: .customLong("class-ids"),
            help: "TFRecord od output: image/object/class/label and label_map.pbtxt ids: original (COCO category ids) or contiguous (1, 2, 3… in category order).")
    var classIDs: ODClassIDs = .original

    @Option(name: .customLong("label-map"),
            help: "TFRecord input: a label_map.pbtxt for the class names and ids (default: label_map.pbtxt beside the records).")
    var labelMap: String?

    @Flag(name: .customLong("box-masks"),
          help: "TFRecord od input: objects without a mask PNG get their box as mask, so png/voc/hdf5 output paints them (default: box-only annotations, which label maps leave out).")
    var boxMasks = false

    /// The shard size from `--num-shards` or the common `--shard` (default 1000 samples per file).
    func shardSize(shard: Int?) throws -> TFRecordShardSize {
        switch (shard, numShards) {
        case (.some, .some):
            throw ConversionError(.usage, "--shard and --num-shards cannot be used together",
                                  hint: "--shard N writes N samples per file, --num-shards K writes K files")
        case (_, .some(let k)):
            guard k >= 1 else { throw ConversionError(.usage, "--num-shards must be at least 1") }
            return .shardCount(k)
        case (.some(let n), nil):
            return .samplesPerShard(n)
        case (nil, nil):
            return .samplesPerShard(1000)
        }
    }

    /// Reader options (`--split` filters `<split>-*` files in a directory; `--background` and
    /// `--ignore-index` name the DeepLab values that are not classes).
    func readerOptions(split: String?, labels: LabelOptions) -> TFRecordReaderOptions {
        TFRecordReaderOptions(schema: schema, split: split, labelMap: labelMap,
                              background: labels.background, ignoreIndex: labels.ignoreIndex, boxMasks: boxMasks)
    }
}

extension TFRecordSchema: ExpressibleByArgument {}
extension TFRecordShardOrder: ExpressibleByArgument {}
extension ODClassIDs: ExpressibleByArgument {}
