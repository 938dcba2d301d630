import Foundation
import Testing
import CocoConvertCore
@testable import CocoConvertCOCO

/// formats/coco/good/annotations_first.json: annotations before images, categories in between, an image
/// without annotations, escapes in strings, unknown members at every level.
@Suite struct KeyOrderAndExtrasTests {
    static let path = TestData.fixtures + "/good/annotations_first.json"

    @Test func samplesFollowTheImagesArrayWithTheirAnnotations() throws {
        let (header, samples, skips) = try TestData.readAll(Self.path)
        #expect(skips.count == 0)
        #expect(samples.map(\.id) == [1, 3, 2])
        #expect(samples.map { $0.instances.compactMap(\.id) } == [[5, 6], [], [7]])
        #expect(header.kind == .instances)
        #expect(header.categories.map(\.id) == [1, 3])
        #expect(header.sampleCount == 3)
        #expect(header.split == nil)
    }

    @Test func geometryAndNumbersAreReadExactly() throws {
        let (_, samples, _) = try TestData.readAll(Self.path)
        let one = samples[0].instances
        guard case .polygons(let parts) = one[0].geometry else { Issue.record("polygon expected"); return }
        #expect(parts == [[1, 1, 3, 1, 3, 3, 1, 3]])
        guard case .rle(let rle) = one[1].geometry else { Issue.record("uncompressed RLE expected"); return }
        #expect(rle == RLE(height: 4, width: 4, counts: [5, 2, 2, 2, 5]))
        #expect(one[1].isCrowd)
        guard case .compressedRLE(let c) = samples[2].instances[0].geometry else { Issue.record("compressed RLE expected"); return }
        #expect(c == CompressedRLE(height: 4, width: 4, counts: "52203"))
        #expect(samples[2].instances[0].bbox == BoundingBox(x: 1, y: 1, width: 2, height: 2))
        #expect(samples[2].instances[0].area == 4)
    }

    @Test func unknownMembersAreKeptVerbatim() throws {
        let (header, samples, _) = try TestData.readAll(Self.path)
        #expect(header.extra == [ExtraField(key: "type", rawJSON: "\"instances\"")])
        #expect(header.info == "{\"description\": \"keys in an unusual order\", \"year\": 2024}")
        #expect(header.licenses == nil)
        #expect(header.categories[1].extra == [ExtraField(key: "x_extra", rawJSON: "[1, 2]")])
        #expect(samples[0].extra.map(\.key) == ["license", "flickr_url"])
        #expect(samples[0].extra[1].rawJSON == "\"http:\\/\\/example.org\\/a\\u00e9.jpg\"")
        #expect(samples[2].instances[0].extra == [ExtraField(key: "note", rawJSON: "{\"by\": \"hand\", \"ok\": true}")])
    }

    @Test func roundTripKeepsEverything() throws {
        let output = try TestData.temporaryDirectory() + "/out.json"
        try RoundTripTests.convert(Self.path, to: output)
        let a = try #require(try TestData.foundationJSON(Self.path) as? [String: Any])
        var b = try #require(try TestData.foundationJSON(output) as? [String: Any])
        // Annotations come out grouped by image (in images order); compare as sets by id.
        let annotationsA = SemanticJSON.byID(try #require(a["annotations"] as? [[String: Any]]))
        let annotationsB = SemanticJSON.byID(try #require(b["annotations"] as? [[String: Any]]))
        #expect(SemanticJSON.difference(annotationsA.mapValues { $0 as Any }.sorted { $0.key < $1.key }.map(\.value),
                                        annotationsB.mapValues { $0 as Any }.sorted { $0.key < $1.key }.map(\.value)) == nil)
        b["annotations"] = a["annotations"]
        #expect(SemanticJSON.difference(a, b) == nil)
        // The output is COCO's usual key order.
        let text = try String(contentsOfFile: output, encoding: .utf8)
        let order = ["\"info\"", "\"images\"", "\"annotations\"", "\"categories\"", "\"type\""].map { text.range(of: $0)?.lowerBound }
        #expect(order.allSatisfy { $0 != nil })
        #expect(order.compactMap { $0 } == order.compactMap { $0 }.sorted())
    }

    @Test func smallWindowsGiveTheSameIndex() throws {
        // Records straddling the pass-1 window boundary are re-scanned whole.
        let file = try ReadOnlyFile(path: TestData.cocoReal + "/instances/annotations/instances_val2017.json")
        let big = try COCOIndexer(file: file).build()
        for window in [64, 100, 1000, 4096] {
            let small = try COCOIndexer(file: file, windowSize: window).build()
            #expect(small.annotationCount == big.annotationCount)
            #expect(small.imageCount == big.imageCount)
            #expect((0..<big.annotationCount).allSatisfy { small.annotationOffsets[$0] == big.annotationOffsets[$0] })
            #expect((0..<big.imageCount).allSatisfy { small.imageFirstAnnotation[$0] == big.imageFirstAnnotation[$0] })
        }
    }
}
