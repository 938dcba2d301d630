import CocoConvertCOCO
import CocoConvertCore
import CocoConvertPNG
import Foundation
import Testing

/// `--labels coco --crowd skip --overlap later` (and `--crowd include` for panoptic) against the
/// pycocotools oracle label maps in ../shared/data/coco-real/oracle_semantic, pixel for pixel.
@Suite("Painting matches the pycocotools oracle")
struct OraclePaintTests {
    static let cocoFiles = [
        ("instances/annotations/instances_val2017.json", "instances_val2017"),
        ("instances/annotations/instances_train2017.json", "instances_train2017"),
        ("stuff/annotations/stuff_train2017.json", "stuff_train2017"),
    ]

    @Test("instances and stuff files, every image", arguments: cocoFiles)
    func instancesAndStuff(file: String, oracleDirectory: String) throws {
        let path = TestData.cocoReal.appendingPathComponent(file).path
        let reader = try COCOReader(path: path, skips: SkipReport(policy: .fail))
        let painter = LabelPainter(options: PaintOptions(schema: .cocoIDs(reader.header.categories),
                                                         crowd: .skip, overlap: .later, kind: .semantic))
        let oracle = TestData.oracleSemantic.appendingPathComponent(oracleDirectory)
        let expectedCount = try FileManager.default.contentsOfDirectory(atPath: oracle.path).filter { $0.hasSuffix(".png") }.count
        var compared = 0
        while let sample = try reader.next() {
            let map = try painter.paint(sample)
            let png = try PNGDecoder.decode(file: oracle.appendingPathComponent(sample.stem + ".png").path)
            #expect(png.width == map.width && png.height == map.height)
            let differing = zip(png.samples, map.pixels).reduce(0) { $0 + ($1.0 != $1.1 ? 1 : 0) }
            #expect(differing == 0, "\(file) image \(sample.id): \(differing) pixels differ")
            // And through our own PNG encoder.
            let decoded = try PNGDecoder.decode(try PNGEncoder.encode(labelMap: map, palette: nil))
            #expect(decoded.samples == png.samples)
            compared += 1
        }
        #expect(compared == expectedCount)
        #expect(compared > 0)
    }

    @Test("panoptic file with --crowd include")
    func panoptic() throws {
        let samples = try PanopticFixture.samples()
        #expect(!samples.isEmpty)
        let painter = LabelPainter(options: PaintOptions(schema: .cocoIDs(try PanopticFixture.categories()),
                                                         crowd: .include, overlap: .later, kind: .semantic))
        let oracle = TestData.oracleSemantic.appendingPathComponent("panoptic_val2017")
        for sample in samples {
            let map = try painter.paint(sample)
            let png = try PNGDecoder.decode(file: oracle.appendingPathComponent(sample.stem + ".png").path)
            #expect(png.samples == map.pixels)
        }
    }
}

/// Samples of the panoptic file built here (segments as `.labelValue` of the decoded id PNG), so
/// this test does not depend on the COCO reader's panoptic support.
enum PanopticFixture {
    static let json = TestData.cocoReal.appendingPathComponent("panoptic/annotations/panoptic_val2017.json")
    static let pngDirectory = TestData.cocoReal.appendingPathComponent("panoptic/annotations/panoptic_val2017")

    static func root() throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: json)) as? [String: Any] ?? [:]
    }

    static func categories() throws -> [Category] {
        let cats = try root()["categories"] as? [[String: Any]] ?? []
        return cats.map { c in
            let color = (c["color"] as? [Int]).map { RGB(UInt8($0[0]), UInt8($0[1]), UInt8($0[2])) }
            return Category(id: Int64(c["id"] as? Int ?? 0), name: c["name"] as? String ?? "",
                            isThing: (c["isthing"] as? Int).map { $0 != 0 }, color: color)
        }
    }

    static func samples() throws -> [Sample] {
        let r = try root()
        let images = r["images"] as? [[String: Any]] ?? []
        let annotations = r["annotations"] as? [[String: Any]] ?? []
        var out: [Sample] = []
        for ann in annotations {
            let imageID = ann["image_id"] as? Int ?? -1
            guard let image = images.first(where: { $0["id"] as? Int == imageID }),
                  let fileName = ann["file_name"] as? String else { continue }
            let png = try PNGDecoder.decode(file: pngDirectory.appendingPathComponent(fileName).path)
            var ids = [UInt32](repeating: 0, count: png.width * png.height)
            for i in ids.indices {
                ids[i] = UInt32(png.samples[3 * i]) + 256 * UInt32(png.samples[3 * i + 1]) + 65536 * UInt32(png.samples[3 * i + 2])
            }
            let plane = LabelPlane(width: png.width, height: png.height, pixels: ids)
            let segments = ann["segments_info"] as? [[String: Any]] ?? []
            let instances = segments.map { s in
                Instance(id: Int64(s["id"] as? Int ?? 0), categoryID: Int64(s["category_id"] as? Int ?? 0),
                         isCrowd: (s["iscrowd"] as? Int ?? 0) != 0,
                         geometry: .labelValue(plane, UInt32(s["id"] as? Int ?? 0)))
            }
            out.append(Sample(id: Int64(imageID), fileName: image["file_name"] as? String ?? fileName,
                              width: png.width, height: png.height, instances: instances))
        }
        return out
    }
}
