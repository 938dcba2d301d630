/// CRC-32C (Castagnoli), the checksum TFRecord frames carry, and TensorFlow's CRC mask.
///
/// Reflected polynomial 0x82F63B78, initial value and final xor 0xFFFFFFFF; the check value of
/// `"123456789"` is 0xE3069283. The implementation is table-driven "slicing-by-8" in plain Swift
/// (eight bytes per step, eight 256-entry tables), so it needs no CPU intrinsics.
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

    /// Eight 256-entry tables laid out flat: table k at `k * 256`.
    /// Table 0 is the byte-at-a-time table; table k advances a byte through k more zero bytes.
    private static let tables: [UInt32] = {
        var t = [UInt32](repeating: 0, count: 8 * 256)
        for i in 0..<256 {
            var c = UInt32(i)
            for _ in 0..<8 {
                c = (c & 1) != 0 ? (c >> 1) ^ polynomial : c >> 1
            }
            t[i] = c
        }
        for k in 1..<8 {
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
        var c = ~crc
        var count = bytes.count
        guard count > 0, let base = bytes.baseAddress else { return crc }
        var p = base
        tables.withUnsafeBufferPointer { t in
            // Every table index below is a byte (0...255) plus a fixed multiple of 256 below 2048,
            // so the unchecked reads stay inside the 2048-entry buffer.
            guard let t0 = t.baseAddress else { return }
            while count >= 8 {
                let lo = p.loadUnaligned(as: UInt32.self).littleEndian ^ c
                let hi = p.loadUnaligned(fromByteOffset: 4, as: UInt32.self).littleEndian
                c = t0[7 * 256 + Int(lo & 0xFF)]
                    ^ t0[6 * 256 + Int((lo >> 8) & 0xFF)]
                    ^ t0[5 * 256 + Int((lo >> 16) & 0xFF)]
                    ^ t0[4 * 256 + Int(lo >> 24)]
                    ^ t0[3 * 256 + Int(hi & 0xFF)]
                    ^ t0[2 * 256 + Int((hi >> 8) & 0xFF)]
                    ^ t0[1 * 256 + Int((hi >> 16) & 0xFF)]
                    ^ t0[Int(hi >> 24)]
                p += 8
                count -= 8
            }
            while count > 0 {
                c = (c >> 8) ^ t0[Int((c ^ UInt32(p.load(as: UInt8.self))) & 0xFF)]
                p += 1
                count -= 1
            }
        }
        return ~c
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
