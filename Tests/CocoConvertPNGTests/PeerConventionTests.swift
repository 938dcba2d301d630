import CocoConvertCOCO
import CocoConvertCore
import CocoConvertLabelMaps
import CocoConvertLabels
import CocoConvertPNG
import Foundation
import Testing

/// Label-map defaults that reproduce a peer's convention, against values the peer's algorithm gives
/// (never our own output pasted back).
@Suite struct PeerConventionTests {
    static let fixtures = TestData.repoRoot.appendingPathComponent("formats/png-labels")

    /// Converts `input` with the PNG writer configured from command-line style `options`.
    static func convert(_ input: String, _ options: [String: [String]]) throws -> URL {
        try convertWithSummary(input, options).0
    }

    static func convertWithSummary(_ input: String, _ options: [String: [String]]) throws -> (URL, WriteSummary) {
        let out = try TestData.temporaryDirectory("peer")
        let labels = try LabelOptions(OptionValues(options))
        let writer = LabelMapDirectoryWriter(directory: out.path, options: LabelMapWriterOptions(
            paint: { header in try labels.paintOptions(for: header) },
            palette: try labels.palette(formatDefault: "voc"), paletteName: labels.paletteLabel(formatDefault: "voc")))
        let reader = try COCOReader(path: input, skips: SkipReport(policy: .fail))
        let outcome = try Conversion(jobs: 2).run(reader: reader, writer: writer, skips: SkipReport(policy: .fail))
        return (out, outcome.summary)
    }

    /// `--labels cocostuff171` on COCO panoptic input leaves out the 17 `*-merged` classes (ids 184...200 of the
    /// genuine panoptic categories): the summary names them instead of painting them 255 silently.
    @Test func cocostuff171OnPanopticReportsTheMergedClasses() throws {
        let source = TestData.shared.appendingPathComponent("data/coco-real/panoptic/annotations/panoptic_val2017.json")
        let (out, summary) = try Self.convertWithSummary(source.path, ["labels": ["cocostuff171"]])
        defer { try? FileManager.default.removeItem(at: out) }
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: source)) as? [String: Any]
        let merged = (json?["categories"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }.filter { $0.hasSuffix("-merged") }
        #expect(merged.count == 17)
        let note = try #require(summary.notes.first { $0.contains("not in the label mapping") })
        #expect(note.hasPrefix("\(merged.count) of "))
        #expect(note.contains(merged[0]))
    }

    struct Target: Decodable { var width: Int; var height: Int; var target: [[Int]] }

    /// torchvision's ConvertCocoPolysToMask target (formats/png-labels/torchvision-voc21/make_golden.py,
    /// numpy + pycocotools): `--labels voc21` alone includes crowds and marks any overlap 255, same class too.
    @Test func voc21PresetIsTorchvisionsTarget() throws {
        let dir = Self.fixtures.appendingPathComponent("torchvision-voc21")
        let golden = try JSONDecoder().decode(Target.self, from: Data(contentsOf: dir.appendingPathComponent("expected.json")))
        let out = try Self.convert(dir.appendingPathComponent("voc21.json").path, ["labels": ["voc21"], "palette": ["none"]])
        defer { try? FileManager.default.removeItem(at: out) }
        let png = try PNGDecoder.decode(file: out.appendingPathComponent("scene.png").path)
        #expect(png.width == golden.width && png.height == golden.height)
        #expect(png.samples.map(Int.init) == golden.target.flatMap { $0 })
    }

    /// Explicit options still override the preset's conventions.
    @Test func explicitOptionsOverrideTheVOC21Conventions() throws {
        let dir = Self.fixtures.appendingPathComponent("torchvision-voc21")
        let out = try Self.convert(dir.appendingPathComponent("voc21.json").path,
                                   ["labels": ["voc21"], "palette": ["none"], "overlap": ["later"], "crowd": ["skip"]])
        defer { try? FileManager.default.removeItem(at: out) }
        let px = try PNGDecoder.decode(file: out.appendingPathComponent("scene.png").path).samples
        // (3, 2): the two persons overlap, the later one wins; (3, 6): under the skipped crowd only.
        #expect(px[2 * 12 + 3] == 15)
        #expect(px[6 * 12 + 3] == 0)
        #expect(!px.contains(255))
    }

    /// `--overlap ignore` keeps its meaning (different classes only), `ignore-any` is per instance.
    @Test func ignoreAnyMarksSameClassOverlaps() throws {
        let dir = Self.fixtures.appendingPathComponent("torchvision-voc21")
        for (policy, want) in [("ignore", UInt8(15)), ("ignore-any", UInt8(255))] {
            let out = try Self.convert(dir.appendingPathComponent("voc21.json").path,
                                       ["labels": ["voc21"], "palette": ["none"], "overlap": [policy]])
            defer { try? FileManager.default.removeItem(at: out) }
            let px = try PNGDecoder.decode(file: out.appendingPathComponent("scene.png").path).samples
            #expect(px[2 * 12 + 3] == want, "\(policy)")
        }
    }

    /// Panoptic maps keep crowd segments by default, as the genuine COCO panoptic annotations do
    /// (panopticapi's format: segments_info with iscrowd=1).
    @Test func panopticKeepsCrowdsByDefault() throws {
        let source = TestData.shared.appendingPathComponent("data/coco-real/panoptic/annotations/panoptic_val2017.json")
        let out = try Self.convert(source.path, ["kind": ["panoptic"]])
        defer { try? FileManager.default.removeItem(at: out) }
        func segments(_ url: URL) throws -> [[String: Any]] {
            let json = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any]
            let annotations = json?["annotations"] as? [[String: Any]] ?? []
            return annotations.flatMap { $0["segments_info"] as? [[String: Any]] ?? [] }
        }
        func summary(_ s: [[String: Any]]) -> [String] {
            s.map { "\($0["category_id"] as? Int ?? -1) \($0["iscrowd"] as? Int ?? -1) \($0["area"] as? Int ?? -1)" }.sorted()
        }
        let theirs = try segments(source), ours = try segments(out.appendingPathComponent("panoptic.json"))
        #expect(theirs.contains { $0["iscrowd"] as? Int == 1 })
        #expect(summary(ours) == summary(theirs))
    }

    /// Without labels.json, a sample's file_name is its image's (found in --images by stem), never the
    /// label PNG's name; the PNGs are the Pillow-written goldens of formats/png-labels/golden-coco.
    @Test func labelPNGsTakeTheirImageNamesFromTheImagesDirectory() throws {
        let images = try TestData.temporaryDirectory("images")
        defer { try? FileManager.default.removeItem(at: images) }
        try Data([0xFF, 0xD8]).write(to: images.appendingPathComponent("tiny_a.jpeg"))
        let categories = try LabelMapReaderOptions.loadCategories(cocoFile: Self.fixtures.appendingPathComponent("tiny.json").path)
        let directory = Self.fixtures.appendingPathComponent("golden-coco").path
        var reader = try LabelMapDirectoryReader(directory: directory, options: LabelMapReaderOptions(categories: categories, imagesDirectory: images.path),
                                                 skips: SkipReport(policy: .fail))
        var names: [String] = [], files: [Bool] = []
        while let sample = try reader.next() {
            names.append(sample.fileName)
            if case .file = sample.image { files.append(true) } else { files.append(false) }
        }
        #expect(names == ["tiny_a.jpeg", "tiny_b.jpg"])
        #expect(files == [true, false])
        reader = try LabelMapDirectoryReader(directory: directory, options: LabelMapReaderOptions(categories: categories), skips: SkipReport(policy: .fail))
        #expect(try reader.next()?.fileName == "tiny_a.jpg")
    }
}
