/// The lock a partition holds while it runs (one run per partition; partitions of one output run
/// side by side).
public enum PartitionLock {
    /// The lock file of `partition` of `output`: a hidden file in the output directory, or beside a
    /// one-file output.
    public static func path(output: String, outputIsFile: Bool, partition: Partition) -> String {
        outputIsFile
            ? PathText.join(PathText.parent(of: output), "." + PathText.lastComponent(of: output) + "." + partition.fileStem + ".lock")
            : PathText.join(output, ".cococonvert." + partition.fileStem + ".lock")
    }
}
