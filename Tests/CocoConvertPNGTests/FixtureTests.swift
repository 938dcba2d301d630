import CocoConvertCOCO
import CocoConvertCore
import CocoConvertLabelMaps
import CocoConvertPNG
import Foundation
import Testing

/// formats/png-labels: tiny.json painted and written must equal the Pillow-written goldens.
@Suite("formats/png-labels fixtures")
struct FixtureTests {
    static let fixtures = TestData.repoRoot.appendingPathComponent("formats/png-labels")

    @Test("tiny.json → PNG directory equals the goldens", arguments: [
        ("golden-coco", "coco", CrowdPolicy.skip, true),
        ("golden-coco-voc", "coco", CrowdPolicy.skip, false),
        ("golden-contiguous-crowd-ignore", "contiguous", CrowdPolicy.ignore, true),
    ])
    func goldens(directory: String, labels: String, crowd: CrowdPolicy, gray: Bool) throws {
        let out = try TestData.temporaryDirectory("fixture")
        defer { try? FileManager.default.removeItem(at: out) }
        let reader = try COCOReader(path: Self.fixtures.appendingPathComponent("tiny.json").path, skips: SkipReport(policy: .fail))
        let writer = LabelMapDirectoryWriter(directory: out.path, options: LabelMapWriterOptions(paint: { header in
            PaintOptions(schema: labels == "coco" ? .cocoIDs(header.categories) : .contiguous(header.categories), crowd: crowd)
        }, palette: gray ? nil : Palette.voc, paletteName: gray ? nil : "voc"))
        _ = try Conversion(jobs: 2).run(reader: reader, writer: writer, skips: SkipReport(policy: .fail))
        for stem in ["tiny_a", "tiny_b"] {
            let golden = try PNGDecoder.decode(file: Self.fixtures.appendingPathComponent("\(directory)/\(stem).png").path)
            let ours = try PNGDecoder.decode(file: out.appendingPathComponent("\(stem).png").path)
            #expect(ours.samples == golden.samples, "\(directory)/\(stem)")
            #expect(ours.colorType == (gray ? .gray : .palette))
            #expect(golden.colorType == ours.colorType)
        }
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("labels.json").path))
        let files = try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
        #expect(files == ["labels.json", "tiny_a.png", "tiny_b.png"])
    }

    @Test("bad fixtures fail with malformed-input")
    func bad() {
        for name in ["truncated.png", "not-a-png.png"] {
            #expect(throws: ConversionError.self) {
                try PNGDecoder.decode(file: Self.fixtures.appendingPathComponent("bad/\(name)").path)
            }
        }
    }
}
