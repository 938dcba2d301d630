import CocoConvertCore

/// How label chunks and numeric tables are compressed.
public enum HDF5Compression: Sendable, Hashable, CustomStringConvertible {
    /// No filters.
    case none
    /// Byte shuffle then deflate (HDF5's "gzip" filter) at `level` 1...9.
    case gzip(level: Int)

    /// h5py's default level.
    public static let defaultGzip = HDF5Compression.gzip(level: 4)

    /// Parses `gzip`, `gzip:N` (N in 1...9) or `none`.
    public init(parsing text: String) throws {
        let lower = text.lowercased()
        if lower == "none" {
            self = .none
        } else if lower == "gzip" {
            self = .defaultGzip
        } else if lower.hasPrefix("gzip:"), let level = Int(lower.dropFirst(5)), (1...9).contains(level) {
            self = .gzip(level: level)
        } else {
            throw ConversionError(.usage, "unknown compression '\(text)'", hint: "use gzip, gzip:1 … gzip:9, or none")
        }
    }

    /// `gzip:4` or `none`.
    public var description: String {
        switch self {
        case .none: "none"
        case .gzip(let level): "gzip:\(level)"
        }
    }

    var deflateLevel: Int? {
        if case .gzip(let level) = self { return level }
        return nil
    }
}
