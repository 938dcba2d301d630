import CocoConvertCOCO
import CocoConvertCore
@testable import CocoConvertHDF5
import Foundation
import Testing

/// coco → hdf5 → coco on the real COCO subsets, with pycocotools' RLE strings as the golden.
@Suite("Real COCO through HDF5 shards")
struct COCORoundTripTests {
    static let files = [
        "instances/annotations/instances_val2017.json",
        "instances/annotations/instances_train2017.json",
        "stuff/annotations/stuff_train2017.json",
        "results/instances_val2014_fakesegm100_results.json",
        "panoptic/annotations/panoptic_val2017.json",
    ]

    struct Key: Hashable {
        var image: Int64
        var annotation: Int64
    }

    /// pycocotools `annToRLE` strings by source file and (image id, annotation or panoptic segment id).
    static let oracle: [String: [Key: String]] = {
        var out: [String: [Key: String]] = [:]
        let url = TestPaths.cocoReal.appendingPathComponent("oracle_annotations.jsonl")
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [:] }
        for line in text.split(separator: "\n") {
            guard let obj = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let file = obj["file"] as? String, let image = (obj["image_id"] as? NSNumber)?.int64Value,
                  let id = ((obj["id"] ?? obj["segment_id"]) as? NSNumber)?.int64Value,
                  let rle = obj["rle"] as? [String: Any], let counts = rle["counts"] as? String else { continue }
            out[file, default: [:]][Key(image: image, annotation: id)] = counts
        }
        return out
    }()

    static func readCOCO(_ path: String) throws -> (DatasetHeader, [Sample]) {
        let reader = try COCOReader(path: path, skips: SkipReport(policy: .fail))
        var samples: [Sample] = []
        while let s = try reader.next() { samples.append(s) }
        return (reader.header, samples)
    }

    static func blank(_ s: Sample) -> (width: Int, height: Int, pixels: [UInt16]) {
        (s.width, s.height, [UInt16](repeating: 0, count: s.width * s.height))
    }

    /// Same case and the same payload, exactly.
    static func sameGeometry(_ a: Geometry, _ b: Geometry) -> Bool {
        switch (a, b) {
        case (.none, .none): return true
        case let (.polygons(x), .polygons(y)): return x == y
        case let (.rle(x), .rle(y)): return x == y
        case let (.compressedRLE(x), .compressedRLE(y)): return x == y
        case let (.labelValue(p, v), .labelValue(q, w)):
            // Panoptic segments: the same pixels (the planes may be different objects).
            return p.width == q.width && p.height == q.height && RLE(labelPlane: p, equalTo: v) == RLE(labelPlane: q, equalTo: w)
        default: return false
        }
    }

    static func compare(_ original: [Sample], _ back: [Sample]) {
        #expect(original.count == back.count)
        for (a, b) in zip(original, back) {
            #expect(a.id == b.id && a.fileName == b.fileName && a.width == b.width && a.height == b.height)
            #expect(a.extra == b.extra, "image \(a.id)")
            #expect(a.panoptic?.fileName == b.panoptic?.fileName && a.panoptic?.extra == b.panoptic?.extra, "image \(a.id)")
            #expect(a.instances.count == b.instances.count, "image \(a.id)")
            for (x, y) in zip(a.instances, b.instances) {
                let what = "image \(a.id) annotation \(String(describing: x.id))"
                #expect(x.id == y.id && x.categoryID == y.categoryID && x.isCrowd == y.isCrowd, "\(what)")
                #expect(x.bbox == y.bbox && x.area == y.area && x.score == y.score, "\(what)")
                #expect(x.extra == y.extra, "\(what)")
                #expect(sameGeometry(x.geometry, y.geometry), "\(what)")
            }
        }
    }

    @Test("Instances come back exactly, and the stored RLE strings are pycocotools'", arguments: files)
    func throughShards(file: String) throws {
        let path = TestPaths.cocoReal.appendingPathComponent(file).path
        let (header, samples) = try Self.readCOCO(path)
        let dir = try TestPaths.temporaryDirectory("coco")
        try Synthetic.write(samples, to: dir, options: Synthetic.options(shard: 7, embed: false), header: header, painter: Self.blank)

        let reader = try HDF5ShardReader(path: dir)
        var back: [Sample] = []
        while let s = try reader.next() { back.append(s) }
        #expect(reader.header.kind == header.kind)
        #expect(reader.header.categories == header.categories)
        #expect(reader.header.info == header.info && reader.header.licenses == header.licenses)
        #expect(reader.header.extra == header.extra)
        Self.compare(samples, back)

        // The `rle` column against the oracle, read the way a Python user would: by row.
        let golden = Self.oracle[file] ?? [:]
        var checked = 0
        for shard in reader.shardPaths {
            let f = try HDF5File.open(path: shard)
            let n = Int(try f.intAttribute("shard_instances") ?? 0)
            let ids = try f.openDataset("instances/id").read(Int64.self, rows: 0..<n)
            let samples = Int(try f.intAttribute("shard_samples") ?? 0)
            let imageIDs = try f.openDataset("image_ids").read(Int64.self, rows: 0..<samples)
            let sampleIndex = try f.openDataset("instances/sample_index").read(Int64.self, rows: 0..<n)
            let hasID = try f.openDataset("instances/has_id").read(UInt8.self, rows: 0..<n)
            let rles = try f.openDataset("instances/rle").readStrings(rows: 0..<n)
            for k in 0..<n where hasID[k] == 1 {
                if let expected = golden[Key(image: imageIDs[Int(sampleIndex[k])], annotation: ids[k])] {
                    #expect(rles[k] == expected, "annotation \(ids[k])")
                    checked += 1
                }
            }
            try f.close()
        }
        if !file.hasPrefix("results/") {
            #expect(checked == golden.count, "every oracle annotation of \(file) is in the shards")
            #expect(checked > 0)
        }
    }

    @Test("hdf5 → COCO JSON gives back the same dataset", arguments: files)
    func backToJSON(file: String) throws {
        let path = TestPaths.cocoReal.appendingPathComponent(file).path
        let (header, samples) = try Self.readCOCO(path)
        let dir = try TestPaths.temporaryDirectory("coco-json")
        try Synthetic.write(samples, to: dir + "/shards", options: Synthetic.options(shard: 5, embed: false), header: header, painter: Self.blank)

        let reader = try HDF5ShardReader(path: dir + "/shards")
        let out = dir + "/restored.json"
        let writer = COCOWriter(path: out)
        let (renderer, sink) = try writer.begin(reader.header)
        while let s = try reader.next() { try sink.commit(try renderer.render(s)) }
        _ = try sink.finish()

        let (header2, restored) = try Self.readCOCO(out)
        #expect(header2.kind == header.kind)
        #expect(header2.categories == header.categories)
        Self.compare(samples, restored)
    }
}
