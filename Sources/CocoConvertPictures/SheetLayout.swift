/// Where a contact sheet puts its tiles. Tiles sit in a grid, row by row, each `cellWidth ×
/// cellHeight` for the picture plus a caption strip of ``captionHeight`` underneath, with
/// ``margin`` pixels around and between them. A picture is drawn at its cell's top-left corner.
public struct SheetLayout: Sendable, Hashable {
    public static let margin = 8
    public static let captionHeight = 20

    public let columns: Int
    public let rows: Int
    public let cellWidth: Int
    public let cellHeight: Int

    /// A grid for `count` tiles: `columns` if given, else ⌈√count⌉.
    public init(count: Int, cellWidth: Int, cellHeight: Int, columns: Int? = nil) {
        let n = max(1, count)
        var c = columns ?? 1
        if columns == nil { while c * c < n { c += 1 } }
        c = max(1, min(c, n))
        self.columns = c
        rows = (n + c - 1) / c
        self.cellWidth = cellWidth
        self.cellHeight = cellHeight
    }

    public var width: Int { Self.margin + columns * (cellWidth + Self.margin) }
    public var height: Int { Self.margin + rows * (cellHeight + Self.captionHeight + Self.margin) }

    /// The top-left corner of tile `index`'s picture.
    public func origin(of index: Int) -> (x: Int, y: Int) {
        let column = index % columns, row = index / columns
        return (Self.margin + column * (cellWidth + Self.margin), Self.margin + row * (cellHeight + Self.captionHeight + Self.margin))
    }
}
