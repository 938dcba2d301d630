import Foundation
import Testing

/// `cococonvert coco2coco` on the bundled example and on every genuine COCO file in coco-real.
@Suite struct COCORoundTripCLITests {
    /// Images, annotation records and panoptic segments of a COCO document (a results list counts
    /// its records as annotations and has no images).
    struct Counts: Equatable, CustomStringConvertible {
        var images: Int
        var annotations: Int
        var segments: Int
        var description: String { "\(images) images, \(annotations) annotations, \(segments) segments" }
    }

    static func counts(_ json: Any) -> Counts? {
        if let list = json as? [Any] { return Counts(images: 0, annotations: list.count, segments: 0) }
        guard let object = json as? [String: Any],
              let images = object["images"] as? [Any],
              let annotations = object["annotations"] as? [[String: Any]] else { return nil }
        let segments = annotations.reduce(0) { $0 + (($1["segments_info"] as? [Any])?.count ?? 0) }
        return Counts(images: images.count, annotations: annotations.count, segments: segments)
    }

    /// The annotations of a COCO document (the list itself for results files).
    static func annotations(_ json: Any) -> [[String: Any]] {
        if let list = json as? [[String: Any]] { return list }
        return (json as? [String: Any])?["annotations"] as? [[String: Any]] ?? []
    }

    /// The oracle's records for one coco-real file, in file order.
    static func oracle(for file: String) throws -> [[String: Any]] {
        let text = try String(contentsOf: CLI.cocoReal.appendingPathComponent("oracle_annotations.jsonl"), encoding: .utf8)
        return try text.split(separator: "\n").compactMap { line -> [String: Any]? in
            let record = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            return record?["file"] as? String == file ? record : nil
        }
    }

    @Test func cocoMiniConvertsWithTheSameCounts() throws {
        try withTemporaryDirectory { directory in
            let output = directory.appendingPathComponent("instances_val2017.json")
            let run = try runCococonvert(["coco2coco", CLI.cocoMini.path, output.path])
            #expect(run.status == 0, "\(run)")
            #expect(run.stdout.isEmpty, "stdout is for data only\n\(run)")
            let source = try #require(Self.counts(try foundationJSON(CLI.cocoMini)))
            let written = try #require(Self.counts(try foundationJSON(output)))
            #expect(written == source)
            #expect(run.stderr.contains("\(source.images) samples, \(source.annotations) instances"), "\(run)")
            #expect(tree(directory) == ["instances_val2017.json"], "no temporary file or report is left")
        }
    }

    @Test(arguments: CLI.realFiles)
    func realFileKeepsItsCounts(file: String) throws {
        try withTemporaryDirectory { directory in
            let input = CLI.cocoReal.appendingPathComponent(file)
            let output = directory.appendingPathComponent((file as NSString).lastPathComponent)
            let run = try runCococonvert(["coco2coco", input.path, output.path, "--quiet"])
            #expect(run.status == 0, "\(run)")
            #expect(run.stderr.isEmpty, "\(run)")
            let source = try #require(Self.counts(try foundationJSON(input)))
            let written = try #require(Self.counts(try foundationJSON(output)), "output is not a COCO document")
            #expect(written == source)
            #expect(!tree(directory).contains { $0.hasPrefix(".") }, "temporary files left: \(tree(directory))")
        }
    }

    @Test(arguments: CLI.realFiles)
    func rleStringsEqualThePycocotoolsOracle(file: String) throws {
        try withTemporaryDirectory { directory in
            let input = CLI.cocoReal.appendingPathComponent(file)
            let output = directory.appendingPathComponent("out.json")
            let run = try runCococonvert(["coco2coco", input.path, output.path, "--segmentation", "rle", "--quiet"])
            #expect(run.status == 0, "\(run)")
            let written = Self.annotations(try foundationJSON(output))
            let oracle = try Self.oracle(for: file)
            try #require(!oracle.isEmpty, "the oracle has no records for \(file)")
            #expect(written.count == oracle.count, "panoptic segments become one annotation each")

            // Match by annotation id where the source has ids; results lists and panoptic segments
            // (renumbered in detection form) match by position.
            let byID = Dictionary(written.compactMap { a in (a["id"] as? NSNumber).map { ($0.int64Value, a) } },
                                  uniquingKeysWith: { first, _ in first })
            let stride = max(1, oracle.count / 40)
            var compared = 0
            for (index, expected) in oracle.enumerated() where index % stride == 0 || index == oracle.count - 1 {
                let actual: [String: Any]?
                if let id = (expected["id"] as? NSNumber)?.int64Value {
                    actual = byID[id]
                } else {
                    actual = index < written.count ? written[index] : nil
                }
                let annotation = try #require(actual, "annotation \(expected["id"] ?? index) missing")
                let segmentation = try #require(annotation["segmentation"] as? [String: Any], "not RLE: \(annotation)")
                let rle = try #require(expected["rle"] as? [String: Any])
                #expect(segmentation["counts"] as? String == rle["counts"] as? String,
                        "\(file) record \(index): counts differ")
                #expect((segmentation["size"] as? [NSNumber])?.map(\.intValue) == (rle["size"] as? [NSNumber])?.map(\.intValue))
                #expect((annotation["image_id"] as? NSNumber)?.int64Value == (expected["image_id"] as? NSNumber)?.int64Value)
                #expect((annotation["category_id"] as? NSNumber)?.int64Value == (expected["category_id"] as? NSNumber)?.int64Value)
                compared += 1
            }
            #expect(compared >= min(oracle.count, 10))
        }
    }

    @Test func recomputedAreasAndBoxesEqualTheOracle() throws {
        let file = "instances/annotations/instances_val2017.json"
        try withTemporaryDirectory { directory in
            let output = directory.appendingPathComponent("out.json")
            let run = try runCococonvert(["coco2coco", CLI.cocoReal.appendingPathComponent(file).path, output.path,
                                          "--recompute", "--quiet"])
            #expect(run.status == 0, "\(run)")
            let byID = Dictionary(Self.annotations(try foundationJSON(output)).compactMap { a in
                (a["id"] as? NSNumber).map { ($0.int64Value, a) }
            }, uniquingKeysWith: { first, _ in first })
            for expected in try Self.oracle(for: file) {
                let id = try #require((expected["id"] as? NSNumber)?.int64Value)
                let annotation = try #require(byID[id])
                #expect((annotation["area"] as? NSNumber)?.doubleValue == (expected["area"] as? NSNumber)?.doubleValue,
                        "annotation \(id) area")
                #expect((annotation["bbox"] as? [NSNumber])?.map(\.doubleValue)
                        == (expected["bbox"] as? [NSNumber])?.map(\.doubleValue), "annotation \(id) bbox")
            }
        }
    }

    @Test func allRouteSpellingsProduceTheSameFile() throws {
        try withTemporaryDirectory { directory in
            var outputs: [Data] = []
            // Every spelling is resolved in RouteArgumentsTests; through the binary, three suffice.
            let spellings: [[String]] = [["COCO:coco"], ["coco->coco"], ["convert", "--from", "coco", "--to", "coco"]]
            for (index, spelling) in spellings.enumerated() {
                let output = directory.appendingPathComponent("out\(index).json")
                let run = try runCococonvert(spelling + [CLI.cocoMini.path, output.path, "-q"])
                #expect(run.status == 0, "\(spelling) \(run)")
                outputs.append(try Data(contentsOf: output))
            }
            #expect(Set(outputs).count == 1)
        }
    }
}
