/// Reads a column-major COCO RLE row by row (row-major), without a dense `height × width` buffer.
///
/// State is O(width + height + runs): the current row (one byte per column), and the RLE's value changes
/// bucketed by row. Each ``advance()`` applies that row's changes, so a row costs O(changes in the row);
/// rows without foreground are recognised in O(1) and painting only touches the mask's column range.
///
/// ```swift
/// var stream = RLERowStream(rle)
/// while stream.paintNextRow(labelRow, value: 7) { ... }   // or nextRow(into:), nextRowSpans { }
/// ```
///
/// Never traps on an invalid RLE: changes at or beyond `height × width` are ignored and a negative size, or
/// one beyond `UInt32.max` pixels, yields no rows. Validate RLEs from files first for meaningful output.
public struct RLERowStream: Sendable {
    /// Mask height (number of rows).
    public let height: Int
    /// Mask width (pixels per row).
    public let width: Int
    /// Columns that contain foreground anywhere (empty for an empty mask).
    public let foregroundColumns: Range<Int>
    /// Index of the row the next ``advance()`` moves to (rows delivered so far).
    public private(set) var nextRowIndex = 0
    /// Number of foreground pixels in the current row.
    public private(set) var currentRowCount = 0

    /// Values (0/1) of the current row; before the first advance, the value each column's top inherits.
    private var current: [UInt8]
    /// Columns of the changes, grouped by row: row y's are `changeColumns[rowStart[y] ..< rowStart[y+1]]`.
    private var changeColumns: [UInt32]
    private var rowStart: [Int32]

    /// Prepares to stream `rle`.
    public init(_ rle: RLE) {
        let h = rle.height, w = rle.width
        guard let total = rle.pixelCount, h > 0, w > 0, total <= Int(UInt32.max) else {
            // Empty, negative or impossible (beyond UInt32 pixels) sizes: an empty stream; an empty
            // dimension still yields its rows (of no pixels) or no rows.
            let sane = (rle.pixelCount ?? Int.max) <= Int(UInt32.max)
            height = sane ? Swift.max(rle.height, 0) : 0
            width = sane ? Swift.max(rle.width, 0) : 0
            foregroundColumns = 0..<0
            current = [UInt8](repeating: 0, count: sane ? Swift.max(rle.width, 0) : 0)
            changeColumns = []
            rowStart = [Int32](repeating: 0, count: (sane ? Swift.max(rle.height, 0) : 0) + 1)
            return
        }
        height = h
        width = w
        var rowStart = [Int32](repeating: 0, count: h + 1)
        var current = [UInt8](repeating: 0, count: w)
        var changes = 0
        var firstColumn = w, lastColumn = -1
        rle.counts.withUnsafeBufferPointer { counts in
            rowStart.withUnsafeMutableBufferPointer { rs in
                current.withUnsafeMutableBufferPointer { cur in
                    // Pass 1: count changes per row; mark column-top inheritance flips; foreground columns.
                    var p = 0
                    var j = 0
                    let m = counts.count
                    while j < m &- 1 {
                        let runStart = p
                        p &+= Int(counts[j])
                        if p >= total { break }
                        if j & 1 == 1 && p > runStart {
                            // Foreground run [runStart, p).
                            firstColumn = Swift.min(firstColumn, runStart / h)
                            lastColumn = Swift.max(lastColumn, (p &- 1) / h)
                        }
                        let x = p / h
                        rs[p &- x &* h &+ 1] &+= 1
                        if x &+ 1 < w { cur[x &+ 1] ^= 1 }
                        changes &+= 1
                        j &+= 1
                    }
                    // A last foreground run that reaches the end (or is cut off by it).
                    if j < m, j & 1 == 1, p < total {
                        let end = Swift.min(p &+ Int(counts[j]), total)
                        if end > p {
                            firstColumn = Swift.min(firstColumn, p / h)
                            lastColumn = Swift.max(lastColumn, (end &- 1) / h)
                        }
                    }
                    for y in 0..<h { rs[y &+ 1] &+= rs[y] }
                    // Prefix XOR: the value a column's top inherits from the previous column's bottom.
                    var v: UInt8 = 0
                    for x in 0..<w {
                        v ^= cur[x]
                        cur[x] = v
                    }
                }
            }
        }
        // Pass 2: scatter change columns into their rows (columns ascend within a row).
        var changeColumns = [UInt32](repeating: 0, count: changes)
        var fill = rowStart
        rle.counts.withUnsafeBufferPointer { counts in
            changeColumns.withUnsafeMutableBufferPointer { cc in
                fill.withUnsafeMutableBufferPointer { f in
                    var p = 0
                    var j = 0
                    let m = counts.count
                    while j < m &- 1 {
                        p &+= Int(counts[j])
                        if p >= total { break }
                        let x = p / h
                        let y = p &- x &* h
                        cc[Int(f[y])] = UInt32(truncatingIfNeeded: x)
                        f[y] &+= 1
                        j &+= 1
                    }
                }
            }
        }
        var ones = 0
        for v in current { ones &+= Int(v) }
        self.currentRowCount = ones
        self.current = current
        self.rowStart = rowStart
        self.changeColumns = changeColumns
        self.foregroundColumns = lastColumn >= firstColumn ? firstColumn..<(lastColumn + 1) : 0..<0
    }

    /// Moves to the next row; `false` when all rows have been delivered.
    public mutating func advance() -> Bool {
        guard nextRowIndex < height else { return false }
        applyChanges(row: nextRowIndex)
        nextRowIndex &+= 1
        return true
    }

    private mutating func applyChanges(row y: Int) {
        let lo = Int(rowStart[y]), hi = Int(rowStart[y &+ 1])
        if lo == hi { return }
        var delta = 0
        current.withUnsafeMutableBufferPointer { cur in
            changeColumns.withUnsafeBufferPointer { cc in
                for i in lo..<hi {
                    let x = Int(cc[i])
                    let v = cur[x] ^ 1
                    cur[x] = v
                    delta &+= v == 1 ? 1 : -1
                }
            }
        }
        currentRowCount &+= delta
    }

    /// Calls `body` with the current row's 0/1 bytes (`width` of them). Valid after ``advance()``.
    public func withCurrentRow<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try current.withUnsafeBufferPointer(body)
    }

    /// Advances and writes the row as 0/1 bytes into `row[0..<width]`; `false` when there are no more rows.
    ///
    /// - Precondition: `row.count ≥ width`.
    public mutating func nextRow(into row: UnsafeMutableBufferPointer<UInt8>) -> Bool {
        precondition(row.count >= width, "RLERowStream: row buffer too small")
        guard advance() else { return false }
        guard let dst = row.baseAddress else { return true }
        if currentRowCount == 0 {
            dst.update(repeating: 0, count: width)
        } else {
            current.withUnsafeBufferPointer { cur in
                if let src = cur.baseAddress { dst.update(from: src, count: width) }
            }
        }
        return true
    }

    /// Advances and stores `value` into `row[x]` wherever the mask is set, leaving other pixels alone
    /// ("later wins" painting; 8-, 16- or 32-bit labels); `false` when there are no more rows.
    ///
    /// - Precondition: `row.count ≥ width`.
    public mutating func paintNextRow<T: FixedWidthInteger>(_ row: UnsafeMutableBufferPointer<T>, value: T) -> Bool {
        precondition(row.count >= width, "RLERowStream: row buffer too small")
        guard advance() else { return false }
        if currentRowCount == 0 { return true }
        let range = foregroundColumns
        Self.select(current, range, row, value)
        return true
    }

    /// `row[x] = value` where the current row is set, for `x` in `range`; branch-free so it vectorises.
    @inline(__always)
    private static func select<T: FixedWidthInteger>(_ current: [UInt8], _ range: Range<Int>,
                                                     _ row: UnsafeMutableBufferPointer<T>, _ value: T) {
        current.withUnsafeBufferPointer { cur in
            guard let src = cur.baseAddress, let dst = row.baseAddress else { return }
            for x in range {
                // mask is all ones where set, zero elsewhere.
                let mask = T(truncatingIfNeeded: 0 &- Int(src[x]))
                dst[x] = (dst[x] & ~mask) | (value & mask)
            }
        }
    }

    /// Advances and calls `body(start, end)` for each maximal foreground span `start..<end` of the row,
    /// left to right; `false` when there are no more rows.
    public mutating func nextRowSpans(_ body: (_ start: Int, _ end: Int) throws -> Void) rethrows -> Bool {
        guard advance() else { return false }
        if currentRowCount == 0 { return true }
        let range = foregroundColumns
        try current.withUnsafeBufferPointer { cur in
            var x = range.lowerBound
            let end = range.upperBound
            while x < end {
                if cur[x] == 0 { x &+= 1; continue }
                let start = x
                while x < end && cur[x] != 0 { x &+= 1 }
                try body(start, x)
            }
        }
        return true
    }
}
