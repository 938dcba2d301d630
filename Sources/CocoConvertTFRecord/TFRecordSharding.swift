/// How samples are spread over shard files (`--shard-order`).
public enum TFRecordShardOrder: String, Sendable, Hashable, CaseIterable {
    /// Shard s holds one consecutive block of samples (DeepLab's `build_voc2012_data.py`).
    case contiguous
    /// Sample i goes to shard i mod K (the TF Object Detection API's `tf_record_creation_util`).
    case roundRobin = "round-robin"
}

/// How many shard files to write (`--shard N` or `--num-shards K`).
public enum TFRecordShardSize: Sendable, Hashable {
    /// At most this many samples per file; the number of files follows from the sample count.
    case samplesPerShard(Int)
    /// Exactly this many files (some may be empty when there are fewer samples).
    case shardCount(Int)
}

/// The shard file naming and the sample → shard assignment, in one place.
///
/// Files are `<split>-%05d-of-%05d.tfrecord` (`train-00000-of-00004.tfrecord`), the names DeepLab
/// globs with `<split>-*` and the OD API's newer scripts write.
public enum TFRecordSharding {
    /// `<split>-SSSSS-of-KKKKK.tfrecord`.
    public static func fileName(split: String, index: Int, count: Int) -> String {
        "\(split)-\(pad5(index))-of-\(pad5(count)).tfrecord"
    }

    /// The number of files for `total` samples (at least 1, so an empty split still has a file).
    public static func shardCount(_ size: TFRecordShardSize, total: Int) -> Int {
        switch size {
        case .shardCount(let k): max(1, k)
        case .samplesPerShard(let s): ceilingDivide(total, s)
        }
    }

    /// The shard of the `index`-th written sample (0-based), for `total` samples in `shards` files.
    ///
    /// Contiguous blocks hold `ceil(total / shards)` samples each, as DeepLab computes
    /// `num_per_shard`, or `N` each for ``TFRecordShardSize/samplesPerShard(_:)``. An index beyond
    /// the expected total (the reader's count was low) lands in the last shard.
    public static func shard(ofSample index: Int, total: Int, shards: Int, size: TFRecordShardSize,
                             order: TFRecordShardOrder) -> Int {
        let k = max(1, shards)
        switch order {
        case .roundRobin:
            return index % k
        case .contiguous:
            let perShard: Int
            switch size {
            case .samplesPerShard(let s): perShard = max(1, s)
            case .shardCount: perShard = ceilingDivide(total, k)
            }
            return min(index / perShard, k - 1)
        }
    }

    /// Whether a file name has the shard pattern for `split` (`<split>-NNNNN-of-MMMMM.tfrecord`).
    public static func isShardName(_ name: String, split: String) -> Bool {
        let prefix = split + "-"
        let suffix = ".tfrecord"
        guard name.hasPrefix(prefix), name.hasSuffix(suffix) else { return false }
        let middle = Array(name.utf8.dropFirst(prefix.utf8.count).dropLast(suffix.utf8.count))
        guard middle.count == 14 else { return false }
        let digits = { (r: Range<Int>) in middle[r].allSatisfy { $0 >= 0x30 && $0 <= 0x39 } }
        return digits(0..<5) && String(decoding: middle[5..<9], as: UTF8.self) == "-of-" && digits(9..<14)
    }

    /// ⌈n / d⌉ for n ≥ 0, at least 1, without overflow for any `d` (the shard options come from the user).
    static func ceilingDivide(_ n: Int, _ d: Int) -> Int {
        let d = max(1, d)
        return n <= 0 ? 1 : (n - 1) / d + 1
    }

    static func pad5(_ n: Int) -> String {
        let s = String(n)
        return s.count >= 5 ? s : String(repeating: "0", count: 5 - s.count) + s
    }
}
