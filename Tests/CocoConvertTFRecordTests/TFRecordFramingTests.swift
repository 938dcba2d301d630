import CocoConvertCore
import Foundation
import Testing
@testable import CocoConvertTFRecord

@Suite struct TFRecordFramingTests {
    @Test func emptyRecordMatchesReferenceVector() {
        #expect(TFRecordFraming.frame([]) == hexBytes("0000000000000000 29039807 d8ea82a2"))
    }

    @Test func helloRecordMatchesReferenceVector() {
        #expect(TFRecordFraming.frame(Array("hello".utf8))
                == hexBytes("0500000000000000 eab2043e 68656c6c6f bb1f1c19"))
    }

    @Test func decodeReturnsPayloadsInOrder() throws {
        var file: [UInt8] = []
        let payloads: [[UInt8]] = [[], Array("hello".utf8), [UInt8](repeating: 7, count: 70_000)]
        for p in payloads { TFRecordFraming.appendFrame(p, to: &file) }
        #expect(try TFRecordFraming.decodeRecords(file) == payloads)
    }

    /// Three records; the error must name record 1 and its byte offset.
    static func threeRecords() -> (file: [UInt8], offsets: [Int]) {
        var file: [UInt8] = []
        var offsets: [Int] = []
        for p in [Array("first".utf8), Array("second!".utf8), Array("third".utf8)] {
            offsets.append(file.count)
            TFRecordFraming.appendFrame(p, to: &file)
        }
        return (file, offsets)
    }

    @Test func badDataCRCNamesRecordAndOffset() {
        var (file, offsets) = Self.threeRecords()
        file[offsets[1] + 12 + 2] ^= 1
        let error = #expect(throws: ConversionError.self) { try TFRecordFraming.decodeRecords(file, file: "x.tfrecord") }
        #expect(error?.code == .malformedInput)
        #expect(error?.context.byteOffset == offsets[1])
        #expect(error?.context.field == "record 1")
        #expect(error?.message.contains("data CRC") == true)
    }

    @Test func badLengthCRCNamesRecordAndOffset() {
        var (file, offsets) = Self.threeRecords()
        file[offsets[2] + 9] ^= 0x80
        let error = #expect(throws: ConversionError.self) { try TFRecordFraming.decodeRecords(file) }
        #expect(error?.context.byteOffset == offsets[2])
        #expect(error?.context.field == "record 2")
        #expect(error?.message.contains("length CRC") == true)
    }

    @Test func everyTruncationThrowsAndNeverTraps() {
        let (file, offsets) = Self.threeRecords()
        for cut in 1..<file.count where !offsets.contains(cut) {
            #expect(throws: ConversionError.self) { try TFRecordFraming.decodeRecords(Array(file[0..<cut])) }
        }
    }

    @Test func hugeDeclaredLengthIsRejectedBeforeAllocating() {
        // A valid length CRC over an absurd length: must be reported as truncation, not allocated.
        var file: [UInt8] = []
        TFRecordFraming.appendLittleEndian(UInt64(1) << 60, to: &file)
        let crc = CRC32C.mask(CRC32C.checksum(Array(file[0..<8])))
        TFRecordFraming.appendLittleEndian(crc, to: &file)
        file += [1, 2, 3, 4, 5]
        let error = #expect(throws: ConversionError.self) { try TFRecordFraming.decodeRecords(file) }
        #expect(error?.message.contains("remain") == true)
    }

    @Test func gzipInputGetsAHint() {
        let gz: [UInt8] = [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3, 4, 5, 6, 7]
        let error = #expect(throws: ConversionError.self) { try TFRecordFraming.decodeRecords(gz) }
        #expect(error?.hint?.contains("GZIP") == true)
    }

    // MARK: File reader

    @Test func fileReaderReadsTensorFlowWrittenFile() throws {
        let reader = try TFRecordFileReader(path: Fixtures.tfrecord("good/tf-written.tfrecord"))
        var offsets: [Int64] = []
        var count = 0
        while try reader.next() != nil {
            offsets.append(reader.lastRecordOffset)
            count += 1
        }
        #expect(count == 3)
        #expect(offsets == [0, 1036, 2497])  // printed by make_fixture.py
        #expect(try reader.next() == nil)
    }

    @Test func fileReaderMatchesInMemoryDecoder() throws {
        let path = Fixtures.tfrecord("good/tf-written.tfrecord")
        let reader = try TFRecordFileReader(path: path)
        var fromFile: [[UInt8]] = []
        while let p = try reader.next() { fromFile.append(p) }
        #expect(fromFile == (try TFRecordFraming.decodeRecords(try Fixtures.bytes(path))))
    }

    @Test func fileReaderReportsBadCRCFixture() throws {
        let reader = try TFRecordFileReader(path: Fixtures.tfrecord("bad/bad-crc.tfrecord"))
        #expect(try reader.next() != nil)
        let error = #expect(throws: ConversionError.self) { try reader.next() }
        #expect(error?.context.field == "record 1")
        #expect(error?.context.byteOffset == 1036)
        #expect(error?.context.file?.hasSuffix("bad-crc.tfrecord") == true)
        #expect(error?.message.contains("data CRC") == true)
    }

    @Test func fileReaderReportsTruncatedFixture() throws {
        let reader = try TFRecordFileReader(path: Fixtures.tfrecord("bad/truncated.tfrecord"))
        #expect(try reader.next() != nil)
        #expect(try reader.next() != nil)
        let error = #expect(throws: ConversionError.self) { try reader.next() }
        #expect(error?.context.field == "record 2")
        #expect(error?.context.byteOffset == 2497)
    }

    @Test func fileReaderOnLargeRecordsAcrossBufferBoundaries() throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var rng = SeededGenerator(seed: 3)
        var file: [UInt8] = []
        var payloads: [[UInt8]] = []
        for _ in 0..<40 {
            let n = Int.random(in: 0...150_000, using: &rng)
            let p = (0..<n).map { _ in UInt8.random(in: 0...255, using: &rng) }
            payloads.append(p)
            TFRecordFraming.appendFrame(p, to: &file)
        }
        let path = dir + "/big.tfrecord"
        try Data(file).write(to: URL(fileURLWithPath: path))
        let reader = try TFRecordFileReader(path: path)
        var got: [[UInt8]] = []
        while let p = try reader.next() { got.append(p) }
        #expect(got == payloads)
    }

    @Test func missingFileIsAnIOError() {
        let error = #expect(throws: ConversionError.self) { try TFRecordFileReader(path: "/nonexistent/x.tfrecord") }
        #expect(error?.code == .io)
    }
}
