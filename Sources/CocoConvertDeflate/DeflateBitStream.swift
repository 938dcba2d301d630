/// A growable byte buffer written LSB-first, bit by bit, as deflate requires (RFC 1951 §3.1.1).
///
/// Callers reserve room with ``reserve(bits:)`` before writing a known number of bits; the write
/// functions themselves do no capacity checks. Hot loops take a ``Cursor`` (``withCursor(_:)``),
/// which keeps the bit state in registers. A class so the buffer is freed when it goes away.
final class DeflateBitStream {
    /// The write position and pending bits.
    struct Cursor {
        fileprivate var storage: UnsafeMutablePointer<UInt8>
        /// Bytes completely written.
        fileprivate(set) var byteCount = 0
        /// Pending bits: the low `pendingCount` (< 8 between writes) bits of `pending`.
        fileprivate var pending: UInt64 = 0
        fileprivate var pendingCount = 0

        /// Appends the low `count` bits of `value` (count ≤ 56). Writes 8 bytes at the current
        /// position, of which the complete ones are kept: there must be 8 bytes of room.
        @inline(__always)
        mutating func write(_ value: UInt64, count: Int) {
            pending |= value << UInt64(pendingCount)
            pendingCount &+= count
            UnsafeMutableRawPointer(storage + byteCount).storeBytes(of: pending.littleEndian, as: UInt64.self)
            let full = pendingCount >> 3
            byteCount &+= full
            pending = pending >> UInt64(full &* 8)
            pendingCount &= 7
        }

        /// Pads with zero bits to a byte boundary.
        mutating func alignToByte() {
            if pendingCount > 0 {
                storage[byteCount] = UInt8(truncatingIfNeeded: pending)
                byteCount &+= 1
            }
            pending = 0
            pendingCount = 0
        }
    }

    private var cursor: Cursor
    private var capacity: Int

    init(initialCapacity: Int) {
        capacity = max(64, initialCapacity)
        cursor = Cursor(storage: UnsafeMutablePointer<UInt8>.allocate(capacity: capacity))
    }

    deinit { cursor.storage.deallocate() }

    /// Bytes completely written.
    var byteCount: Int { cursor.byteCount }

    /// Makes room for `bits` more bits (plus slack for the 8-byte stores).
    func reserve(bits: Int) {
        let needed = cursor.byteCount + bits / 8 + 32
        guard needed > capacity else { return }
        var grown = capacity
        while grown < needed { grown = grown > Int.max / 2 ? needed : grown * 2 }
        let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: grown)
        bigger.update(from: cursor.storage, count: cursor.byteCount)   // pending bits live in `pending`
        cursor.storage.deallocate()
        cursor.storage = bigger
        capacity = grown
    }

    /// Runs `body` with the cursor (state copied in and back).
    @inline(__always)
    func withCursor<R>(_ body: (inout Cursor) -> R) -> R {
        var local = cursor
        defer { cursor = local }
        return body(&local)
    }

    /// Appends the low `count` bits of `value` (count ≤ 56).
    func write(_ value: UInt64, count: Int) {
        cursor.write(value, count: count)
    }

    /// Pads with zero bits to a byte boundary.
    func alignToByte() {
        cursor.alignToByte()
    }

    /// Appends whole bytes; the stream must be byte-aligned (after ``alignToByte()``).
    func writeAligned(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        (cursor.storage + cursor.byteCount).update(from: source, count: bytes.count)
        cursor.byteCount += bytes.count
    }

    /// Appends one byte; the stream must be byte-aligned.
    func writeAlignedByte(_ byte: UInt8) {
        cursor.storage[cursor.byteCount] = byte
        cursor.byteCount += 1
    }

    /// The bytes written so far (call after ``alignToByte()``).
    func bytes() -> [UInt8] {
        [UInt8](UnsafeBufferPointer(start: cursor.storage, count: cursor.byteCount))
    }
}
