/// Builds one column-major COCO RLE per label value from row-major label rows, in a single pass.
///
/// The multi-value counterpart of ``RLERowEncoder`` for label maps (PNG, VOC, HDF5, panoptic id maps →
/// COCO): instead of one pass per value, each pixel that differs from the one above it toggles two masks
/// (the old value's and the new value's). State is O(width + changes).
///
/// ```swift
/// var encoder = RLELabelEncoder(height: h, width: w)
/// for y in 0..<h { encoder.appendRow(row(y)) }
/// for (value, rle) in encoder.finish() where value != 0 { ... }
/// ```
public struct RLELabelEncoder: Sendable {
    /// Map height (number of rows to append).
    public let height: Int
    /// Map width (pixels per row).
    public let width: Int
    /// Rows appended so far.
    public private(set) var rowsAppended = 0
    private var previous: [UInt32]
    /// The previous row's raw bytes (for the word-at-a-time "unchanged" test) and their element size.
    private var previousBytes: [UInt8] = []
    private var previousElementSize = 0
    private var slotOfValue: [UInt32: Int] = [:]
    private var values: [UInt32] = []
    private var changeX: [[UInt32]] = []
    private var changeY: [[UInt32]] = []

    /// Starts an encoder for a `height × width` label map.
    ///
    /// - Precondition: `height ≥ 0`, `width ≥ 0`, `height × width ≤ UInt32.max`.
    public init(height: Int, width: Int) {
        precondition(height >= 0 && width >= 0 && height.multipliedFullWidth(by: width).high == 0
                     && height &* width <= Int(UInt32.max), "RLELabelEncoder: invalid size")
        self.height = height
        self.width = width
        self.previous = [UInt32](repeating: 0, count: width)
    }

    /// Appends a row of 16-bit labels.
    ///
    /// - Precondition: `row.count == width`, fewer than `height` rows appended so far.
    public mutating func appendRow(_ row: UnsafeBufferPointer<UInt16>) {
        appendRow(row, count: row.count) { UInt32(row[$0]) }
    }

    /// Appends a row of 32-bit labels.
    public mutating func appendRow(_ row: UnsafeBufferPointer<UInt32>) {
        appendRow(row, count: row.count) { row[$0] }
    }

    /// Appends a row of 8-bit labels.
    public mutating func appendRow(_ row: UnsafeBufferPointer<UInt8>) {
        appendRow(row, count: row.count) { UInt32(row[$0]) }
    }

    private mutating func slot(for value: UInt32) -> Int {
        if let slot = slotOfValue[value] { return slot }
        let slot = values.count
        slotOfValue[value] = slot
        values.append(value)
        changeX.append([])
        changeY.append([])
        return slot
    }

    private mutating func toggle(_ slot: Int, _ x: Int, _ y: UInt32) {
        changeX[slot].append(UInt32(truncatingIfNeeded: x))
        changeY[slot].append(y)
    }

    @inline(__always)
    private mutating func appendRow<T>(_ raw: UnsafeBufferPointer<T>, count: Int, _ label: (Int) -> UInt32) {
        precondition(count == width, "RLELabelEncoder: row has \(count) pixels, expected \(width)")
        precondition(rowsAppended < height, "RLELabelEncoder: more than \(height) rows appended")
        let y = UInt32(truncatingIfNeeded: rowsAppended)
        let size = MemoryLayout<T>.stride
        // Word-at-a-time skipping of unchanged pixels needs the previous row in the same element type.
        let comparable = rowsAppended > 0 && previousElementSize == size
        let perWord = 8 / size
        var prev = previous
        previous = []  // keep `prev` uniquely referenced while we mutate self
        var old = previousBytes
        previousBytes = []
        if old.count != count * size { old = [UInt8](repeating: 0, count: count * size) }
        let first = rowsAppended == 0
        prev.withUnsafeMutableBufferPointer { prev in
            old.withUnsafeMutableBytes { oldBytes in
                let rawRow = UnsafeRawBufferPointer(raw)
                var cachedValue: UInt32 = 0
                var cachedSlot = -1
                var x = 0
                while x < count {
                    if comparable && x % perWord == 0 && x &+ perWord <= count {
                        let a = rawRow.loadUnaligned(fromByteOffset: x &* size, as: UInt64.self)
                        let b = oldBytes.loadUnaligned(fromByteOffset: x &* size, as: UInt64.self)
                        if a == b { x &+= perWord; continue }
                    }
                    let v = label(x)
                    let o = prev[x]
                    if v != o || first {
                        if !first {
                            // The old value's mask ends here.
                            if o != cachedValue || cachedSlot < 0 { cachedValue = o; cachedSlot = slot(for: o) }
                            toggle(cachedSlot, x, y)
                        }
                        if v != cachedValue || cachedSlot < 0 { cachedValue = v; cachedSlot = slot(for: v) }
                        toggle(cachedSlot, x, y)
                        prev[x] = v
                    }
                    x &+= 1
                }
                oldBytes.copyMemory(from: rawRow)
            }
        }
        previous = prev
        previousBytes = old
        previousElementSize = size
        rowsAppended += 1
    }

    /// One RLE per value that occurs, sorted by value. Rows not appended belong to no value.
    public mutating func finish() -> [(value: UInt32, rle: RLE)] {
        if rowsAppended > 0 && rowsAppended < height {
            let y = UInt32(truncatingIfNeeded: rowsAppended)
            let last = previous
            for x in 0..<width { toggle(slot(for: last[x]), x, y) }
        }
        rowsAppended = height
        var result: [(value: UInt32, rle: RLE)] = []
        result.reserveCapacity(values.count)
        for (slot, value) in values.enumerated() {
            result.append((value, RLERowEncoder.assemble(changeX: changeX[slot], changeY: changeY[slot],
                                                         height: height, width: width)))
        }
        result.sort { $0.value < $1.value }
        return result
    }
}
