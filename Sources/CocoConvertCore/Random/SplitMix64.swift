/// A small, fast, seedable generator (SplitMix64): the same seed gives the same sequence on every
/// platform and every run, which is what `--sample`, `preview --random`, benchmarks and property tests
/// need (the system generator is neither seedable nor stable).
public struct SplitMix64: RandomNumberGenerator, Sendable {
    /// The step added to the state before each output (2⁶⁴ divided by the golden ratio).
    public static let increment: UInt64 = 0x9E37_79B9_7F4A_7C15

    private var state: UInt64

    /// A generator whose first output is `mix(seed + increment)`.
    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= Self.increment
        return Self.mix(state)
    }

    /// SplitMix64's finaliser: a bijection of 64-bit values whose outputs look independent, so that a
    /// hash of (seed, id) decides per item without keeping a generator.
    @inline(__always)
    public static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
