import CocoConvertCore
import CocoConvertPNG
import Foundation
import Testing
@testable import CocoConvertVOC

/// The reader against the layouts `formats/voc/make_fixture.py` wrote with Pillow and xml.etree,
/// and the per-instance answers it computed with numpy (`formats/voc/expected.json`).
@Suite struct VOCReaderTests {
    struct ExpectedInstance: Decodable {
        var index: UInt32
        var `class`: Int64
        var name: String
        var pixels: Int
        var bbox: [Double]
    }
    struct ExpectedItem: Decodable {
        var width: Int
        var height: Int
        var instances: [ExpectedInstance]
    }
    struct ExpectedLayout: Decodable {
        var categories: [String]
        var items: [String: ExpectedItem]
    }

    static func expected() throws -> [String: ExpectedLayout] {
        let data = try Data(contentsOf: Fixtures.voc.appendingPathComponent("expected.json"))
        return try JSONDecoder().decode([String: ExpectedLayout].self, from: data)
    }

    static func readAll(_ reader: VOCReader) throws -> [Sample] {
        var samples: [Sample] = []
        while let sample = try reader.next() { samples.append(sample) }
        return samples
    }

    struct DatumaroExpected: Decodable {
        var categories: [String]
        var items: [String: ExpectedDatumaroItem]
    }
    struct ExpectedDatumaroInstance: Decodable {
        var `class`: Int64
        var name: String
        var pixels: Int
        var bbox: [Double]
    }
    struct ExpectedDatumaroItem: Decodable {
        var width: Int
        var height: Int
        var instances: [ExpectedDatumaroInstance]
    }

    /// The tree Datumaro exported itself (formats/voc/make_datumaro_fixture.py): item `b` has only its
    /// JPEG (no mask, no XML), and labelmap.txt ends with Datumaro's void label `ignored`.
    @Test func readsDatumarosExportIncludingAnImageWithoutAnnotations() throws {
        let data = try Data(contentsOf: Fixtures.voc.appendingPathComponent("datumaro_expected.json"))
        let expected = try JSONDecoder().decode(DatumaroExpected.self, from: data)
        let reader = try VOCReader(path: Fixtures.voc.appendingPathComponent("datumaro").path, skips: SkipReport(policy: .fail))
        #expect(reader.header.categories.map(\.name) == expected.categories)
        // Ids follow labelmap.txt lines (cat is line 8 in Datumaro's map), not 1...N renumbered.
        #expect(reader.header.categories.map(\.id) == Array(1...Int64(expected.categories.count)))
        let samples = try Self.readAll(reader)
        #expect(reader.items == ["a", "b"])
        #expect(samples.count == 2)
        for (sample, item) in zip(samples, reader.items) {
            let want = try #require(expected.items[item])
            #expect(sample.width == want.width && sample.height == want.height, "\(item)")
            #expect(sample.instances.count == want.instances.count, "\(item)")
            for (instance, w) in zip(sample.instances, want.instances) {
                #expect(instance.categoryID == w.class)
                #expect(reader.header.category(id: instance.categoryID)?.name == w.name)
                #expect(instance.area == Double(w.pixels))
                #expect(instance.bbox.map { [$0.x, $0.y, $0.width, $0.height] } == w.bbox)
            }
        }
    }

    @Test(arguments: ["plain", "rgb", "devkit"])
    func readsFixtureLayout(name: String) throws {
        let expected = try #require(try Self.expected()[name])
        let reader = try VOCReader(path: Fixtures.voc.appendingPathComponent(name).path, skips: SkipReport(policy: .fail))
        #expect(reader.header.categories.map(\.name) == expected.categories)
        #expect(reader.header.categories.map(\.id) == Array(1...Int64(expected.categories.count)))
        #expect(reader.header.split == "train")
        #expect(reader.header.kind == .instances)
        let samples = try Self.readAll(reader)
        #expect(samples.map(\.id) == [1, 2])  // ids are not numbers: positions
        #expect(samples.map(\.fileName) == ["2007_000001.jpg", "2007_000002.jpg"])
        for (sample, item) in zip(samples, reader.items) {
            let want = try #require(expected.items[item])
            #expect(sample.width == want.width && sample.height == want.height)
            guard case .file(let image) = sample.image else {
                Issue.record("no image for \(item)")
                continue
            }
            #expect(image.hasSuffix("JPEGImages/\(item).jpg"))
            #expect(sample.instances.count == want.instances.count)
            for (instance, w) in zip(sample.instances, want.instances) {
                #expect(instance.categoryID == w.class, "\(name) \(item) instance \(w.index)")
                #expect(reader.header.category(id: instance.categoryID)?.name == w.name)
                #expect(instance.area == Double(w.pixels))
                #expect(instance.bbox?.array == w.bbox)
                #expect(!instance.isCrowd)
                guard case .labelValue(let plane, let value) = instance.geometry else {
                    Issue.record("geometry is not a label value")
                    continue
                }
                #expect(value == w.index)
                #expect(plane.width == want.width && plane.height == want.height)
                #expect(plane.pixels.filter { $0 == value }.count == w.pixels)
            }
        }
    }

    @Test func rgbLayoutUsesLabelmapColours() throws {
        let reader = try VOCReader(path: Fixtures.voc.appendingPathComponent("rgb").path, skips: SkipReport(policy: .fail))
        // make_fixture.py gives "aeroplane" (index 1) the colour (37, 131, 60), not the VOC (128, 0, 0).
        #expect(reader.header.category(id: 1)?.color == RGB(37, 131, 60))
        #expect(reader.header.labelSchema?.entry(forValue: 15)?.name == "person")
    }

    @Test func devkitWithoutLabelmapUsesVOCClasses() throws {
        let reader = try VOCReader(path: Fixtures.voc.appendingPathComponent("devkit").path, skips: SkipReport(policy: .fail))
        #expect(reader.layout.root.hasSuffix("VOCdevkit/VOC2012"))
        #expect(reader.header.categories.count == 20)
        #expect(reader.header.category(id: 15)?.name == "person")
        #expect(reader.header.category(id: 15)?.color == RGB(192, 128, 128))
    }

    @Test func splitSelectsAList() throws {
        let path = Fixtures.voc.appendingPathComponent("plain").path
        #expect(try VOCReader(path: path, split: "train", skips: SkipReport(policy: .fail)).items.count == 2)
        #expect(throws: ConversionError.self) { try VOCReader(path: path, split: "val", skips: SkipReport(policy: .fail)) }
    }

    /// A copy of the plain fixture to damage.
    static func copyOfPlain() throws -> URL {
        let dir = try Fixtures.temporaryDirectory("reader")
        let target = dir.appendingPathComponent("plain")
        try FileManager.default.copyItem(at: Fixtures.voc.appendingPathComponent("plain"), to: target)
        return target
    }

    @Test func classOnlyItemsGiveOneInstancePerClass() throws {
        let root = try Self.copyOfPlain()
        defer { try? FileManager.default.removeItem(at: root.deletingLastPathComponent()) }
        try FileManager.default.removeItem(at: root.appendingPathComponent("SegmentationObject"))
        let reader = try VOCReader(path: root.path, skips: SkipReport(policy: .fail))
        #expect(reader.header.kind == .semantic)
        let samples = try Self.readAll(reader)
        // Item 2: class 15 (rows 0-1, 20 pixels less the 2 class 20 paints over) and class 20 (6 pixels); void is not a class.
        #expect(samples[1].instances.map(\.categoryID) == [15, 20])
        #expect(samples[1].instances.map(\.area) == [18, 6])
    }

    @Test func xmlOnlyItemsGiveBoxes() throws {
        let root = try Self.copyOfPlain()
        defer { try? FileManager.default.removeItem(at: root.deletingLastPathComponent()) }
        try FileManager.default.removeItem(at: root.appendingPathComponent("SegmentationObject"))
        try FileManager.default.removeItem(at: root.appendingPathComponent("SegmentationClass"))
        let samples = try Self.readAll(try VOCReader(path: root.path, skips: SkipReport(policy: .fail)))
        #expect(samples[0].instances.map(\.categoryID) == [1, 2, 1, 3])
        // <bndbox> 7,5,10,7 (1-based inclusive) is the COCO box [6, 4, 4, 3].
        #expect(samples[0].instances[1].bbox == BoundingBox(x: 6, y: 4, width: 4, height: 3))
        #expect(samples[0].width == 12 && samples[0].height == 8)
    }

    @Test func numericItemIdsBecomeSampleIds() {
        #expect(VOCReader.sampleIDs(["000000000139", "000000000285"]) == [139, 285])
        #expect(VOCReader.sampleIDs(["139", "0139"]) == [1, 2])  // equal as numbers
        #expect(VOCReader.sampleIDs(["139", "a"]) == [1, 2])
    }

    @Test func unknownColourIsReportedOrSkipped() throws {
        let dir = try Fixtures.temporaryDirectory("reader")
        defer { try? FileManager.default.removeItem(at: dir) }
        let root = dir.appendingPathComponent("rgb")
        try FileManager.default.copyItem(at: Fixtures.voc.appendingPathComponent("rgb"), to: root)
        // Replace item 1's class mask by an RGB image with a colour nobody declared.
        let png = try PNGEncoder.encodeRGB8(width: 12, height: 8, pixels: [UInt8](repeating: 7, count: 12 * 8 * 3))
        try Data(png).write(to: root.appendingPathComponent("SegmentationClass/2007_000001.png"))
        #expect(throws: ConversionError.self) { try Self.readAll(try VOCReader(path: root.path, skips: SkipReport(policy: .fail))) }
        let skips = SkipReport(policy: .skip)
        let samples = try Self.readAll(try VOCReader(path: root.path, skips: skips))
        #expect(samples.map(\.id) == [2])
        #expect(skips.count == 1)
        #expect(skips.jsonLines.first?.contains("(7, 7, 7)") == true)
    }

    @Test func sizeMismatchBetweenMasksIsAnError() throws {
        let root = try Self.copyOfPlain()
        defer { try? FileManager.default.removeItem(at: root.deletingLastPathComponent()) }
        let small = try PNGEncoder.encodeGray8(width: 3, height: 3, pixels: [UInt8](repeating: 1, count: 9))
        try Data(small).write(to: root.appendingPathComponent("SegmentationObject/2007_000002.png"))
        let reader = try VOCReader(path: root.path, skips: SkipReport(policy: .fail))
        _ = try reader.next()
        #expect(throws: ConversionError.self) { try reader.next() }
    }
}
