import CocoConvertCore

/// Which samples a preview shows, chosen while streaming: the first N, the listed ids, or N at random
/// (reservoir sampling with a seeded generator, so a seed always picks the same samples).
public enum SampleSelection: Sendable, Hashable {
    case first(Int)
    case ids([Int64])
    case random(count: Int, seed: UInt64)

    /// Reads `reader` as far as needed and returns the chosen samples (in source order for `first`
    /// and `random`, in the listed order for `ids`) and the ids that were asked for but not found.
    public func choose(from reader: any DatasetReader) throws -> (samples: [Sample], missing: [Int64]) {
        switch self {
        case .first(let n):
            var chosen: [Sample] = []
            while chosen.count < n, let s = try reader.next() { chosen.append(s) }
            return (chosen, [])
        case .ids(let ids):
            var wanted = Set(ids)
            var found: [Int64: Sample] = [:]
            while !wanted.isEmpty, let s = try reader.next() {
                if wanted.remove(s.id) != nil { found[s.id] = s }
            }
            return (ids.compactMap { found[$0] }, ids.filter { found[$0] == nil })
        case .random(let n, let seed):
            var generator = SplitMix64(seed: seed)
            var reservoir: [(position: Int, sample: Sample)] = []
            var seen = 0
            while let s = try reader.next() {
                if reservoir.count < n {
                    reservoir.append((seen, s))
                } else {
                    let j = Int(generator.next() % UInt64(seen + 1))
                    if j < n { reservoir[j] = (seen, s) }
                }
                seen += 1
            }
            return (reservoir.sorted { $0.position < $1.position }.map(\.sample), [])
        }
    }
}
