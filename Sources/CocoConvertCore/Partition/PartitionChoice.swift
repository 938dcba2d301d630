import Foundation

/// Which partition a run converts and where that came from: the command line, or the array-job
/// variables of the engine that started the process (Slurm, Kubernetes Indexed Jobs, AWS Batch).
public struct PartitionChoice: Sendable, Hashable {
    /// The chosen partition.
    public var partition: Partition
    /// Where the index came from (`--partition`, `SLURM_ARRAY_TASK_ID`...), for the summary.
    public var indexSource: String
    /// Where the count came from (`--partitions`, `SLURM_ARRAY_TASK_COUNT`...).
    public var countSource: String

    /// Whether the engine's variables chose the partition (not `--partition`): the run must say so.
    public var fromEnvironment: Bool { indexSource != "--partition" }

    /// Makes a choice; `indexSource` and `countSource` name the option or variable of each value.
    public init(partition: Partition, indexSource: String, countSource: String) {
        self.partition = partition
        self.indexSource = indexSource
        self.countSource = countSource
    }

    /// Our own variable for the partition count where the engine gives only an index
    /// (Kubernetes sets `JOB_COMPLETION_INDEX` but not the number of completions).
    public static let countVariable = "COCOCONVERT_PARTITIONS"

    /// The partition from `--partitions`/`--partition` when given, otherwise from the engine's
    /// variables; nil for a plain (unpartitioned) run. Engine variables partition a run only when
    /// both the index and the count are known (`COCOCONVERT_PARTITIONS` or `--partitions` gives the
    /// count where the engine does not); a count of 1 with an engine's index is a plain run.
    ///
    /// - Throws: `ConversionError` (.usage) when only half is known, a value is not a number, or
    ///   the index is outside the count, naming where each value came from.
    public static func resolve(index: Int?, count: Int?, environment: [String: String]) throws -> PartitionChoice? {
        var resolvedIndex: (Int, String)? = index.map { ($0, "--partition") }
        var resolvedCount: (Int, String)? = count.map { ($0, "--partitions") }
        if resolvedIndex == nil {
            for name in ["SLURM_ARRAY_TASK_ID", "JOB_COMPLETION_INDEX", "AWS_BATCH_JOB_ARRAY_INDEX"] {
                if let value = try number(environment, name) {
                    resolvedIndex = (value, name)
                    break
                }
            }
        }
        if resolvedCount == nil {
            if let value = try number(environment, countVariable) {
                resolvedCount = (value, countVariable)
            } else if resolvedIndex?.1 == "SLURM_ARRAY_TASK_ID", let value = try number(environment, "SLURM_ARRAY_TASK_COUNT") {
                resolvedCount = (value, "SLURM_ARRAY_TASK_COUNT")
            } else if resolvedIndex?.1 == "AWS_BATCH_JOB_ARRAY_INDEX", let value = try number(environment, "AWS_BATCH_JOB_ARRAY_SIZE") {
                resolvedCount = (value, "AWS_BATCH_JOB_ARRAY_SIZE")
            }
        }
        switch (resolvedIndex, resolvedCount) {
        case (nil, nil):
            return nil
        case (nil, let (_, countSource)?):
            // An engine variable for the count alone (set cluster-wide) does not partition a run.
            guard countSource == "--partitions" else { return nil }
            throw ConversionError(.usage, "--partitions needs --partition I (0-based), or an array-job index in the environment",
                                  hint: "e.g. --partitions 4 --partition 0; Slurm, Kubernetes Indexed Jobs and AWS Batch set the index themselves")
        case (let (i, indexSource)?, nil):
            // An engine's index without a count (a Kubernetes pod of any Indexed Job) does not
            // partition a run by itself: only an explicit --partition asks for a count.
            guard indexSource == "--partition" else { return nil }
            throw ConversionError(.usage, "partition \(i) (from \(indexSource)) needs the number of partitions",
                                  hint: "give --partitions N or set \(countVariable)=N")
        case (let (i, indexSource)?, let (n, countSource)?):
            // One partition asked for by --partitions 1 or COCOCONVERT_PARTITIONS=1 inside an array
            // job: the whole input, as a plain run (the way to turn the engine's variables off).
            if n == 1 && indexSource != "--partition" { return nil }
            guard n >= 1 else {
                throw ConversionError(.usage, "the number of partitions (from \(countSource)) must be at least 1, not \(n)")
            }
            guard i >= 0 && i < n else {
                throw ConversionError(.usage, "partition \(i) (from \(indexSource)) is outside 0...\(n - 1) (\(n) partitions, from \(countSource))",
                                      hint: "partitions are numbered from 0; a Slurm array for N partitions is --array=0-(N-1)")
            }
            return PartitionChoice(partition: Partition(index: i, count: n), indexSource: indexSource, countSource: countSource)
        }
    }

    private static func number(_ environment: [String: String], _ name: String) throws -> Int? {
        guard let text = environment[name]?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        guard let value = Int(text) else {
            throw ConversionError(.usage, "\(name)='\(text)' is not a whole number", hint: "unset it, or give --partition/--partitions explicitly")
        }
        return value
    }
}
