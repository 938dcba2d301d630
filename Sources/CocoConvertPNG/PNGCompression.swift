/// How the PNG encoder compresses image data: cococonvert's label-map deflate encoder, or zlib
/// through libpng with a level, strategy and row filters.
///
/// The default for label maps is ``labelMapDefault`` (the label-map encoder, ``Engine/labelMap``):
/// on COCO label maps it is several times faster than zlib's run-length strategy and writes
/// smaller files than Pillow's level 6 (measurements in formats/png-labels.md). The zlib settings
/// stay available for comparison and for RGB images (panoptic ids, ``rgbDefault``).
public struct PNGCompression: Sendable, Hashable {
    /// Which compressor produces the IDAT zlib stream. libpng writes the PNG container either way.
    public enum Engine: Sendable, Hashable {
        /// cococonvert's deflate encoder for label maps: filter None, runs (distance = one pixel)
        /// and repeated rows (distance = one row) as matches, dynamic Huffman codes.
        /// `level`, `strategy` and `filters` are ignored.
        case labelMap
        /// zlib through libpng with `level`, `strategy` and `filters`.
        case zlib
    }

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

    /// The compressor.
    public var engine: Engine
    /// zlib level, 0 (store) ... 9 (smallest); zlib engine only.
    public var level: Int
    /// zlib strategy; zlib engine only.
    public var strategy: Strategy
    /// Row filters; zlib engine only (the label-map engine always writes filter None).
    public var filters: Filters

    /// zlib settings.
    /// - Precondition: `0 <= level <= 9`, `filters` not empty.
    public init(level: Int, strategy: Strategy, filters: Filters) {
        precondition((0...9).contains(level), "PNGCompression: level must be 0...9")
        precondition(!filters.isEmpty, "PNGCompression: at least one filter")
        self.engine = .zlib
        self.level = level
        self.strategy = strategy
        self.filters = filters
    }

    /// cococonvert's label-map deflate encoder (see ``Engine/labelMap``).
    public static let labelMap: PNGCompression = {
        var c = PNGCompression(level: 6, strategy: .default, filters: .none)
        c.engine = .labelMap
        return c
    }()

    /// The setting cococonvert uses for label maps unless told otherwise: ``labelMap``.
    public static let labelMapDefault = labelMap
    /// The previous default, zlib level 6 with its run-length strategy and filter None (label maps
    /// are long runs of identical bytes); kept for comparison.
    public static let zlibRLE = PNGCompression(level: 6, strategy: .rle, filters: .none)
    /// Pillow's `save(..., compress_level=6)` equivalent for comparison: level 6, default strategy.
    public static let pillowLike = PNGCompression(level: 6, strategy: .default, filters: .none)
}
