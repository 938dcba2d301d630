/// Options several formats take with the same meaning. A format lists the ones it uses among its
/// own options; the command line passes one value to both sides of a route.
public enum SharedOptions {
    /// `--split NAME`: the split a writer names its files after, or the one a reader selects.
    public static let split = OptionSpec.value("split", "NAME",
        help: "Split name (default: from the input file name, e.g. val2017). Readers of multi-split layouts read only this split.")
    /// `--images DIR`: where the images a dataset refers to are.
    public static let images = OptionSpec.value("images", "DIR",
        help: "Directory of the source images (default: the COCO convention, annotations/instances_val2017.json → val2017/).")
    /// `--shard N`: samples per output file.
    public static let shard = OptionSpec.value("shard", "N", help: "Samples per output file (default 1000).")
}
