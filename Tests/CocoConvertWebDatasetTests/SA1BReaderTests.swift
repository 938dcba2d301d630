import CocoConvertCOCO
import CocoConvertCore
import CocoConvertLabelMaps
import CocoConvertPNG
import Foundation
import CocoConvertTar
import Testing
@testable import CocoConvertSA1B
@testable import CocoConvertWebDataset

/// The SA-1B fixture (formats/sa1b/make_fixture.py: COCO masks from pycocotools written as SA-1B
/// per-image JSON) read from tars, one tar and unpacked, and converted on.
@Suite("SA-1B reader")
struct SA1BReaderTests {
    nonisolated(unsafe) static let expected: [String: [String: Any]] = (try? jsonObject(Paths.fixture("sa1b/expected.json")) as? [String: [String: Any]]) ?? [:]

    /// Every instance's mask, area and box equal the golden; returns how many were checked.
    @discardableResult
    static func checkAgainstGolden(_ samples: [Sample]) throws -> Int {
        var checked = 0
        for sample in samples {
            for instance in sample.instances {
                let id = try #require(instance.id)
                let g = try #require(expected[String(id)], "annotation \(id) is in the golden")
                guard case .compressedRLE(let c) = instance.geometry else {
                    Issue.record("annotation \(id): not compressed RLE")
                    continue
                }
                #expect(c.counts == g["counts"] as? String, "annotation \(id)")
                #expect([c.height, c.width] == (g["size"] as? [NSNumber])?.map(\.intValue))
                #expect(instance.area == (g["area"] as? NSNumber)?.doubleValue)
                #expect(instance.bbox?.array == (g["bbox"] as? [NSNumber])?.map(\.doubleValue))
                #expect(sample.id == (g["image_id"] as? NSNumber)?.int64Value)
                #expect(instance.categoryID == 1)
                checked += 1
            }
        }
        return checked
    }

    @Test func directoryOfTarsGivesEveryMaskExactly() throws {
        let reader = try SA1BReader(path: Paths.fixture("sa1b/good/tars"), skips: SkipReport(policy: .fail))
        #expect(reader.header.categories == [Category(id: 1, name: "object")])
        let samples = try readAll(reader)
        #expect(samples.map(\.id) == [343937, 205401, 229358, 159269, 256353])
        let checked = try Self.checkAgainstGolden(samples)
        #expect(checked == Self.expected.values.filter { ($0["image_id"] as? NSNumber)?.int64Value != 208901 }.count)
        // SA-1B's model fields stay as extra fields, verbatim.
        let first = try #require(samples.first?.instances.first)
        #expect(first.extra.map(\.key) == ["predicted_iou", "point_coords", "crop_box", "stability_score"])
        guard case .bytes(let jpeg) = samples[0].image else { Issue.record("no image bytes"); return }
        #expect(jpeg == [UInt8](try Data(contentsOf: Paths.cocoReal.appendingPathComponent("instances/val2017/000000343937.jpg"))))
    }

    @Test func singleTarAndUnpackedDirectory() throws {
        let one = try readAll(try SA1BReader(path: Paths.fixture("sa1b/good/tars/sa_000001.tar"), skips: SkipReport(policy: .fail)))
        #expect(one.map(\.id) == [159269, 256353])
        try Self.checkAgainstGolden(one)
        let reader = try SA1BReader(path: Paths.fixture("sa1b/good/unpacked"), skips: SkipReport(policy: .fail))
        #expect(reader.header.sampleCount == 1)
        let unpacked = try readAll(reader)
        #expect(unpacked.map(\.id) == [208901])
        #expect(try Self.checkAgainstGolden(unpacked) == 1)
        guard case .file(let path) = unpacked[0].image else { Issue.record("no image file"); return }
        #expect(path.hasSuffix("sa_208901.jpg"))
    }

    @Test func toCOCOKeepsEveryMaskAndTheModelFields() throws {
        let dir = try Paths.temporaryDirectory("sa1b-coco")
        try convert(jobs: 2, reader: try SA1BReader(path: Paths.fixture("sa1b/good/tars"), skips: SkipReport(policy: .fail)),
                                    writer: COCOWriter(path: dir + "/out.json"), skips: SkipReport(policy: .fail))
        let coco = try #require(try jsonObject(dir + "/out.json") as? [String: Any])
        let annotations = try #require(coco["annotations"] as? [[String: Any]])
        #expect(annotations.count == 63)
        for a in annotations {
            let id = try #require((a["id"] as? NSNumber)?.int64Value)
            let g = try #require(Self.expected[String(id)])
            let seg = try #require(a["segmentation"] as? [String: Any])
            #expect(seg["counts"] as? String == g["counts"] as? String, "annotation \(id)")
            #expect(a["predicted_iou"] != nil && a["stability_score"] != nil && a["point_coords"] != nil && a["crop_box"] != nil)
        }
    }

    @Test func toWebDatasetAndBackKeepsEveryMask() throws {
        let dir = try Paths.temporaryDirectory("sa1b-wds")
        try convert(jobs: 2, reader: try SA1BReader(path: Paths.fixture("sa1b/good/tars"), skips: SkipReport(policy: .fail)),
                                    writer: WebDatasetWriter(directory: dir, options: WebDatasetRoundTripTests.writerOptions(shard: 2),
                                                             skips: SkipReport(policy: .fail)),
                                    skips: SkipReport(policy: .fail))
        let back = try readAll(try WebDatasetReader(path: dir, skips: SkipReport(policy: .fail)))
        #expect(back.count == 5)
        #expect(try Self.checkAgainstGolden(back) == 63)
        #expect(back[0].instances[0].extra.map(\.key) == ["predicted_iou", "point_coords", "crop_box", "stability_score"])
    }

    @Test func toPNGPaintsTheUnionOfTheMasks() throws {
        let dir = try Paths.temporaryDirectory("sa1b-png")
        let options = LabelMapWriterOptions(paint: PaintOptions(schema: .contiguous([SA1BReader.category]), crowd: .skip,
                                                                overlap: .later, kind: .semantic))
        try convert(jobs: 2, reader: try SA1BReader(path: Paths.fixture("sa1b/good/tars"), skips: SkipReport(policy: .fail)),
                                    writer: LabelMapDirectoryWriter(directory: dir, options: options), skips: SkipReport(policy: .fail))
        let samples = try readAll(try SA1BReader(path: Paths.fixture("sa1b/good/tars"), skips: SkipReport(policy: .fail)))
        for sample in samples {
            let png = try PNGDecoder.decode(file: dir + "/sa_\(sample.id).png")
            var union = [Bool](repeating: false, count: sample.width * sample.height)
            for instance in sample.instances {
                let rle = try instance.geometry.rle(height: sample.height, width: sample.width)
                var position = 0
                for (k, count) in rle.counts.enumerated() {
                    if k % 2 == 1 {
                        for p in position..<(position + Int(count)) {
                            // Column-major RLE → row-major pixel.
                            union[(p % sample.height) * sample.width + p / sample.height] = true
                        }
                    }
                    position += Int(count)
                }
            }
            #expect(png.samples.map { $0 == 1 } == union, "image \(sample.id)")
        }
    }

    @Test func damagedTarsAreNamed() throws {
        let truncated = Paths.fixture("sa1b/bad/truncated.tar")
        let e1 = #expect(throws: ConversionError.self) { _ = try readAll(try SA1BReader(path: truncated, skips: SkipReport(policy: .fail))) }
        #expect(e1?.code == .malformedInput && e1?.context.file == truncated && e1?.message.contains("truncated inside member 'sa_343937.jpg'") == true)
        let checksum = Paths.fixture("sa1b/bad/bad-checksum.tar")
        let skips = SkipReport(policy: .skip)
        let samples = try readAll(try SA1BReader(path: checksum, skips: skips))
        #expect(samples.isEmpty)   // the damage is in the first sample's JSON header
        #expect(skips.count == 1 && skips.jsonLines[0].contains("bad checksum"))
    }
}
