import CocoConvertCOCO
import CocoConvertCore
import CocoConvertLabels
import CocoConvertLabelMaps
@testable import CocoConvertPNG
import Foundation
import Testing

/// PNG label directories: round trips through COCO, 16-bit maps, RGB colormaps, bad input.
@Suite("PNG label directories")
struct LabelMapDirectoryTests {
    static let instancesVal = TestData.cocoReal.appendingPathComponent("instances/annotations/instances_val2017.json").path
    static let stuffTrain = TestData.cocoReal.appendingPathComponent("stuff/annotations/stuff_train2017.json").path

    /// Runs a conversion through the real pipeline (2 workers).
    @discardableResult
    static func convert(_ reader: any DatasetReader, _ writer: any DatasetWriter) throws -> Conversion.Outcome {
        try Conversion(jobs: 2).run(reader: reader, writer: writer, skips: SkipReport(policy: .fail))
    }

    /// Every PNG of a directory, decoded, by file name.
    static func maps(in directory: URL) throws -> [String: DecodedPNG] {
        var out: [String: DecodedPNG] = [:]
        for f in try FileManager.default.contentsOfDirectory(atPath: directory.path) where f.hasSuffix(".png") {
            out[f] = try PNGDecoder.decode(file: directory.appendingPathComponent(f).path)
        }
        return out
    }

    @Test("coco → png → coco → png is pixel-identical", arguments: [MapKind.semantic, .instance], [instancesVal, stuffTrain])
    func roundTrip(kind: MapKind, source: String) throws {
        let tmp = try TestData.temporaryDirectory("roundtrip")
        defer { try? FileManager.default.removeItem(at: tmp) }
        let first = tmp.appendingPathComponent("first"), second = tmp.appendingPathComponent("second")
        let json = tmp.appendingPathComponent("back.json").path
        let paint: @Sendable (DatasetHeader) throws -> PaintOptions = { header in
            PaintOptions(schema: .contiguous(header.categories), crowd: .include, overlap: .later, kind: kind)
        }
        try Self.convert(try COCOReader(path: source, skips: SkipReport(policy: .fail)),
                         LabelMapDirectoryWriter(directory: first.path, options: LabelMapWriterOptions(paint: paint)))
        let outcome = try Self.convert(try LabelMapDirectoryReader(directory: first.path, skips: SkipReport(policy: .fail)),
                                       COCOWriter(path: json))
        #expect(outcome.summary.samples > 0)
        // The COCO file written from PNGs has compressed RLE per (image, class) or per instance.
        try Self.convert(try COCOReader(path: json, skips: SkipReport(policy: .fail)),
                         LabelMapDirectoryWriter(directory: second.path, options: LabelMapWriterOptions(paint: paint)))
        let a = try Self.maps(in: first), b = try Self.maps(in: second)
        #expect(a.count == outcome.summary.samples)
        #expect(Set(a.keys) == Set(b.keys))
        for (name, map) in a {
            let other = b[name]?.samples ?? []
            let differing = other.count == map.samples.count ? zip(other, map.samples).filter { $0 != $1 }.count : -1
            #expect(differing == 0, "\(name): \(differing) pixels differ after the round trip")
        }
        // labels.json survives too (categories, schema).
        let back = try LabelMapDirectoryReader(directory: second.path, skips: SkipReport(policy: .fail))
        let original = try COCOReader(path: source, skips: SkipReport(policy: .fail))
        #expect(back.header.categories.map(\.id) == original.header.categories.map(\.id))
    }

    @Test("the reader's semantic instances are one per class present, never background or ignore")
    func readerInstances() throws {
        let tmp = try TestData.temporaryDirectory("reader")
        defer { try? FileManager.default.removeItem(at: tmp) }
        try Self.convert(try COCOReader(path: Self.instancesVal, skips: SkipReport(policy: .fail)),
                         LabelMapDirectoryWriter(directory: tmp.path, options: LabelMapWriterOptions(paint: { h in
                             PaintOptions(schema: .cocoIDs(h.categories), crowd: .ignore)
                         }, palette: Palette.voc, paletteName: "voc")))
        let reader = try LabelMapDirectoryReader(directory: tmp.path, skips: SkipReport(policy: .fail))
        var samples = 0
        while let sample = try reader.next() {
            samples += 1
            let oracle = try PNGDecoder.decode(file: TestData.oracleSemantic
                .appendingPathComponent("instances_val2017/\(sample.stem).png").path)
            let expected = Set(oracle.samples.map(UInt32.init)).subtracting([0])
            var seen = Set<UInt32>()
            for instance in sample.instances {
                guard case .labelValue(_, let v) = instance.geometry else { Issue.record("not a label value"); continue }
                #expect(v != 0 && v != 255)
                #expect(instance.categoryID == Int64(v))
                seen.insert(v)
            }
            // Crowd-ignore pixels (255) are not instances; the object classes are those of the oracle,
            // except classes painted only where crowds now lie beneath nothing else.
            #expect(seen.isSubset(of: expected))
            #expect(sample.fileName.hasSuffix(".jpg"))
        }
        #expect(samples == 60)
    }

    @Test("a >255-instance image is written as 16-bit and read back exactly")
    func sixteenBitInstances() throws {
        let tmp = try TestData.temporaryDirectory("sixteen")
        defer { try? FileManager.default.removeItem(at: tmp) }
        var instances: [Instance] = []
        var expected = [UInt16](repeating: 0, count: 60 * 50)
        var k = 0
        outer: for y in stride(from: 0, to: 50, by: 3) {
            for x in stride(from: 0, to: 60, by: 3) {
                if k == 300 { break outer }
                k += 1
                let polygon = [Double(x), Double(y), Double(x + 2), Double(y), Double(x + 2), Double(y + 2), Double(x), Double(y + 2)]
                instances.append(Instance(id: Int64(1000 + k), categoryID: Int64(1 + k % 3), geometry: .polygons([polygon])))
                let value = UInt16(k < 255 ? k : k + 1)
                for yy in y..<(y + 2) { for xx in x..<(x + 2) { expected[yy * 60 + xx] = value } }
            }
        }
        let categories = (1...3).map { Category(id: Int64($0), name: "c\($0)") }
        let sample = Sample(id: 7, fileName: "many.jpg", width: 60, height: 50, instances: instances)
        let reader = SampleListReader(header: DatasetHeader(kind: .instances, categories: categories), samples: [sample])
        let summary = try Self.convert(reader, LabelMapDirectoryWriter(directory: tmp.path, options: LabelMapWriterOptions(
            paint: PaintOptions(schema: .contiguous(categories), kind: .instance), palette: Palette.voc))).summary
        #expect(summary.notes.contains { $0.contains("16-bit") })
        let png = try PNGDecoder.decode(file: tmp.appendingPathComponent("many.png").path)
        #expect(png.bitDepth == 16 && png.colorType == .gray)
        #expect(png.samples == expected)
        let back = try LabelMapDirectoryReader(directory: tmp.path, skips: SkipReport(policy: .fail))
        let read = try #require(try back.next())
        #expect(read.instances.count == 300)
        #expect(read.instances.map(\.id) == instances.map(\.id))
        #expect(read.instances.map(\.categoryID) == instances.map(\.categoryID))
    }

    @Test("RGB-coloured maps are decoded through the colormap; unknown colours are errors")
    func rgbColormap() throws {
        let tmp = try TestData.temporaryDirectory("rgb")
        defer { try? FileManager.default.removeItem(at: tmp) }
        // 3×2 map: values 0, 1, 15 / 255, 15, 1 drawn in VOC colours.
        let values: [Int] = [0, 1, 15, 255, 15, 1]
        let rgb = values.flatMap { [Palette.voc[$0].r, Palette.voc[$0].g, Palette.voc[$0].b] }
        try Data(try PNGEncoder.encodeRGB8(width: 3, height: 2, pixels: rgb)).write(to: tmp.appendingPathComponent("a.png"))
        let options = LabelMapReaderOptions(schema: .voc21, palette: Palette.voc)
        let reader = try LabelMapDirectoryReader(directory: tmp.path, options: options, skips: SkipReport(policy: .fail))
        let sample = try #require(try reader.next())
        #expect(sample.instances.map(\.categoryID) == [5, 1]) // VOC 1 aeroplane ← COCO 5, VOC 15 person ← COCO 1
        guard case .labelValue(let plane, _) = sample.instances[0].geometry else { Issue.record("no plane"); return }
        #expect(plane.pixels == values.map(UInt32.init))

        var bad = rgb
        bad[0] = 7
        try Data(try PNGEncoder.encodeRGB8(width: 3, height: 2, pixels: bad)).write(to: tmp.appendingPathComponent("b.png"))
        let reader2 = try LabelMapDirectoryReader(directory: tmp.path, options: options, skips: SkipReport(policy: .fail))
        _ = try reader2.next()
        #expect(throws: ConversionError.self) { try reader2.next() }
        // Under skip the bad file is reported and left out.
        let skips = SkipReport(policy: .skip)
        let reader3 = try LabelMapDirectoryReader(directory: tmp.path, options: options, skips: skips)
        #expect(try reader3.next() != nil)
        #expect(try reader3.next() == nil)
        #expect(skips.count == 1)
    }

    @Test("a directory without labels.json needs categories or a mapping")
    func needsCategories() throws {
        let tmp = try TestData.temporaryDirectory("nolabels")
        defer { try? FileManager.default.removeItem(at: tmp) }
        #expect(throws: ConversionError.self) {
            try LabelMapDirectoryReader(directory: tmp.path, skips: SkipReport(policy: .fail))
        }
    }

    @Test("truncated and garbage PNGs in a directory are errors naming the file, never crashes")
    func badFiles() throws {
        let tmp = try TestData.temporaryDirectory("bad")
        defer { try? FileManager.default.removeItem(at: tmp) }
        let good = try PNGEncoder.encode(labelMap: LabelMap(width: 8, height: 8, filledWith: 1), palette: nil)
        try Data(good.prefix(40)).write(to: tmp.appendingPathComponent("a.png"))
        try Data("not a png".utf8).write(to: tmp.appendingPathComponent("b.png"))
        let options = LabelMapReaderOptions(categories: [Category(id: 1, name: "one")])
        let reader = try LabelMapDirectoryReader(directory: tmp.path, options: options, skips: SkipReport(policy: .fail))
        for name in ["a.png", "b.png"] {
            do {
                _ = try reader.next()
                Issue.record("\(name) decoded")
            } catch let error as ConversionError {
                #expect(error.code == .malformedInput)
                #expect(error.context.file?.hasSuffix(name) == true)
            }
        }
    }

    @Test("two images with the same stem are a duplicate-id error, not an overwrite")
    func duplicateStems() throws {
        let tmp = try TestData.temporaryDirectory("dup")
        defer { try? FileManager.default.removeItem(at: tmp) }
        let categories = [Category(id: 1, name: "one")]
        let samples = [Sample(id: 1, fileName: "a/x.jpg", width: 4, height: 4), Sample(id: 2, fileName: "b/x.png", width: 4, height: 4)]
        let reader = SampleListReader(header: DatasetHeader(kind: .instances, categories: categories), samples: samples)
        do {
            try Self.convert(reader, LabelMapDirectoryWriter(directory: tmp.path, options: LabelMapWriterOptions(
                paint: PaintOptions(schema: .contiguous(categories)))))
            Issue.record("no error")
        } catch let error as ConversionError {
            #expect(error.code == .duplicateID)
        }
        #expect(!FileManager.default.fileExists(atPath: tmp.appendingPathComponent("labels.json").path))
    }
}

/// A reader over samples in memory.
final class SampleListReader: DatasetReader {
    let header: DatasetHeader
    private var samples: [Sample]

    init(header: DatasetHeader, samples: [Sample]) {
        self.header = header
        self.samples = samples.reversed()
    }

    func next() throws -> Sample? { samples.popLast() }
}
