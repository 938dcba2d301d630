import CocoConvertCore

/// A height × width pair, as given on the command line (`512x640` = 512 rows, 640 columns).
public struct HDF5Size: Sendable, Hashable, CustomStringConvertible {
    public var height: Int
    public var width: Int

    /// A size of `height` rows and `width` columns.
    public init(height: Int, width: Int) {
        self.height = height
        self.width = width
    }

    /// Parses `HxW` (also `H×W` and `H,W`) with both sides in 1...65535.
    public init(parsing text: String) throws {
        let parts = text.split(whereSeparator: { $0 == "x" || $0 == "X" || $0 == "×" || $0 == "," })
        guard parts.count == 2, let h = Int(parts[0]), let w = Int(parts[1]), (1...65_535).contains(h), (1...65_535).contains(w) else {
            throw ConversionError(.usage, "'\(text)' is not a size", hint: "write HEIGHTxWIDTH, e.g. 512x512")
        }
        self.init(height: h, width: w)
    }

    /// `HxW`.
    public var description: String { "\(height)x\(width)" }
}
