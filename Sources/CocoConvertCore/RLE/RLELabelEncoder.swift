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
        appendRow(count: row.count) { UInt32(row[$0]) }
    }

    /// Appends a row of 32-bit labels.
    public mutating func appendRow(_ row: UnsafeBufferPointer<UInt32>) {
        appendRow(count: row.count) { row[$0] }
    }

    /// Appends a row of 8-bit labels.
    public mutating func appendRow(_ row: UnsafeBufferPointer<UInt8>) {
        appendRow(count: row.count) { UInt32(row[$0]) }
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
    private mutating func appendRow(count: Int, _ label: (Int) -> UInt32) {
        precondition(count == width, "RLELabelEncoder: row has \(count) pixels, expected \(width)")
        precondition(rowsAppended < height, "RLELabelEncoder: more than \(height) rows appended")
        let y = UInt32(truncatingIfNeeded: rowsAppended)
        let first = rowsAppended == 0
        var prev = previous
        previous = []  // keep `prev` uniquely referenced while we mutate self
        prev.withUnsafeMutableBufferPointer { prev in
            var cachedValue: UInt32 = 0
            var cachedSlot = -1
            for x in 0..<count {
                let v = label(x)
                let old = prev[x]
                if v == old && !first { continue }
                if !first {
                    // The old value's mask ends here.
                    if old != cachedValue || cachedSlot < 0 { cachedValue = old; cachedSlot = slot(for: old) }
                    toggle(cachedSlot, x, y)
                }
                if v != cachedValue || cachedSlot < 0 { cachedValue = v; cachedSlot = slot(for: v) }
                toggle(cachedSlot, x, y)
                prev[x] = v
            }
        }
        previous = prev
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
