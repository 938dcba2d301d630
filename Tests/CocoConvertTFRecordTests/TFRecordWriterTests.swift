import CocoConvertCOCO
import CocoConvertCore
import CocoConvertPNG
import Foundation
import Testing
@testable import CocoConvertTFRecord

@Suite struct TFRecordWriterTests {
    /// coco → tfrecord (od, --masks) → samples: every instance mask equals the pycocotools oracle.
    @Test(arguments: ["val2017", "train2017"])
    func odMasksRoundTripExactly(split: String) throws {
        let dir = try Fixtures.temporaryDirectory("od\(split)")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let skips = SkipReport(policy: .fail)
        let source = try COCOReader(path: cocoRealInstances(split), skips: skips)
        let originals = try readAll(try COCOReader(path: cocoRealInstances(split), skips: skips))
        let writer = TFRecordWriter(directory: dir, options: TFRecordWriterOptions(schema: .od, shardSize: .shardCount(3), masks: true),
                                    skips: skips)
        let outcome = try convert(source, writer, skips: skips)
        #expect(outcome.summary.samples == originals.count)
        let files = try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
        #expect(files == ["label_map.pbtxt", "labels.json", "\(split)-00000-of-00003.tfrecord", "\(split)-00001-of-00003.tfrecord",
                          "\(split)-00002-of-00003.tfrecord"])

        let reader = try TFRecordReader(path: dir, skips: skips)
        #expect(reader.schema == .od)
        #expect(reader.header.sampleCount == originals.count)
        #expect(Set(reader.header.categories.map(\.id)) == Set(source.header.categories.map(\.id)))
        let restored = Dictionary(uniqueKeysWithValues: try readAll(reader).map { ($0.id, $0) })
        #expect(restored.count == originals.count)
        let oracle = try oracleRLEs(file: "instances/annotations/instances_\(split).json")
        var checked = 0, crowds = 0
        for original in originals {
            let back = try #require(restored[original.id])
            #expect(back.width == original.width && back.height == original.height)
            #expect(back.fileName == original.fileName)
            guard case .file(let path) = original.image, case .bytes(let bytes) = back.image else {
                Issue.record("image source"); continue
            }
            #expect(bytes == (try Fixtures.bytes(path)), "original JPEG bytes")
            #expect(back.instances.count == original.instances.count)
            for (a, b) in zip(original.instances, back.instances) {
                #expect(a.categoryID == b.categoryID && a.isCrowd == b.isCrowd)
                let rle: RLE
                switch b.geometry {
                case .rle(let r) where a.isCrowd: rle = r
                case .compressedRLE(let c) where !a.isCrowd: rle = try RLE(c)
                default: Issue.record("unexpected mask form for \(a.id ?? -1)"); continue
                }
                let expected = try #require(oracle[a.id ?? -1])
                #expect(rle.compressedString == expected.counts, "annotation \(a.id ?? -1)")
                if let box = a.bbox, let got = b.bbox {
                    #expect(abs(box.x - got.x) < 1e-3 && abs(box.y - got.y) < 1e-3, "bbox \(a.id ?? -1)")
                    #expect(abs(box.width - got.width) < 2e-3 && abs(box.height - got.height) < 2e-3, "bbox \(a.id ?? -1)")
                }
                if let area = a.area, let got = b.area { #expect(abs(area - got) <= max(1e-3, area * 1e-6)) }
                checked += 1
                if a.isCrowd { crowds += 1 }
            }
        }
        #expect(checked == originals.reduce(0) { $0 + $1.instances.count })
        #expect(crowds > 0)
    }

    /// DeepLab records carry the original JPEG and a label PNG equal to the oracle's semantic map.
    @Test(arguments: ["val2017", "train2017"])
    func deepLabLabelsMatchOracle(split: String) throws {
        let dir = try Fixtures.temporaryDirectory("dl\(split)")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let skips = SkipReport(policy: .fail)
        let source = try COCOReader(path: cocoRealInstances(split), skips: skips)
        let writer = TFRecordWriter(directory: dir, options: TFRecordWriterOptions(schema: .deeplab, shardSize: .shardCount(4),
                                                                                   labelMaps: { oracleRenderer($0) }),
                                    skips: skips)
        try convert(source, writer, skips: skips)
        var records: [[UInt8]] = []
        for s in 0..<4 {
            let path = dir + "/\(split)-0000\(s)-of-00004.tfrecord"
            records += try TFRecordFraming.decodeRecords(try Fixtures.bytes(path), file: path)
        }
        let originals = try readAll(try COCOReader(path: cocoRealInstances(split), skips: skips))
        #expect(records.count == originals.count)
        for (payload, original) in zip(records, originals) {  // contiguous: file order = sample order
            let e = try TFExample(serialized: payload)
            #expect(Set(e.keys) == ["image/encoded", "image/filename", "image/format", "image/height", "image/width",
                                    "image/channels", "image/segmentation/class/encoded", "image/segmentation/class/format"])
            #expect(e.string("image/filename") == original.stem)
            #expect(e.string("image/format") == "jpeg")
            #expect(e.int64("image/height") == Int64(original.height))
            #expect(e.int64("image/channels") == 3)
            guard case .file(let path) = original.image else { Issue.record("no image"); continue }
            #expect(e.singleBytes("image/encoded") == (try Fixtures.bytes(path)))
            let label = try PNGDecoder.decode(try #require(e.singleBytes("image/segmentation/class/encoded")))
            let oracle = try PNGDecoder.decode(file: Fixtures.shared("data/coco-real/oracle_semantic/instances_\(split)/\(original.stem).png"))
            #expect(label.width == oracle.width && label.height == oracle.height)
            #expect(label.samples == oracle.samples, "label map of \(original.stem)")
        }
        // Read back: one annotation per class present, its pixels those of that value.
        let reader = try TFRecordReader(path: dir + "/\(split)-*", skips: skips)
        #expect(reader.schema == .deeplab)
        let back = try readAll(reader)
        #expect(back.count == originals.count)
        for sample in back {
            let oracle = try PNGDecoder.decode(file: Fixtures.shared("data/coco-real/oracle_semantic/instances_\(split)/\(sample.stem).png"))
            let values = Set(oracle.samples.filter { $0 != 0 && $0 != 255 }.map { Int64($0) })
            #expect(Set(sample.instances.map(\.categoryID)) == values)
            for instance in sample.instances {
                let rle = try instance.geometry.rle(height: sample.height, width: sample.width)
                #expect(rle.area == oracle.samples.filter { Int64($0) == instance.categoryID }.count)
            }
        }
    }

    @Test func missingImageNamesThePathAndSkipsUnderSkip() throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var samples = syntheticSamples(3)
        samples[1].image = .file("/nonexistent/dir/img2.jpg")
        let failing = SkipReport(policy: .fail)
        let w1 = TFRecordWriter(directory: dir + "/a", options: TFRecordWriterOptions(schema: .od), skips: failing)
        let error = #expect(throws: ConversionError.self) { try convert(ArrayReader(samples), w1, skips: failing) }
        #expect(error?.context.file == "/nonexistent/dir/img2.jpg")
        #expect(error?.context.imageID == 2)
        // Nothing that looks complete was left behind.
        let left = (try? FileManager.default.contentsOfDirectory(atPath: dir + "/a")) ?? []
        #expect(!left.contains { $0.hasSuffix(".tfrecord") })

        let skipping = SkipReport(policy: .skip)
        let w2 = TFRecordWriter(directory: dir + "/b", options: TFRecordWriterOptions(schema: .od), skips: skipping)
        let outcome = try convert(ArrayReader(samples), w2, skips: skipping)
        #expect(outcome.summary.samples == 2)
        #expect(skipping.count == 1)
        #expect(skipping.jsonLines.first?.contains("img2.jpg") == true)
    }

    @Test func badBoxesAreReportedNotDropped() throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var samples = syntheticSamples(2)
        samples[0].instances.append(Instance(id: 7, categoryID: 1, bbox: BoundingBox(x: 3, y: 0, width: 2, height: 1),
                                             area: 2, geometry: .none))
        samples[1].instances.append(Instance(id: 8, categoryID: 1, bbox: BoundingBox(x: 1, y: 1, width: 0, height: 1),
                                             area: 0, geometry: .none))
        let failing = SkipReport(policy: .fail)
        let error = #expect(throws: ConversionError.self) {
            try convert(ArrayReader(samples), TFRecordWriter(directory: dir + "/a", options: TFRecordWriterOptions(schema: .od), skips: failing),
                        skips: failing)
        }
        #expect(error?.context.annotationID == 7)
        #expect(error?.message.contains("outside") == true)

        let skipping = SkipReport(policy: .skip)
        let writer = TFRecordWriter(directory: dir + "/b", options: TFRecordWriterOptions(schema: .od), skips: skipping)
        let outcome = try convert(ArrayReader(samples), writer, skips: skipping)
        #expect(outcome.summary.samples == 2)
        #expect(outcome.summary.instances == 2)
        #expect(skipping.count == 2)
        #expect(outcome.summary.notes.contains { $0.contains("2 object(s) left out") })
        let back = try readAll(try TFRecordReader(path: dir + "/b", skips: SkipReport(policy: .fail)))
        #expect(back.map(\.instances.count) == [1, 1])
    }

    @Test func odKeysAndLabelMap() throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let skips = SkipReport(policy: .fail)
        let categories = [Category(id: 5, name: "it's"), Category(id: 1, name: "thing")]
        let writer = TFRecordWriter(directory: dir, options: TFRecordWriterOptions(schema: .od, shardSize: .samplesPerShard(10),
                                                                                   classIDs: .contiguous), skips: skips)
        try convert(ArrayReader(syntheticSamples(1), categories: categories), writer, skips: skips)
        let payload = try TFRecordFraming.decodeRecords(try Fixtures.bytes(dir + "/train-00000-of-00001.tfrecord"))[0]
        let e = try TFExample(serialized: payload)
        #expect(e.keys == ["image/height", "image/width", "image/filename", "image/source_id", "image/key/sha256",
                           "image/encoded", "image/format", "image/object/bbox/xmin", "image/object/bbox/xmax",
                           "image/object/bbox/ymin", "image/object/bbox/ymax", "image/object/class/text",
                           "image/object/class/label", "image/object/is_crowd", "image/object/area"])
        #expect(e.string("image/source_id") == "1")
        #expect(e.string("image/key/sha256") == SHA256.hexDigest([0xFF, 0xD8, 0xFF, 0]))
        #expect(e.floatList("image/object/bbox/xmax") == [0.5])
        #expect(e.floatList("image/object/bbox/ymax") == [Float(2.0 / 3.0)])
        #expect(e.int64List("image/object/class/label") == [2])  // contiguous: "thing" is the 2nd category
        let pbtxt = try String(contentsOfFile: dir + "/label_map.pbtxt", encoding: .utf8)
        #expect(pbtxt == "item {\n  id: 1\n  name: 'it\\'s'\n}\nitem {\n  id: 2\n  name: 'thing'\n}\n")
        #expect(try LabelMapPbtxt(parsing: pbtxt).items.map(\.name) == ["it's", "thing"])
    }
}

@Suite struct TFRecordLabelsFileTests {
    /// With --class-ids contiguous the records hold 1, 2...; labels.json maps them back to the original ids.
    @Test func odContiguousClassIDsReadBackAsOriginalCategories() throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let skips = SkipReport(policy: .fail)
        let categories = [Category(id: 5, name: "five", supercategory: "numbers"), Category(id: 1, name: "thing")]
        let writer = TFRecordWriter(directory: dir, options: TFRecordWriterOptions(schema: .od, classIDs: .contiguous), skips: skips)
        try convert(ArrayReader(syntheticSamples(2), categories: categories), writer, skips: skips)
        let reader = try TFRecordReader(path: dir, skips: skips)
        #expect(reader.header.categories == categories)
        #expect(try readAll(reader).flatMap { $0.instances.map(\.categoryID) } == [1, 1])
        // Without labels.json, label_map.pbtxt's contiguous ids are what there is.
        try FileManager.default.removeItem(atPath: dir + "/labels.json")
        let pbtxtOnly = try TFRecordReader(path: dir, skips: skips)
        #expect(pbtxtOnly.header.categories.map(\.id) == [1, 2])
        #expect(try readAll(pbtxtOnly).flatMap { $0.instances.map(\.categoryID) } == [2, 2])
    }

    @Test func deepLabValuesMapBackToCategories() throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let skips = SkipReport(policy: .fail)
        let schema = LabelSchema(entries: [LabelEntry(value: 3, categoryID: 1, name: "thing")], background: 9, ignoreIndex: 200)
        let renderer = LabelMapRenderer(paint: { sample in
            var map = LabelMap(width: sample.width, height: sample.height, filledWith: 9)
            map[0, 0] = 3
            map[1, 0] = 200
            return map
        }, palette: nil, schema: schema)
        let writer = TFRecordWriter(directory: dir, options: TFRecordWriterOptions(schema: .deeplab, labelMaps: { _ in renderer }),
                                    skips: skips)
        try convert(ArrayReader(syntheticSamples(1)), writer, skips: skips)
        let reader = try TFRecordReader(path: dir, skips: skips)
        #expect(reader.header.labelSchema == schema)
        let sample = try #require(try readAll(reader).first)
        #expect(sample.instances.map(\.categoryID) == [1])
        #expect(sample.instances.map(\.area) == [1])
        #expect(sample.fileName == "img1.jpg")
    }
}
