/// Builds a column-major COCO RLE from row-major rows, without a dense `height × width` buffer.
///
/// State is O(width + changes): the previous row (one byte per column) and the list of pixels where a
/// column changes value. ``finish()`` groups the changes by column (counting sort) and joins each column's
/// bottom to the next column's top, as column-major order requires. The result is canonical and equal to
/// ``RLE/init(encodingColumnMajor:height:width:)`` of the transposed mask.
///
/// ```swift
/// var encoder = RLERowEncoder(height: h, width: w)
/// for y in 0..<h { encoder.appendRow(labelRow(y), equalTo: 7) }
/// let rle = encoder.finish()
/// ```
public struct RLERowEncoder: Sendable {
    /// Mask height (number of rows to append).
    public let height: Int
    /// Mask width (pixels per row).
    public let width: Int
    /// Rows appended so far.
    public private(set) var rowsAppended = 0
    /// Value (0/1) of each column in the last appended row.
    private var previous: [UInt8]
    /// Column and row of every change (a pixel that differs from the one above it; above row 0 is 0).
    private var changeX: [UInt32] = []
    private var changeY: [UInt32] = []

    /// Starts an encoder for a `height × width` mask.
    ///
    /// - Precondition: `height ≥ 0`, `width ≥ 0`, `height × width ≤ UInt32.max`.
    public init(height: Int, width: Int) {
        precondition(height >= 0 && width >= 0 && height.multipliedFullWidth(by: width).high == 0
                     && height &* width <= Int(UInt32.max), "RLERowEncoder: invalid size")
        self.height = height
        self.width = width
        self.previous = [UInt8](repeating: 0, count: width)
    }

    /// Appends a row where every non-zero byte is foreground.
    ///
    /// - Precondition: `row.count == width`, fewer than `height` rows appended so far.
    public mutating func appendRow(_ row: UnsafeBufferPointer<UInt8>) {
        appendRow(count: row.count) { x in row[x] != 0 ? 1 : 0 }
    }

    /// Appends a row of 16-bit labels; foreground is where the label equals `value`.
    public mutating func appendRow(_ row: UnsafeBufferPointer<UInt16>, equalTo value: UInt16) {
        appendRow(count: row.count) { x in row[x] == value ? 1 : 0 }
    }

    /// Appends a row of 32-bit labels; foreground is where the label equals `value`.
    public mutating func appendRow(_ row: UnsafeBufferPointer<UInt32>, equalTo value: UInt32) {
        appendRow(count: row.count) { x in row[x] == value ? 1 : 0 }
    }

    /// Appends a row given as an array of 0/1 (non-zero = foreground) bytes.
    public mutating func appendRow(_ row: [UInt8]) {
        row.withUnsafeBufferPointer { appendRow($0) }
    }

    @inline(__always)
    private mutating func appendRow(count: Int, _ bit: (Int) -> UInt8) {
        precondition(count == width, "RLERowEncoder: row has \(count) pixels, expected \(width)")
        precondition(rowsAppended < height, "RLERowEncoder: more than \(height) rows appended")
        let y = UInt32(truncatingIfNeeded: rowsAppended)
        previous.withUnsafeMutableBufferPointer { prev in
            guard let base = prev.baseAddress else { return }
            var x = 0
            // Eight pixels at a time: build their 0/1 bytes and compare with the previous row's as one word;
            // most words of a mask row are unchanged from the row above.
            while x &+ 8 <= count {
                var word: UInt64 = 0
                for k in 0..<8 { word |= UInt64(bit(x &+ k)) &<< UInt64(8 &* k) }
                let old = UnsafeRawPointer(base + x).loadUnaligned(as: UInt64.self)
                if word != old {
                    var diff = word ^ old
                    while diff != 0 {
                        let k = diff.trailingZeroBitCount &>> 3
                        changeX.append(UInt32(truncatingIfNeeded: x &+ k))
                        changeY.append(y)
                        diff &= ~(UInt64(0xff) &<< UInt64(k &* 8))
                    }
                    UnsafeMutableRawPointer(base + x).storeBytes(of: word, as: UInt64.self)
                }
                x &+= 8
            }
            while x < count {
                let v = bit(x)
                if v != base[x] {
                    base[x] = v
                    changeX.append(UInt32(truncatingIfNeeded: x))
                    changeY.append(y)
                }
                x &+= 1
            }
        }
        rowsAppended += 1
    }

    /// The finished RLE. Rows not appended count as background. The encoder can be reused only after
    /// re-initialising it.
    public mutating func finish() -> RLE {
        let h = height, w = width
        if rowsAppended < h {
            // Close the columns that are set in the last row: the missing rows are background.
            let y = UInt32(truncatingIfNeeded: rowsAppended)
            previous.withUnsafeMutableBufferPointer { prev in
                for x in 0..<w where prev[x] != 0 {
                    prev[x] = 0
                    changeX.append(UInt32(truncatingIfNeeded: x))
                    changeY.append(y)
                }
            }
            rowsAppended = h
        }
        return RLERowEncoder.assemble(changeX: changeX, changeY: changeY, height: h, width: w)
    }

    /// Builds the column-major RLE from per-column toggles given in row-major order (each column starts at 0
    /// above row 0; a toggle at (x, y) flips the value from row y on).
    static func assemble(changeX: [UInt32], changeY: [UInt32], height h: Int, width w: Int) -> RLE {
        let total = h * w
        let changes = changeX.count
        if changes == 0 || h == 0 {
            return RLE(height: h, width: w, counts: [UInt32(truncatingIfNeeded: total)])
        }
        // Counting sort of the changes by column; rows stay ascending within a column.
        var columnStart = [Int](repeating: 0, count: w + 1)
        var sortedY = [UInt32](repeating: 0, count: changes)
        var counts: [UInt32] = []
        counts.reserveCapacity(changes + 2)
        columnStart.withUnsafeMutableBufferPointer { start in
            changeX.withUnsafeBufferPointer { cx in
                changeY.withUnsafeBufferPointer { cy in
                    sortedY.withUnsafeMutableBufferPointer { sy in
                        for i in 0..<changes { start[Int(cx[i]) &+ 1] &+= 1 }
                        for x in 0..<w { start[x &+ 1] &+= start[x] }
                        // Scatter using start[x] as the fill cursor, then shift back.
                        for i in 0..<changes {
                            let x = Int(cx[i])
                            sy[start[x]] = cy[i]
                            start[x] &+= 1
                        }
                        var x = w
                        while x > 0 { start[x] = start[x &- 1]; x &-= 1 }
                        start[0] = 0

                        // Walk columns; a transition is a pixel differing from the previous pixel in
                        // column-major order. Within a column that is a recorded change; at a column's top
                        // it is (change at row 0) XOR (previous column ended set).
                        var last = 0
                        var previousEnd = false
                        for x in 0..<w {
                            let lo = start[x], hi = start[x &+ 1]
                            let base = x &* h
                            var i = lo
                            let changeAtTop = lo < hi && sy[lo] == 0
                            if changeAtTop != previousEnd {
                                counts.append(UInt32(truncatingIfNeeded: base &- last))
                                last = base
                            }
                            if changeAtTop { i &+= 1 }
                            while i < hi {
                                let p = base &+ Int(sy[i])
                                counts.append(UInt32(truncatingIfNeeded: p &- last))
                                last = p
                                i &+= 1
                            }
                            previousEnd = (hi &- lo) & 1 == 1
                        }
                        counts.append(UInt32(truncatingIfNeeded: total &- last))
                    }
                }
            }
        }
        return RLE(height: h, width: w, counts: counts)
    }
}