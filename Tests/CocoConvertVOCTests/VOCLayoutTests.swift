import CocoConvertCore
import Foundation
import Testing
@testable import CocoConvertVOC

@Suite struct VOCLayoutTests {
    @Test func findsPlainAndDevkitTrees() throws {
        let plain = try VOCLayout.locate(Fixtures.voc.appendingPathComponent("plain").path)
        #expect(plain.root.hasSuffix("formats/voc/plain"))
        let devkit = try VOCLayout.locate(Fixtures.voc.appendingPathComponent("devkit").path)
        #expect(devkit.root.hasSuffix("devkit/VOCdevkit/VOC2012"))
        let devkitInner = try VOCLayout.locate(Fixtures.voc.appendingPathComponent("devkit/VOCdevkit").path)
        #expect(devkitInner.root == devkit.root)
    }

    @Test func writerLayouts() {
        #expect(VOCLayout(output: "/o", style: .plain).classPNG("a") == "/o/SegmentationClass/a.png")
        #expect(VOCLayout(output: "/o/", style: .devkit).objectPNG("a") == "/o/VOCdevkit/VOC2012/SegmentationObject/a.png")
        #expect(VOCLayout(output: "o", style: .plain).segmentationSets == "o/ImageSets/Segmentation")
    }

    @Test func rejectsAmbiguousAndMissingTrees() throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(throws: ConversionError.self) { try VOCLayout.locate(dir.path) }
        #expect(throws: ConversionError.self) { try VOCLayout.locate(dir.appendingPathComponent("missing").path) }
        for year in ["VOC2007", "VOC2012"] {
            try FileManager.default.createDirectory(
                at: dir.appendingPathComponent("VOCdevkit/\(year)/SegmentationClass"), withIntermediateDirectories: true)
        }
        #expect(throws: ConversionError.self) { try VOCLayout.locate(dir.path) }
        #expect(try VOCLayout.locate(dir.appendingPathComponent("VOCdevkit/VOC2007").path).root.hasSuffix("VOC2007"))
    }

    @Test(arguments: [
        ("000000139.jpg", "000000139"), ("train2017/000000139.jpg", "000000139"), ("a\\b\\c.png", "abc"), ("a\u{0}b.jpg", "ab"),
        ("../../etc/passwd", "passwd"), ("noext", "noext"), ("a.b.jpg", "a.b"), ("/abs/x.jpeg", "x"),
    ])
    func itemNamesAreLastComponentStems(fileName: String, stem: String) throws {
        #expect(try VOCLayout.itemName(forFileName: fileName, imageID: 1) == stem)
    }

    @Test(arguments: ["", "/", "..", "a/..", ".jpg", "x/.hidden", "\u{1}", " pad.jpg", "pad .jpg"])
    func rejectsUnsafeItemNames(fileName: String) {
        #expect(throws: ConversionError.self) { try VOCLayout.itemName(forFileName: fileName, imageID: 7) }
    }
}
