import CocoConvertCore

/// How label chunks and tables are compressed. Every choice is plain HDF5 deflate (gzip), which any
/// HDF5 reader decodes; they differ only in how cococonvert searches for matches.
public enum HDF5Compression: Sendable, Hashable, CustomStringConvertible {
    /// No filters.
    case none
    /// Byte shuffle then deflate. Label chunks go through cococonvert's label-map encoder
    /// (`LabelMapDeflate`: runs and repeated rows) when `labelMapEncoder` is set, else zlib's classic
    /// search at `level` (1...9); tables always use zlib at `level`.
    case gzip(level: Int, labelMapEncoder: Bool)

    /// The default: the label-map encoder for labels (on COCO label maps smaller than zlib's
    /// classic levels up to 6 and several times faster than its fastest strategy), level 4 for tables.
    public static let defaultGzip = HDF5Compression.gzip(level: 4, labelMapEncoder: true)

    /// Parses `gzip` (the default, run-length), `gzip:N` (classic level N in 1...9) or `none`.
    public init(parsing text: String) throws {
        let lower = text.lowercased()
        if lower == "none" {
            self = .none
        } else if lower == "gzip" {
            self = .defaultGzip
        } else if lower.hasPrefix("gzip:"), let level = Int(lower.dropFirst(5)), (1...9).contains(level) {
            self = .gzip(level: level, labelMapEncoder: false)
        } else {
            throw ConversionError(.usage, "unknown compression '\(text)'", hint: "use gzip, gzip:1 … gzip:9, or none")
        }
    }

    /// `gzip`, `gzip:6` or `none`, as parsed.
    public var description: String {
        switch self {
        case .none: "none"
        case .gzip(_, true): "gzip"
        case .gzip(let level, false): "gzip:\(level)"
        }
    }

    var deflateLevel: Int? {
        if case .gzip(let level, _) = self { return level }
        return nil
    }

    var labelMapEncoder: Bool {
        if case .gzip(_, true) = self { return true }
        return false
    }
}
