import CocoConvertCore
@testable import CocoConvertHDF5
import Foundation
import Testing

@Suite("Shard → samples round trip")
struct RoundTripTests {
    static func readAll(_ path: String) throws -> (HDF5ShardReader, [Sample]) {
        let reader = try HDF5ShardReader(path: path)
        var out: [Sample] = []
        while let s = try reader.next() { out.append(s) }
        return (reader, out)
    }

    @Test("Every instance, image record and header field comes back exactly", arguments: [1, 4, 1000])
    func instancesExact(shard: Int) throws {
        let dir = try TestPaths.temporaryDirectory("roundtrip")
        let samples = (0..<11).map(Synthetic.sample)
        try Synthetic.write(samples, to: dir, options: Synthetic.options(shard: shard))
        let (reader, back) = try Self.readAll(dir)
        let h = reader.header
        #expect(h.kind == .instances)
        #expect(h.split == "val2017")
        #expect(h.sampleCount == 11)
        #expect(h.categories == Synthetic.categories)
        #expect(h.info == "{\"year\":2017}")
        #expect(h.licenses == "[{\"id\":1,\"name\":\"x\"}]")
        #expect(h.extra == [ExtraField(key: "type", rawJSON: "\"instances\"")])
        #expect(h.labelSchema == Synthetic.schema)
        #expect(back.count == samples.count)
        for (a, b) in zip(samples, back) {
            #expect(a.id == b.id)
            #expect(a.fileName == b.fileName)
            #expect(a.width == b.width && a.height == b.height)
            #expect(a.extra == b.extra)
            #expect(a.image == b.image)
            #expect(a.instances.count == b.instances.count)
            for (x, y) in zip(a.instances, b.instances) {
                let rx = try InstanceRecord(x, in: a, limits: .standard)
                let ry = try InstanceRecord(y, in: b, limits: .standard)
                #expect(rx == ry, "image \(a.id) annotation \(String(describing: x.id))")
                #expect(x.id == y.id && x.categoryID == y.categoryID && x.isCrowd == y.isCrowd)
                #expect(x.bbox == y.bbox && x.area == y.area && x.score == y.score)
                #expect(x.extra == y.extra)
            }
        }
    }

    @Test("Without --images embed the images dataset is absent and samples carry no bytes")
    func noImages() throws {
        let dir = try TestPaths.temporaryDirectory("noimages")
        try Synthetic.write((0..<3).map(Synthetic.sample), to: dir, options: Synthetic.options(embed: false))
        let file = try HDF5File.open(path: dir + "/val2017-00000-of-00001.h5")
        #expect(!file.exists("images"))
        try file.close()
        let (_, back) = try Self.readAll(dir)
        #expect(back.allSatisfy { $0.image == .none })
    }

    @Test("Embedding reads image files from disk, byte for byte")
    func embedFromFile() throws {
        let dir = try TestPaths.temporaryDirectory("embedfile")
        let jpeg = TestPaths.cocoReal.appendingPathComponent("instances/val2017")
        let name = try #require(try FileManager.default.contentsOfDirectory(atPath: jpeg.path).sorted().first { $0.hasSuffix(".jpg") })
        let path = jpeg.appendingPathComponent(name).path
        var s = Synthetic.sample(0)
        s.image = .file(path)
        try Synthetic.write([s], to: dir + "/out", options: Synthetic.options())
        let (_, back) = try Self.readAll(dir + "/out")
        #expect(back.first?.image == .bytes(Array(try Data(contentsOf: URL(fileURLWithPath: path)))))
    }

    @Test("A missing image file is a missing-file error naming the image (skippable)")
    func embedMissing() throws {
        let dir = try TestPaths.temporaryDirectory("embedmissing")
        var s = Synthetic.sample(0)
        s.image = .file(dir + "/nope.jpg")
        let writer = try HDF5ShardWriter(directory: dir, options: Synthetic.options(), labels: Synthetic.setup())
        let (renderer, _) = try writer.begin(Synthetic.header(count: 1))
        let error = #expect(throws: ConversionError.self) { _ = try renderer.render(s) }
        #expect(error?.code == .missingFile)
        #expect(error?.isItemProblem == true)
        #expect(error?.context.imageID == 500_000)
    }

    @Test("Polygons are stored as JSON and restored to the same doubles")
    func polygonJSON() throws {
        let parts: [[Double]] = [[0.5, 1, 10.25, 1e-7, 3.3333333333333335, 640], [1, 2, 3, 4, 5, 6]]
        let text = HeaderJSON.polygons(parts)
        let record = InstanceRecord(id: 1, categoryID: 1, isCrowd: false, bbox: [.nan, .nan, .nan, .nan], area: .nan, score: .nan,
                                    kind: .polygons, rle: "", rleHeight: 10, rleWidth: 10, polygons: text, extra: "")
        guard case .polygons(let back) = try record.instance(file: "t").geometry else {
            Issue.record("not polygons")
            return
        }
        #expect(back == parts)
    }

    @Test("Extra members keep their JSON text verbatim")
    func extraVerbatim() throws {
        let extra = [ExtraField(key: "a\"b", rawJSON: "{ \"x\" : [1, 2.50, null] }"), ExtraField(key: "é", rawJSON: "\"\\u00e9\"")]
        let text = HeaderJSON.object(from: extra)
        #expect(try HeaderJSON.extraFields(text, field: "extra", file: "t") == extra)
    }
}

@Suite("Masks from label maps")
struct LabelValueMaskTests {
    @Test("A .labelValue instance is stored as the compressed RLE of its pixels")
    func labelValue() throws {
        let plane = LabelPlane(width: 5, height: 4, pixels: [0, 0, 7, 7, 0,
                                                             0, 7, 7, 0, 0,
                                                             3, 3, 3, 3, 3,
                                                             0, 0, 0, 0, 7])
        var s = Synthetic.sample(0)
        s.width = 5
        s.height = 4
        s.instances = [Instance(id: 9, categoryID: 1, geometry: .labelValue(plane, 7))]
        let dir = try TestPaths.temporaryDirectory("labelvalue")
        try Synthetic.write([s], to: dir, options: Synthetic.options())
        let reader = try HDF5ShardReader(path: dir)
        let back = try #require(try reader.next())
        guard case .compressedRLE(let c) = back.instances.first?.geometry else {
            Issue.record("expected a compressed RLE")
            return
        }
        let mask = try RLE(c).decodeColumnMajor()
        // Column-major: index = x * height + y.
        var expected = [UInt8](repeating: 0, count: 20)
        for y in 0..<4 { for x in 0..<5 where plane.pixels[y * 5 + x] == 7 { expected[x * 4 + y] = 1 } }
        #expect(mask == expected)
    }
}
