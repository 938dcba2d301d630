/// Which part of a dataset a run converts: `--limit`, `--image-ids`, `--categories`, `--sample`.
///
/// Applied by ``SubsetReader`` around any reader, so every route has the same subsets and no
/// format implements them. Selection depends only on the samples (and the seed), never on
/// `--jobs`.
public struct Subset: Sendable, Equatable {
    /// At most this many samples (after the other filters).
    public var limit: Int?
    /// Only these image ids.
    public var imageIDs: Set<Int64>?
    /// Only instances of these categories, given as ids or names (matched against the header).
    public var categories: [String]?
    /// Keep each sample with this probability, decided by a hash of the seed and the image id.
    public var fraction: Double?
    public var seed: UInt64 = 0

    public init(limit: Int? = nil, imageIDs: Set<Int64>? = nil, categories: [String]? = nil,
                fraction: Double? = nil, seed: UInt64 = 0) {
        self.limit = limit
        self.imageIDs = imageIDs
        self.categories = categories
        self.fraction = fraction
        self.seed = seed
    }

    /// True when nothing is filtered.
    public var isEverything: Bool {
        limit == nil && imageIDs == nil && categories == nil && fraction == nil
    }

    /// Whether `--sample` keeps the image `id`: SplitMix64 of seed and id, compared with the fraction.
    public func sampleKeeps(_ id: Int64) -> Bool {
        guard let fraction else { return true }
        let z = SplitMix64.mix(seed &+ UInt64(bitPattern: id) &* SplitMix64.increment)
        return Double(z >> 11) / Double(1 << 53) < fraction
    }
}
