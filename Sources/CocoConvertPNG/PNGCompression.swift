/// zlib and filter settings for the PNG encoder.
///
/// The default was chosen by measuring real COCO label maps (see PERFORMANCE.md): label maps are
/// long runs of identical bytes, which filter "none" plus zlib's run-length strategy compress
/// about as well as Pillow's level 6 at a fraction of the time.
public struct PNGCompression: Sendable, Hashable {
    /// zlib strategy (values equal zlib's `Z_*` constants).
    public enum Strategy: Int, Sendable, Hashable, CaseIterable {
        case `default` = 0
        case filtered = 1
        case huffmanOnly = 2
        case rle = 3
    }

    /// PNG row filters; several may be combined, in which case libpng chooses per row.
    public struct Filters: OptionSet, Sendable, Hashable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }
        public static let none = Filters(rawValue: 0x08)
        public static let sub = Filters(rawValue: 0x10)
        public static let up = Filters(rawValue: 0x20)
        public static let average = Filters(rawValue: 0x40)
        public static let paeth = Filters(rawValue: 0x80)
        /// All five; libpng's adaptive choice.
        public static let all: Filters = [.none, .sub, .up, .average, .paeth]
    }

    /// zlib level, 0 (store) ... 9 (smallest).
    public var level: Int
    public var strategy: Strategy
    public var filters: Filters

    /// - Precondition: `0 <= level <= 9`, `filters` not empty.
    public init(level: Int, strategy: Strategy, filters: Filters) {
        precondition((0...9).contains(level), "PNGCompression: level must be 0...9")
        precondition(!filters.isEmpty, "PNGCompression: at least one filter")
        self.level = level
        self.strategy = strategy
        self.filters = filters
    }

    /// The setting cococonvert uses for label maps unless told otherwise.
    public static let labelMapDefault = PNGCompression(level: 6, strategy: .rle, filters: .none)
    /// Pillow's `save(..., compress_level=6)` equivalent for comparison: level 6, default strategy.
    public static let pillowLike = PNGCompression(level: 6, strategy: .default, filters: .none)
}
