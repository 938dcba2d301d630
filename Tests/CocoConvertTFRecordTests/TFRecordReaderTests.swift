import CocoConvertCore
import Foundation
import Testing
@testable import CocoConvertTFRecord

@Suite struct TFRecordReaderTests {
    static let tfWritten = Fixtures.tfrecord("good/tf-written.tfrecord")

    /// The file TensorFlow wrote holds one DeepLab record then two OD records (the last unpacked,
    /// without class labels). Read as OD, the DeepLab record is reported and skipped.
    @Test func readsTensorFlowWrittenFileAsOD() throws {
        let skips = SkipReport(policy: .skip)
        let reader = try TFRecordReader(path: Self.tfWritten, options: TFRecordReaderOptions(schema: .od), skips: skips)
        // No label map: categories from a scan (labels 17 'cat', 18 'dog'; texts without labels get new ids).
        #expect(reader.header.categories.map(\.id) == [17, 18, 19, 20])
        #expect(reader.header.categories.map(\.name) == ["cat", "dog", "person", "kite"])
        #expect(reader.header.sampleCount == 3)
        let samples = try readAll(reader)
        #expect(skips.count == 1)
        #expect(skips.jsonLines.first?.contains("record 0") == true)
        #expect(samples.map(\.id) == [42, 7])
        let s42 = samples[0]
        #expect(s42.fileName == "000000000042.jpg" && s42.width == 8 && s42.height == 6)
        #expect(s42.instances.map(\.categoryID) == [17, 18])
        #expect(s42.instances.map(\.isCrowd) == [false, true])
        // Masks as TensorFlow encoded them: rows 1..3 × cols 1..4, rows 3..5 × cols 4..7.
        let r0 = try s42.instances[0].geometry.rle(height: 6, width: 8)
        #expect(r0.area == 12 && r0.boundingBox == BoundingBox(x: 1, y: 1, width: 4, height: 3))
        let r1 = try s42.instances[1].geometry.rle(height: 6, width: 8)
        #expect(r1.area == 12 && r1.boundingBox == BoundingBox(x: 4, y: 3, width: 4, height: 3))
        #expect(s42.instances[1].bbox == BoundingBox(x: 4, y: 3, width: 4, height: 3))
        let s7 = samples[1]
        #expect(s7.instances.map(\.categoryID) == [19, 19, 20])
        #expect(s7.instances[0].bbox == BoundingBox(x: 1, y: 1, width: 2, height: 2))
        #expect(s7.instances.map(\.area) == [4, 10, 2])
        if case .none = s7.instances[0].geometry {} else { Issue.record("boxes only: no mask expected") }
    }

    @Test func boxMasksGiveBoxOnlyObjectsTheirBox() throws {
        let skips = SkipReport(policy: .skip)
        let reader = try TFRecordReader(path: Self.tfWritten, options: TFRecordReaderOptions(schema: .od, boxMasks: true), skips: skips)
        let s7 = try #require(try readAll(reader).last)
        #expect(s7.id == 7)
        let masks = try s7.instances.map { try $0.geometry.rle(height: 4, width: 5) }
        #expect(masks.map(\.area) == [4, 10, 4])  // box areas (the records' area field says 4, 10, 2)
        #expect(masks.map(\.boundingBox) == s7.instances.map(\.bbox))
    }

    @Test func readsTensorFlowWrittenFileAsDeepLab() throws {
        let skips = SkipReport(policy: .skip)
        let reader = try TFRecordReader(path: Self.tfWritten, skips: skips)  // detected from record 0
        #expect(reader.schema == .deeplab)
        #expect(reader.header.categories.map(\.id) == [1, 18])
        let samples = try readAll(reader)
        #expect(skips.count == 2)
        #expect(samples.count == 1)
        let s = samples[0]
        #expect(s.id == 1 && s.fileName == "000000000001.jpg")
        #expect(s.instances.map(\.categoryID) == [1, 18])
        #expect(s.instances.map(\.area) == [6, 12])
        #expect(s.instances[1].bbox == BoundingBox(x: 1, y: 1, width: 4, height: 3))
    }

    @Test func badCRCUnderFailNamesRecordAndOffset() throws {
        let reader = try TFRecordReader(path: Fixtures.tfrecord("bad/bad-crc.tfrecord"), options: TFRecordReaderOptions(schema: .deeplab),
                                        skips: SkipReport(policy: .fail))
        #expect(try reader.next() != nil)
        let error = #expect(throws: ConversionError.self) { try reader.next() }
        #expect(error?.context.field == "record 1")
        #expect(error?.context.byteOffset == 1036)
    }

    @Test func badCRCUnderSkipGoesOn() throws {
        let skips = SkipReport(policy: .skip)
        let reader = try TFRecordReader(path: Fixtures.tfrecord("bad/bad-crc.tfrecord"), options: TFRecordReaderOptions(schema: .od),
                                        skips: skips)
        let samples = try readAll(reader)
        // record 0 is DeepLab (skipped as not OD), record 1 has a bad CRC, record 2 reads.
        #expect(samples.map(\.id) == [7])
        #expect(skips.jsonLines.contains { $0.contains("data CRC") })
    }

    @Test func truncatedFileUnderSkipStopsThatFile() throws {
        let skips = SkipReport(policy: .skip)
        let samples = try readAll(try TFRecordReader(path: Fixtures.tfrecord("bad/truncated.tfrecord"),
                                                     options: TFRecordReaderOptions(schema: .od), skips: skips))
        #expect(samples.map(\.id) == [42])
        #expect(skips.jsonLines.contains { $0.contains("record 2") })
    }

    @Test func labelMapParsing() throws {
        let text = """
        # a comment
        item {
          name: "/m/01g317"
          id: 1
          display_name: "person"
        }
        item: { id: 2, name: 'bi\\'cycle' keypoints { id: 0 label: "x" } }
        """
        let map = try LabelMapPbtxt(parsing: text)
        #expect(map.items == [LabelMapPbtxt.Item(id: 1, name: "/m/01g317", displayName: "person"),
                              LabelMapPbtxt.Item(id: 2, name: "bi'cycle")])
        #expect(throws: ConversionError.self) { try LabelMapPbtxt(parsing: "item { name: 'x' }") }
        #expect(throws: ConversionError.self) { try LabelMapPbtxt(parsing: "item { id: 1 name: 'x'") }
        #expect(throws: ConversionError.self) { try LabelMapPbtxt(parsing: "thing { id: 1 }") }
    }

    @Test func emptyDirectoryIsAnError() throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(throws: ConversionError.self) { try TFRecordReader(path: dir, skips: SkipReport(policy: .fail)) }
    }
}
