import CocoConvertCOCO
import CocoConvertLabelMaps
import CocoConvertCore
import CocoConvertPNG
import Foundation
import Testing
@testable import CocoConvertVOC

/// coco → voc → coco on the real COCO subsets, against the pycocotools oracle.
@Suite struct VOCRoundTripTests {
    static let real = Fixtures.shared.appendingPathComponent("data/coco-real")

    /// The annotation file of a split, parsed with Foundation (independent of our COCO reader).
    struct Source {
        var images: [(id: Int64, fileName: String, width: Int, height: Int)] = []
        var annotations: [Int64: [(id: Int64, category: Int64, crowd: Bool)]] = [:]
        var categories: [(id: Int64, name: String)] = []

        init(_ url: URL) throws {
            let root = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
            for image in try #require(root["images"] as? [[String: Any]]) {
                images.append((try #require((image["id"] as? NSNumber)?.int64Value), try #require(image["file_name"] as? String),
                               try #require((image["width"] as? NSNumber)?.intValue), try #require((image["height"] as? NSNumber)?.intValue)))
            }
            for a in try #require(root["annotations"] as? [[String: Any]]) {
                let image = try #require((a["image_id"] as? NSNumber)?.int64Value)
                annotations[image, default: []].append((try #require((a["id"] as? NSNumber)?.int64Value),
                                                        try #require((a["category_id"] as? NSNumber)?.int64Value),
                                                        (a["iscrowd"] as? NSNumber)?.intValue == 1))
            }
            for c in try #require(root["categories"] as? [[String: Any]]) {
                categories.append((try #require((c["id"] as? NSNumber)?.int64Value), try #require(c["name"] as? String)))
            }
            categories.sort { $0.id < $1.id }
        }
    }

    /// pycocotools' `annToRLE` of every annotation of one file, by annotation id.
    static func oracle(file: String) throws -> [Int64: RLE] {
        let text = try String(contentsOf: real.appendingPathComponent("oracle_annotations.jsonl"), encoding: .utf8)
        var out: [Int64: RLE] = [:]
        for line in text.split(separator: "\n") {
            let record = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            guard record["file"] as? String == file else { continue }
            let rle = try #require(record["rle"] as? [String: Any])
            let size = try #require(rle["size"] as? [Int])
            out[try #require((record["id"] as? NSNumber)?.int64Value)] =
                try RLE(compressed: try #require(rle["counts"] as? String), height: size[0], width: size[1])
        }
        return out
    }

    /// The RLE of `plane == k` for every k in 0..<values, in one pass over a column-major plane.
    static func runLengths(_ plane: [UInt16], values: Int, height: Int, width: Int) -> [RLE] {
        var counts = [[UInt32]](repeating: [], count: values)
        var runEnd = [Int](repeating: 0, count: values)  // index just past each value's last run
        for p in 0..<plane.count {
            let k = Int(plane[p])
            if k == 0 || k >= values { continue }
            if runEnd[k] == p && !counts[k].isEmpty {
                counts[k][counts[k].count - 1] += 1
            } else {
                counts[k].append(UInt32(p - runEnd[k]))
                counts[k].append(1)
            }
            runEnd[k] = p + 1
        }
        return (0..<values).map { k in
            let tail = height * width - runEnd[k]
            return RLE(height: height, width: width, counts: counts[k] + (tail > 0 || counts[k].isEmpty ? [UInt32(tail)] : []))
        }
    }

    static func convert(split: String, options: VOCWriterOptions, jobs: Int = 2) throws -> (URL, WriteSummary) {
        let json = real.appendingPathComponent("instances/annotations/instances_\(split).json")
        let out = try Fixtures.temporaryDirectory("roundtrip")
        let skips = SkipReport(policy: .fail)
        let reader = try COCOReader(path: json.path, skips: skips)
        let writer = VOCWriter(output: out.path, options: options, skips: skips)
        let outcome = try Conversion(jobs: jobs).run(reader: reader, writer: writer, skips: skips)
        return (out, outcome.summary)
    }

    @Test(arguments: ["val2017", "train2017"])
    func restoresEveryInstanceAsThePixelsItOwns(split: String) throws {
        let file = "instances/annotations/instances_\(split).json"
        let source = try Source(Self.real.appendingPathComponent(file))
        let oracle = try Self.oracle(file: file)
        let (out, summary) = try Self.convert(split: split, options: VOCWriterOptions(layout: .devkit))
        defer { try? FileManager.default.removeItem(at: out) }
        #expect(summary.samples == source.images.count)

        let reader = try VOCReader(path: out.path, skips: SkipReport(policy: .fail))
        #expect(reader.header.split == String(split.dropLast(4)))
        #expect(reader.header.categories.map(\.name) == source.categories.map(\.name))
        let classOf = Dictionary(uniqueKeysWithValues: source.categories.enumerated().map { ($0.element.id, Int64($0.offset + 1)) })

        var images = source.images.makeIterator()
        var checkedInstances = 0
        while let sample = try reader.next() {
            guard let image = images.next() else {
                Issue.record("more samples than images")
                break
            }
            #expect(sample.id == image.id)  // numeric stems come back as the image ids
            #expect(sample.width == image.width && sample.height == image.height)
            let h = image.height, w = image.width
            // The expected object map, column-major: crowds void beneath everything, then the other
            // annotations in file order, later wins.
            var objects = [UInt16](repeating: 0, count: h * w)
            var categoryOfIndex: [Int64] = [0]
            let annotations = source.annotations[image.id] ?? []
            for annotation in annotations.filter(\.crowd) + annotations.filter({ !$0.crowd }) {
                let value: UInt16
                if annotation.crowd {
                    value = 255
                } else {
                    categoryOfIndex.append(classOf[annotation.category] ?? -1)
                    value = UInt16(categoryOfIndex.count - 1)
                }
                try #require(oracle[annotation.id]).forEachRun { start, length in
                    for p in start..<(start + length) { objects[p] = value }
                }
            }
            let owned = Self.runLengths(objects, values: categoryOfIndex.count, height: h, width: w)
            var expected: [(RLE, Int64)] = []
            for k in 1..<categoryOfIndex.count where owned[k].area > 0 {
                expected.append((owned[k], categoryOfIndex[k]))
            }
            #expect(sample.instances.count == expected.count, "image \(image.id)")
            for (instance, (rle, category)) in zip(sample.instances, expected) {
                let got = try instance.geometry.rle(height: h, width: w)
                #expect(got == rle, "image \(image.id)")
                #expect(instance.categoryID == category)
                #expect(instance.area == Double(rle.area))
                #expect(instance.bbox == rle.boundingBox)
                checkedInstances += 1
            }
        }
        #expect(images.next() == nil, "fewer samples than images")
        #expect(checkedInstances > 400)
    }

    @Test(arguments: ["val2017", "train2017"])
    func classMapsEqualTheCocostuffapiOracle(split: String) throws {
        // Oracle: pixel = category id, non-crowd annotations in file order, later wins, 0 unlabeled.
        let options = VOCWriterOptions(imageMode: .none, paint: { header in
            PaintOptions(schema: .cocoIDs(header.categories), crowd: .skip, overlap: .later, kind: .instance)
        })
        let (out, _) = try Self.convert(split: split, options: options)
        defer { try? FileManager.default.removeItem(at: out) }
        let oracleDirectory = Self.real.appendingPathComponent("oracle_semantic/instances_\(split)")
        let names = try FileManager.default.contentsOfDirectory(atPath: oracleDirectory.path).filter { $0.hasSuffix(".png") }
        #expect(names.count >= 40)
        for name in names {
            let want = try PNGDecoder.decode(file: oracleDirectory.appendingPathComponent(name).path)
            let got = try PNGDecoder.decode(file: out.appendingPathComponent("SegmentationClass/\(name)").path)
            #expect(got.colorType == .palette)
            #expect(got.width == want.width && got.height == want.height)
            #expect(got.samples == want.samples, "\(name)")
        }
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("JPEGImages").path))
        // COCO ids have gaps (12, 26, ...): placeholder lines keep labelmap.txt positional, and the reader drops them.
        let labelmap = try VOCLabelMap(parsing: try Fixtures.bytes(out.appendingPathComponent("labelmap.txt")), file: "x")
        #expect(labelmap.labels.count == 92 && labelmap.labels[12].name == "__unused_12__" && labelmap.labels[90].name == "toothbrush")
        #expect(labelmap.labels[91].name == "ignored" && labelmap.isVoid(91))  // the void line, after the classes
        let reader = try VOCReader(path: out.path, skips: SkipReport(policy: .fail))
        #expect(reader.header.categories.count == 80 && reader.header.category(id: 90)?.name == "toothbrush")
    }

    /// SegmentationClass holds exactly the PNG label-map writer's pixels for the same paint options.
    @Test(arguments: [(CrowdPolicy.ignore, OverlapPolicy.later), (.skip, .smaller), (.include, .ignore), (.ignore, .ignore), (.skip, .later)])
    func classMapsEqualTheLabelMapWriter(crowd: CrowdPolicy, overlap: OverlapPolicy) throws {
        let paint: @Sendable (DatasetHeader) throws -> PaintOptions = { header in
            PaintOptions(schema: .contiguous(header.categories), crowd: crowd, overlap: overlap)
        }
        let (out, _) = try Self.convert(split: "val2017", options: VOCWriterOptions(imageMode: .none, paint: paint))
        let pngs = try Fixtures.temporaryDirectory("labelmaps")
        defer {
            try? FileManager.default.removeItem(at: out)
            try? FileManager.default.removeItem(at: pngs)
        }
        let skips = SkipReport(policy: .fail)
        let reader = try COCOReader(path: Self.real.appendingPathComponent("instances/annotations/instances_val2017.json").path, skips: skips)
        let writer = LabelMapDirectoryWriter(directory: pngs.path, options: LabelMapWriterOptions(paint: paint))
        _ = try Conversion(jobs: 2).run(reader: reader, writer: writer, skips: skips)
        let names = try FileManager.default.contentsOfDirectory(atPath: out.appendingPathComponent("SegmentationClass").path)
        #expect(names.count == 60)
        for name in names {
            let voc = try PNGDecoder.decode(file: out.appendingPathComponent("SegmentationClass/\(name)").path)
            let png = try PNGDecoder.decode(file: pngs.appendingPathComponent(name).path)
            #expect(voc.samples == png.samples, "\(name) crowd \(crowd) overlap \(overlap)")
        }
    }

    @Test func outputDoesNotDependOnWorkerCount() throws {
        let (one, _) = try Self.convert(split: "val2017", options: VOCWriterOptions(imageMode: .none), jobs: 1)
        let (three, _) = try Self.convert(split: "val2017", options: VOCWriterOptions(imageMode: .none), jobs: 3)
        defer {
            try? FileManager.default.removeItem(at: one)
            try? FileManager.default.removeItem(at: three)
        }
        let fm = FileManager.default
        let files = try fm.subpathsOfDirectory(atPath: one.path).sorted()
        #expect(files == (try fm.subpathsOfDirectory(atPath: three.path)).sorted())
        #expect(!files.contains { $0.contains(".tmp") })
        for file in files where !file.hasSuffix("/") {
            var isDirectory: ObjCBool = false
            _ = fm.fileExists(atPath: one.appendingPathComponent(file).path, isDirectory: &isDirectory)
            if isDirectory.boolValue { continue }
            #expect(fm.contents(atPath: one.appendingPathComponent(file).path) == fm.contents(atPath: three.appendingPathComponent(file).path), "\(file)")
        }
    }
}
