import Testing
@testable import CocoConvertTFRecord

@Suite struct CRC32CTests {
    /// Bit-at-a-time CRC-32C straight from the definition, to check the sliced tables against.
    static func bitwise(_ bytes: [UInt8]) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            c ^= UInt32(byte)
            for _ in 0..<8 { c = (c & 1) != 0 ? (c >> 1) ^ 0x82F6_3B78 : c >> 1 }
        }
        return ~c
    }

    @Test func checkValueOf123456789() {
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
    }

    @Test func emptyInputIsZero() {
        #expect(CRC32C.checksum([UInt8]()) == 0)
    }

    /// RFC 3720 (iSCSI) B.4 test patterns for CRC32C.
    @Test func rfc3720Vectors() {
        #expect(CRC32C.checksum([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)
        #expect(CRC32C.checksum([UInt8](repeating: 0xFF, count: 32)) == 0x62A8_AB43)
        #expect(CRC32C.checksum((0..<32).map { UInt8($0) }) == 0x46DD_794E)
        #expect(CRC32C.checksum((0..<32).map { UInt8(31 - $0) }) == 0x113F_DB5C)
    }

    @Test func slicedEqualsBitwiseForEveryLengthAndAlignment() {
        var rng = SeededGenerator(seed: 7)
        let data = (0..<300).map { _ in UInt8.random(in: 0...255, using: &rng) }
        for start in 0..<9 {
            for length in 0..<(data.count - start) where length < 40 || length % 17 == 0 {
                let slice = Array(data[start..<(start + length)])
                #expect(CRC32C.checksum(data[start..<(start + length)]) == Self.bitwise(slice))
            }
        }
    }

    @Test func updateContinues() {
        let a = Array("hello ".utf8), b = Array("tfrecord world".utf8)
        let whole = CRC32C.checksum(a + b)
        let continued = b.withUnsafeBytes { CRC32C.update(CRC32C.checksum(a), $0) }
        #expect(continued == whole)
    }

    @Test func maskRoundTripsAndMatchesTensorFlow() {
        // record_writer: masked CRC of an 8-byte zero length is 0x07980329 (bytes 29 03 98 07).
        #expect(CRC32C.mask(CRC32C.checksum([UInt8](repeating: 0, count: 8))) == 0x0798_0329)
        var rng = SeededGenerator(seed: 1)
        for _ in 0..<1000 {
            let crc = UInt32.random(in: 0...UInt32.max, using: &rng)
            #expect(CRC32C.unmask(CRC32C.mask(crc)) == crc)
        }
    }
}
