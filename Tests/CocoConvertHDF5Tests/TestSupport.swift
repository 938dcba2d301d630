import CocoConvertCore
@testable import CocoConvertHDF5
import Foundation

/// Paths into ../shared and scratch directories, found from this file's location.
enum TestPaths {
    static let repoRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let shared = repoRoot.deletingLastPathComponent().appendingPathComponent("shared")
    static let cocoReal = shared.appendingPathComponent("data/coco-real")
    static let fixtures = repoRoot.appendingPathComponent("formats/hdf5")

    /// A fresh temporary directory.
    static func temporaryDirectory(_ name: String) throws -> String {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("cococonvert-hdf5-tests-\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }

    static func files(in directory: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
    }
}

/// Hand-made samples and a deterministic painter, so writer tests do not depend on other areas.
enum Synthetic {
    static let categories = [
        Category(id: 1, name: "person", supercategory: "person"),
        Category(id: 18, name: "dog", supercategory: "animal", extra: [ExtraField(key: "keypoints", rawJSON: "[\"nose\"]")]),
        Category(id: 90, name: "toothbrush", supercategory: "indoor"),
    ]

    static let schema = LabelSchema(entries: categories.map { LabelEntry(value: UInt32($0.id), categoryID: $0.id, name: $0.name) },
                                    background: 0, ignoreIndex: 255)

    static func header(count: Int?, split: String = "val2017") -> DatasetHeader {
        DatasetHeader(kind: .instances, categories: categories, info: "{\"year\":2017}", licenses: "[{\"id\":1,\"name\":\"x\"}]",
                      extra: [ExtraField(key: "type", rawJSON: "\"instances\"")], split: split, sampleCount: count)
    }

    /// Sample `i`: size varies with i; instances mix every stored form the writer keeps verbatim.
    static func sample(_ i: Int) -> Sample {
        let h = 20 + (i * 7) % 23, w = 30 + (i * 11) % 17
        var instances: [Instance] = [
            Instance(id: Int64(1000 + 3 * i), categoryID: 1, isCrowd: false,
                     bbox: BoundingBox(x: 1.5, y: 2, width: 3.25, height: 4), area: 12.5,
                     geometry: .compressedRLE(CompressedRLE(height: h, width: w, counts: "b035000000000>\(i)")),
                     extra: [ExtraField(key: "attributes", rawJSON: "{\"occluded\": false}")]),
            Instance(id: Int64(1001 + 3 * i), categoryID: 18, isCrowd: true, bbox: nil, area: nil,
                     geometry: .compressedRLE(CompressedRLE(height: h, width: w, counts: ";64O1O1O1O1On0"))),
        ]
        if i % 3 == 0 {
            instances.append(Instance(id: nil, categoryID: 90, score: 0.875, geometry: .none))
        }
        return Sample(id: Int64(500_000 + i), fileName: "images/\(i).jpg", width: w, height: h,
                      image: .bytes([0xFF, 0xD8, UInt8(i % 256), 0xFF, 0xD9]), instances: instances,
                      extra: i % 2 == 0 ? [ExtraField(key: "license", rawJSON: "3"), ExtraField(key: "coco_url", rawJSON: "\"http://x/\(i)\"")] : [])
    }

    /// A label map that depends on the sample and each pixel, with values from the schema.
    static func paint(_ sample: Sample) -> (width: Int, height: Int, pixels: [UInt16]) {
        var pixels = [UInt16](repeating: 0, count: sample.width * sample.height)
        let values: [UInt16] = [0, 1, 18, 90, 255]
        for y in 0..<sample.height {
            for x in 0..<sample.width {
                pixels[y * sample.width + x] = values[(x / 3 + y / 2 + Int(sample.id % 5)) % values.count]
            }
        }
        return (sample.width, sample.height, pixels)
    }

    /// Runs a writer over `samples` the way the pipeline does (render everywhere, commit in order).
    @discardableResult
    static func write(_ samples: [Sample], to directory: String, options: HDF5WriterOptions, header: DatasetHeader? = nil,
                      schema: LabelSchema = Synthetic.schema, painter: HDF5ShardWriter.Painter? = nil) throws -> WriteSummary {
        let writer = try HDF5ShardWriter(directory: directory, options: options, labels: setup(schema: schema, painter: painter))
        let (renderer, sink) = try writer.begin(header ?? Synthetic.header(count: samples.count))
        for s in samples { try sink.commit(try renderer.render(s)) }
        return try sink.finish()
    }

    static func options(shard: Int = 1000, compression: HDF5Compression = .defaultGzip, padTo: HDF5Size? = nil,
                        chunk: HDF5Size? = nil, embed: Bool = true) -> HDF5WriterOptions {
        HDF5WriterOptions(shardSize: shard, compression: compression, padTo: padTo, chunk: chunk, embedImages: embed)
    }

    /// The label setup of the synthetic runs: ``schema`` and ``paint(_:)`` unless given.
    static func setup(schema: LabelSchema = Synthetic.schema, painter: HDF5ShardWriter.Painter? = nil) -> HDF5LabelSetup {
        HDF5LabelSetup(schema: schema, labelOptions: [("kind", "semantic"), ("crowd", "ignore")], painter: painter ?? { paint($0) })
    }
}
