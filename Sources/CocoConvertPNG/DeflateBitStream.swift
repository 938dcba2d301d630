/// A growable byte buffer written LSB-first, bit by bit, as deflate requires (RFC 1951 §3.1.1).
///
/// Callers reserve room with ``reserve(bits:)`` before writing a known number of bits; the write
/// functions themselves do no capacity checks. A class so the buffer is freed when it goes away.
final class DeflateBitStream {
    private var storage: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    /// Bytes completely written.
    private(set) var byteCount = 0
    /// Pending bits (the low `pendingCount` bits of `pending`); fewer than 32 between writes.
    private var pending: UInt64 = 0
    private var pendingCount = 0

    init(initialCapacity: Int) {
        capacity = max(64, initialCapacity)
        storage = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
    }

    deinit { storage.deallocate() }

    /// Makes room for `bits` more bits (plus slack for the pending word).
    func reserve(bits: Int) {
        let needed = byteCount + bits / 8 + 16
        guard needed > capacity else { return }
        var grown = capacity
        while grown < needed { grown = grown > Int.max / 2 ? needed : grown * 2 }
        let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: grown)
        bigger.update(from: storage, count: byteCount)
        storage.deallocate()
        storage = bigger
        capacity = grown
    }

    /// Appends the low `count` bits of `value` (count ≤ 32).
    @inline(__always)
    func write(_ value: UInt32, count: Int) {
        pending |= UInt64(value) << UInt64(pendingCount)
        pendingCount += count
        if pendingCount >= 32 {
            UnsafeMutableRawPointer(storage + byteCount)
                .storeBytes(of: UInt32(truncatingIfNeeded: pending).littleEndian, as: UInt32.self)
            byteCount += 4
            pending >>= 32
            pendingCount -= 32
        }
    }

    /// Pads with zero bits to a byte boundary and writes out every pending byte.
    func alignToByte() {
        while pendingCount > 0 {
            storage[byteCount] = UInt8(truncatingIfNeeded: pending)
            byteCount += 1
            pending >>= 8
            pendingCount = max(0, pendingCount - 8)
        }
        pending = 0
        pendingCount = 0
    }

    /// Appends whole bytes; the stream must be byte-aligned (after ``alignToByte()``).
    func writeAligned(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        (storage + byteCount).update(from: source, count: bytes.count)
        byteCount += bytes.count
    }

    /// Appends one byte; the stream must be byte-aligned.
    func writeAlignedByte(_ byte: UInt8) {
        storage[byteCount] = byte
        byteCount += 1
    }

    /// The bytes written so far (call after ``alignToByte()``).
    func bytes() -> [UInt8] {
        [UInt8](UnsafeBufferPointer(start: storage, count: byteCount))
    }
}
