/// Shard file names: `<split>-<index>-of-<count>.h5`, both numbers zero-padded to five digits
/// (the TensorFlow `-%05d-of-%05d` convention), so names sort in shard order.
public struct HDF5ShardName: Sendable, Hashable {
    public var split: String
    public var index: Int
    public var count: Int

    /// The name of shard `index` (0-based) of `count`.
    public init(split: String, index: Int, count: Int) {
        self.split = split
        self.index = index
        self.count = count
    }

    /// `val2017-00003-of-00012.h5`.
    public var fileName: String {
        "\(split)-\(Self.pad(index))-of-\(Self.pad(count)).\(HDF5ShardSchema.fileExtension)"
    }

    /// Parses a shard file name; `nil` for any other name.
    public init?(fileName: String) {
        let suffix = "." + HDF5ShardSchema.fileExtension
        guard fileName.hasSuffix(suffix) else { return nil }
        let stem = fileName.dropLast(suffix.count)
        // <split>-NNNNN-of-MMMMM: the split itself may contain '-'.
        let parts = stem.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count >= 4, parts[parts.count - 2] == "of",
              let index = Self.number(parts[parts.count - 3]), let count = Self.number(parts[parts.count - 1]),
              index < count else { return nil }
        let split = parts.dropLast(3).joined(separator: "-")
        guard !split.isEmpty else { return nil }
        self.init(split: split, index: index, count: count)
    }

    private static func number(_ s: Substring) -> Int? {
        guard s.count >= 5, s.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(s)
    }

    private static func pad(_ n: Int) -> String {
        let s = String(n)
        return s.count >= 5 ? s : String(repeating: "0", count: 5 - s.count) + s
    }
}
