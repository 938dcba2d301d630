/// CRC-32C (Castagnoli), the checksum TFRecord frames carry, and TensorFlow's CRC mask.
///
/// Reflected polynomial 0x82F63B78, initial value and final xor 0xFFFFFFFF; the check value of
/// `"123456789"` is 0xE3069283. The implementation is table-driven
/// "slicing-by-16" (sixteen bytes per step, sixteen 256-entry tables, 16 KiB) in plain Swift, so it
/// needs no CPU intrinsics (measured throughput: formats/tfrecord.md).
///
/// ```swift
/// let crc = CRC32C.checksum(Array("123456789".utf8))   // 0xE3069283
/// let stored = CRC32C.mask(crc)                          // what a TFRecord frame holds
/// ```
public enum CRC32C {
    /// The reflected Castagnoli polynomial.
    public static let polynomial: UInt32 = 0x82F6_3B78

    /// The constant TensorFlow adds after rotating (`crc32c::Mask` in TensorFlow's `crc32c.h`).
    public static let maskDelta: UInt32 = 0xA282_EAD8

    /// Sixteen 256-entry tables laid out flat: table k at `k * 256`.
    /// Table 0 is the byte-at-a-time table; table k advances a byte through k more zero bytes.
    private static let tables: [UInt32] = {
        var t = [UInt32](repeating: 0, count: 16 * 256)
        for i in 0..<256 {
            var c = UInt32(i)
            for _ in 0..<8 {
                c = (c & 1) != 0 ? (c >> 1) ^ polynomial : c >> 1
            }
            t[i] = c
        }
        for k in 1..<16 {
            for i in 0..<256 {
                let previous = t[(k - 1) * 256 + i]
                t[k * 256 + i] = (previous >> 8) ^ t[Int(previous & 0xFF)]
            }
        }
        return t
    }()

    /// The CRC-32C of `bytes`.
    public static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        update(0, bytes)
    }

    /// The CRC-32C of `bytes`.
    public static func checksum(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBytes { update(0, $0) }
    }

    /// The CRC-32C of `bytes`.
    public static func checksum(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        bytes.withUnsafeBytes { update(0, $0) }
    }

    /// Continues a CRC-32C: `update(checksum(a), b) == checksum(a + b)`.
    ///
    /// - Parameter crc: a finished CRC (as returned by `checksum`), or 0 to start.
    public static func update(_ crc: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
        guard bytes.count > 0, let base = bytes.baseAddress else { return crc }
        return tables.withUnsafeBufferPointer { t in
            guard let table = t.baseAddress else { return crc }
            return ~sliced(~crc, base, bytes.count, table)
        }
    }

    /// The CRC loop on raw pointers. Kept free of closures and captured variables so the optimiser
    /// holds `c`, `p` and `count` in registers.
    ///
    /// Every table index is a byte (0...255) plus a fixed multiple of 256 below 4096, so the
    /// unchecked reads stay inside the 4096-entry table.
    @inline(__always)
    private static func sliced(_ initial: UInt32, _ start: UnsafeRawPointer, _ length: Int,
                               _ t: UnsafePointer<UInt32>) -> UInt32 {
        var c = initial
        var p = start
        var count = length
        while count >= 16 {
            let w0 = p.loadUnaligned(as: UInt32.self).littleEndian ^ c
            let w1 = p.loadUnaligned(fromByteOffset: 4, as: UInt32.self).littleEndian
            let w2 = p.loadUnaligned(fromByteOffset: 8, as: UInt32.self).littleEndian
            let w3 = p.loadUnaligned(fromByteOffset: 12, as: UInt32.self).littleEndian
            // Split in four partial sums to keep the type checker fast; xor is associative.
            let x0 = t[15 * 256 + Int(w0 & 0xFF)] ^ t[14 * 256 + Int((w0 >> 8) & 0xFF)]
                ^ t[13 * 256 + Int((w0 >> 16) & 0xFF)] ^ t[12 * 256 + Int(w0 >> 24)]
            let x1 = t[11 * 256 + Int(w1 & 0xFF)] ^ t[10 * 256 + Int((w1 >> 8) & 0xFF)]
                ^ t[9 * 256 + Int((w1 >> 16) & 0xFF)] ^ t[8 * 256 + Int(w1 >> 24)]
            let x2 = t[7 * 256 + Int(w2 & 0xFF)] ^ t[6 * 256 + Int((w2 >> 8) & 0xFF)]
                ^ t[5 * 256 + Int((w2 >> 16) & 0xFF)] ^ t[4 * 256 + Int(w2 >> 24)]
            let x3 = t[3 * 256 + Int(w3 & 0xFF)] ^ t[2 * 256 + Int((w3 >> 8) & 0xFF)]
                ^ t[1 * 256 + Int((w3 >> 16) & 0xFF)] ^ t[Int(w3 >> 24)]
            c = x0 ^ x1 ^ x2 ^ x3
            p += 16
            count -= 16
        }
        while count > 0 {
            c = (c >> 8) ^ t[Int((c ^ UInt32(p.load(as: UInt8.self))) & 0xFF)]
            p += 1
            count -= 1
        }
        return c
    }

    /// TensorFlow's masked form of a CRC, stored in TFRecord frames: rotate right by 15, add a constant.
    ///
    /// Masking keeps a CRC of data that itself contains CRCs from being trivially predictable.
    public static func mask(_ crc: UInt32) -> UInt32 {
        ((crc >> 15) | (crc << 17)) &+ maskDelta
    }

    /// The inverse of ``mask(_:)``.
    public static func unmask(_ masked: UInt32) -> UInt32 {
        let rotated = masked &- maskDelta
        return (rotated >> 17) | (rotated << 15)
    }
}
