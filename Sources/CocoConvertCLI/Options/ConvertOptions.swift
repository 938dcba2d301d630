import ArgumentParser
import CocoConvertCore

/// Every option `convert` and the route shorthands accept, grouped by the format they concern.
struct ConvertOptions: ParsableArguments {
    @Option(name: .customLong("on-error"), help: "What to do with a bad sample or annotation: fail (stop, exit non-zero) or skip (leave it out, report it).")
    var onError: ErrorPolicy = .fail

    @Option(name: .customLong("skip-report"), help: "Where to write skipped items as JSON lines (default: <output>.skipped.jsonl when anything was skipped).")
    var skipReport: String?

    @Option(name: .customLong("jobs"), help: "Worker threads (default: all cores).")
    var jobs: Int?

    @Option(name: .customLong("shard"), help: "Samples per output file for sharded writers (hdf5 default 1000, tfrecord default 1000).")
    var shard: Int?

    @Option(name: .customLong("split"), help: "Split name for output files (default: from the input file name, e.g. val2017).")
    var split: String?

    @Option(name: .customLong("images"), help: "Directory of the source images (default: the COCO convention, annotations/instances_val2017.json → val2017/).")
    var images: String?

    @Flag(name: .shortAndLong, help: "No progress or summary on stderr.")
    var quiet = false

    @OptionGroup(title: "Label maps (png, voc, hdf5, tfrecord writers)") var labels: LabelOptions
    @OptionGroup(title: "COCO") var coco: COCOOptions
    @OptionGroup(title: "PNG label directories") var png: PNGOptions
    @OptionGroup(title: "Pascal VOC") var voc: VOCOptions
    @OptionGroup(title: "HDF5 shards") var hdf5: HDF5Options
    @OptionGroup(title: "TFRecord") var tfrecord: TFRecordOptions

    init() {}
}

extension ErrorPolicy: ExpressibleByArgument {}
