/// One of `count` partitions of a dataset (`--partitions N --partition I`, 0-based), and the
/// contiguous block of samples it converts.
///
/// A dataset of `total` samples, in the reader's order, is cut into `count` contiguous blocks of
/// whole *units* of `alignment` samples (1 sample, or one shard for sharded writers, so that every
/// shard file is written by exactly one partition). Blocks differ in size by at most one unit and
/// may be empty (more partitions than units). The split depends only on `total`, `alignment` and
/// `count`, so every machine computes the same one.
public struct Partition: Sendable, Hashable, Codable, CustomStringConvertible {
    /// 0-based.
    public var index: Int
    /// How many partitions the input is split into.
    public var count: Int

    /// Partition `index` (0-based) of `count`.
    public init(index: Int, count: Int) {
        precondition(count >= 1 && index >= 0 && index < count, "partition \(index) of \(count)")
        self.index = index
        self.count = count
    }

    /// `2/7` style, 0-based, as in the summary.
    public var description: String { "\(index) of \(count)" }

    /// `partition-00002-of-00007`, the name of this partition's parts and records.
    public var fileStem: String { "partition-\(Self.pad5(index))-of-\(Self.pad5(count))" }

    /// The samples (positions in the reader's order) this partition converts.
    ///
    /// The last partition's block is open-ended (`upperBound` is `Int.max`): samples beyond the
    /// reader's announced count, if any, are still converted exactly once.
    public func samples(total: Int, alignment: Int = 1) -> Range<Int> {
        let unit = max(1, alignment)
        let total = max(0, total)
        let units = total == 0 ? 0 : (total - 1) / unit + 1
        let firstUnit = units * index / count
        let endUnit = units * (index + 1) / count
        let lower = min(total, firstUnit * unit)
        let upper = index == count - 1 ? Int.max : min(total, endUnit * unit)
        return lower..<max(lower, upper)
    }

    static func pad5(_ n: Int) -> String {
        let s = String(n)
        return s.count >= 5 ? s : String(repeating: "0", count: 5 - s.count) + s
    }
}
