import CocoConvertCOCO
import CocoConvertCore
@testable import CocoConvertHDF5
import Foundation
import Testing

/// The committed version-1 shard must stay readable, and hold what its hand-written source says.
@Suite("Version-1 fixture")
struct FixtureTests {
    static let dir = TestPaths.fixtures.appendingPathComponent("tiny")

    @Test("The committed shard reads back as its source COCO file")
    func readsAsSource() throws {
        let source = try COCOReader(path: Self.dir.appendingPathComponent("instances_tiny.json").path, skips: SkipReport(policy: .fail))
        var expected: [Sample] = []
        while let s = try source.next() { expected.append(s) }

        let reader = try HDF5ShardReader(path: Self.dir.appendingPathComponent("tiny-00000-of-00001.h5").path)
        var back: [Sample] = []
        while let s = try reader.next() { back.append(s) }
        #expect(reader.header.categories == source.header.categories)
        #expect(reader.header.info == source.header.info)
        #expect(reader.header.licenses == source.header.licenses)
        #expect(reader.header.split == "tiny")
        COCORoundTripTests.compare(expected, back)
    }

    @Test("Its labels are the coco-id maps of the source, padded with 255")
    func labels() throws {
        let file = try HDF5File.open(path: Self.dir.appendingPathComponent("tiny-00000-of-00001.h5").path)
        let labels = try file.openDataset("labels")
        #expect(try labels.dims() == [2, 30, 32])
        let a = try labels.read(UInt8.self, start: [0, 0, 0], count: [1, 30, 32])
        // Image 1 is 32×24: rows 24… are padding; the dog rectangle covers x 2…13, y 3…12 where the
        // triangle does not.
        #expect(a[25 * 32 + 5] == 255)
        #expect(a[5 * 32 + 3] == 18)
        #expect(a[0] == 0)
        let b = try labels.read(UInt8.self, start: [1, 0, 0], count: [1, 30, 32])
        // Image 2 is 20×30 and holds only a crowd (skipped by the default --crowd skip): all 0, padding beyond x = 20.
        #expect(b[3 * 32 + 1] == 0)
        #expect(b[3 * 32 + 25] == 255)
        #expect(try file.stringAttribute("label_options")?.contains("\"crowd\":\"skip\"") == true)
        try file.close()
    }
}
