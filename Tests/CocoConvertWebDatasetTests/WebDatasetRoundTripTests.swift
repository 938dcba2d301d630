import CocoConvertCOCO
import CocoConvertCore
import CocoConvertLabelMaps
import Foundation
import CocoConvertTar
import Testing
@testable import CocoConvertWebDataset

/// coco → webdataset → coco on the real COCO subset, against pycocotools' masks.
@Suite("Real COCO through WebDataset shards")
struct WebDatasetRoundTripTests {
    static func writerOptions(shard: Int) -> WebDatasetWriterOptions {
        WebDatasetWriterOptions(shardLimit: .samples(shard),
                                labelMap: LabelMapWriterOptions(paint: { header in
                                    PaintOptions(schema: .contiguous(header.categories), crowd: .skip, overlap: .later, kind: .semantic)
                                }))
    }

    @Test("Every annotation comes back exactly: RLE strings (pycocotools'), areas, boxes, ids", arguments: ["val2017", "train2017"])
    func roundTrip(split: String) throws {
        let source = Paths.instances(split)
        let reader = try COCOReader(path: source, skips: SkipReport(policy: .fail))
        let header = reader.header
        let original = try readAll(try COCOReader(path: source, skips: SkipReport(policy: .fail)))
        let dir = try Paths.temporaryDirectory("rt-\(split)")
        try convert(jobs: 3, reader: reader, writer: WebDatasetWriter(directory: dir, options: Self.writerOptions(shard: 16),
                                                                             skips: SkipReport(policy: .fail)),
                                    skips: SkipReport(policy: .fail))
        #expect(hiddenFiles(in: dir).isEmpty)
        let shards = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".tar") }.sorted()
        #expect(shards == (0..<((original.count + 15) / 16)).map { WebDatasetShardWriter.fileName(split: split, index: $0) })

        // Back to COCO JSON through the reader and the COCO writer, then read as a COCO file.
        let wds = try WebDatasetReader(path: dir, skips: SkipReport(policy: .fail))
        #expect(wds.header.categories == header.categories)
        #expect(wds.header.info == header.info && wds.header.licenses == header.licenses)
        #expect(wds.header.sampleCount == original.count)
        let restoredPath = dir + "/restored.json"
        try convert(jobs: 2, reader: wds, writer: COCOWriter(path: restoredPath), skips: SkipReport(policy: .fail))
        let restored = try readAll(try COCOReader(path: restoredPath, skips: SkipReport(policy: .fail)))

        let golden = try oracle(file: "instances/annotations/instances_\(split).json")
        #expect(restored.count == original.count)
        var checked = 0
        for (a, b) in zip(original, restored) {
            #expect(a.id == b.id && a.fileName == b.fileName && a.width == b.width && a.height == b.height)
            #expect(a.extra == b.extra, "image \(a.id)")
            #expect(a.instances.count == b.instances.count, "image \(a.id)")
            for (x, y) in zip(a.instances, b.instances) {
                let what = "image \(a.id) annotation \(String(describing: x.id))"
                #expect(x.id == y.id && x.categoryID == y.categoryID && x.isCrowd == y.isCrowd, "\(what)")
                #expect(x.bbox == y.bbox && x.area == y.area, "\(what)")
                #expect(x.extra == y.extra, "\(what)")
                guard let id = y.id, let expected = golden[id], case .compressedRLE(let c) = y.geometry else {
                    Issue.record("\(what): no oracle entry or not compressed RLE")
                    continue
                }
                #expect(c.counts == expected.counts && c.height == expected.height && c.width == expected.width, "\(what)")
                checked += 1
            }
        }
        #expect(checked == golden.count)
    }

    @Test func imageBytesAndLabelPNGsAreThePNGWritersAndTheSources() throws {
        let source = Paths.instances("val2017")
        let dir = try Paths.temporaryDirectory("bytes")
        let options = Self.writerOptions(shard: 100)
        try convert(jobs: 2, reader: try COCOReader(path: source, skips: SkipReport(policy: .fail)),
                                    writer: WebDatasetWriter(directory: dir + "/wds", options: options, skips: SkipReport(policy: .fail)),
                                    skips: SkipReport(policy: .fail))
        try convert(jobs: 2, reader: try COCOReader(path: source, skips: SkipReport(policy: .fail)),
                                    writer: LabelMapDirectoryWriter(directory: dir + "/png", options: options.labelMap),
                                    skips: SkipReport(policy: .fail))
        let stream = TarSampleStream(archives: [dir + "/wds/val2017-000000.tar"])
        var n = 0
        while let sample = try stream.next() {
            n += 1
            #expect(sample.members.map(\.ext) == ["jpg", "json", "png"])
            let png = try sample.contents(try #require(sample.member("png")), maxBytes: 1 << 26)
            #expect(png == [UInt8](try Data(contentsOf: URL(fileURLWithPath: dir + "/png/" + sample.key + ".png"))), "\(sample.key)")
            let jpg = try sample.contents(try #require(sample.member("jpg")), maxBytes: 1 << 26)
            let original = Paths.cocoReal.appendingPathComponent("instances/val2017/\(sample.key).jpg")
            #expect(jpg == [UInt8](try Data(contentsOf: original)), "\(sample.key)")
        }
        #expect(n == 60)
    }

    /// `--instance-map`: non-crowd annotations carry the values 1…K of `.instance.png` in order
    /// (pixel agreement with pycocotools' masks: Tests/interop/webdataset_check.py); the reader
    /// does not carry the member on.
    @Test func instanceValuesNumberThePaintedAnnotationsAndAreNotReadBack() throws {
        let dir = try Paths.temporaryDirectory("instance-values")
        var options = Self.writerOptions(shard: 100)
        options.instanceMap = LabelMapWriterOptions(paint: { header in
            PaintOptions(schema: .contiguous(header.categories), crowd: .skip, overlap: .smaller, kind: .instance)
        }, palette: nil)
        try convert(jobs: 2, reader: try COCOReader(path: Paths.instances("val2017"), skips: SkipReport(policy: .fail)),
                    writer: WebDatasetWriter(directory: dir, options: options, skips: SkipReport(policy: .fail)),
                    skips: SkipReport(policy: .fail))
        let stream = TarSampleStream(archives: [dir + "/val2017-000000.tar"])
        var annotations = 0
        while let sample = try stream.next() {
            let bytes = try sample.contents(try #require(sample.member("json")), maxBytes: 1 << 26)
            let json = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
            let records = try #require(json["annotations"] as? [[String: Any]])
            let painted = records.filter { ($0["iscrowd"] as? Int) == 0 }
            #expect(painted.map { $0["instance_value"] as? Int } == (0..<painted.count).map { Optional($0 + 1) },
                    "\(sample.key)")
            #expect(records.filter { ($0["iscrowd"] as? Int) == 1 }.allSatisfy { $0["instance_value"] == nil }, "\(sample.key)")
            annotations += painted.count
        }
        #expect(annotations > 100)
        let back = try readAll(try WebDatasetReader(path: dir, skips: SkipReport(policy: .fail)))
        #expect(back.allSatisfy { $0.instances.allSatisfy { !$0.extra.contains { $0.key == "instance_value" } } })
    }

    @Test func shardSizeBoundsEveryShard() throws {
        let dir = try Paths.temporaryDirectory("size")
        var options = Self.writerOptions(shard: 1)
        options.shardLimit = .bytes(1 << 20)
        try convert(jobs: 2, reader: try COCOReader(path: Paths.instances("val2017"), skips: SkipReport(policy: .fail)),
                                    writer: WebDatasetWriter(directory: dir, options: options, skips: SkipReport(policy: .fail)),
                                    skips: SkipReport(policy: .fail))
        let shards = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".tar") }
        #expect(shards.count > 3)
        var samples = 0
        for shard in shards {
            let size = try #require(try FileManager.default.attributesOfItem(atPath: dir + "/" + shard)[.size] as? Int)
            let stream = TarSampleStream(archives: [dir + "/" + shard])
            var inShard = 0
            while try stream.next() != nil { inShard += 1 }
            samples += inShard
            #expect(size <= 1 << 20 || inShard == 1, "\(shard): \(size) bytes")
        }
        #expect(samples == 60)
    }

    @Test func keysHaveNoDotsAndCollisionsAreRefused() throws {
        let a = Sample(id: 1, fileName: "dir/frame.0001.jpg", width: 2, height: 2, image: .bytes([0xFF, 0xD8, 0xFF]))
        let b = Sample(id: 2, fileName: "frame_0001.jpg", width: 2, height: 2, image: .bytes([0xFF, 0xD8, 0xFF]))
        #expect(try WebDatasetKey.key(for: a) == "frame_0001")
        #expect(try WebDatasetKey.key(for: Sample(id: 7, fileName: ".jpg", width: 1, height: 1)) == "_jpg" )
        let dir = try Paths.temporaryDirectory("collide")
        let header = DatasetHeader(kind: .instances, categories: [Category(id: 1, name: "x")])
        let skips = SkipReport(policy: .skip)
        let writer = WebDatasetWriter(directory: dir, options: Self.writerOptions(shard: 10), skips: skips)
        let (renderer, sink) = try writer.begin(header)
        try sink.commit(try renderer.render(a))
        try sink.commit(try renderer.render(b))
        let summary = try sink.finish()
        #expect(summary.samples == 1)
        #expect(skips.count == 1)
        #expect(skips.jsonLines.first?.contains("key collision: image 1 was already written under the key 'frame_0001'") == true)

        let failing = WebDatasetWriter(directory: try Paths.temporaryDirectory("collide-fail"), options: Self.writerOptions(shard: 10),
                                       skips: SkipReport(policy: .fail))
        let (r2, s2) = try failing.begin(header)
        try s2.commit(try r2.render(a))
        let error = #expect(throws: ConversionError.self) { try s2.commit(try r2.render(b)) }
        #expect(error?.code == .duplicateID && error?.context.imageID == 2)
    }

    @Test func missingImageIsASkippableSampleProblem() throws {
        let header = DatasetHeader(kind: .instances, categories: [Category(id: 1, name: "x")])
        let writer = WebDatasetWriter(directory: try Paths.temporaryDirectory("noimage"), options: Self.writerOptions(shard: 10),
                                      skips: SkipReport(policy: .fail))
        let (renderer, _) = try writer.begin(header)
        let error = #expect(throws: ConversionError.self) {
            try renderer.render(Sample(id: 5, fileName: "gone.jpg", width: 2, height: 2, image: .file("/nonexistent/gone.jpg")))
        }
        #expect(error?.code == .missingFile && error?.context.imageID == 5 && error?.context.file == "/nonexistent/gone.jpg")
    }
}
