import Foundation
import Testing

/// Bad COCO input end to end: exit status, what stderr says, what is (not) left on disk,
/// and `--on-error skip` with its report.
@Suite struct BadInputCLITests {
    /// One broken input. The broken record is always in the third image (annotation 30, or a
    /// second annotation 10), after two good images, so a failed run has had something to write.
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        /// The third annotation record.
        var third: String
        /// Text where the error must point (its byte offset); nil: the end of the file.
        var at: String?
        var occurrence = 0
        /// The annotation id stderr must name.
        var annotationID: Int?
        /// The error code in the skip report.
        var code: String
        /// Words stderr must contain.
        var says: String
        /// Cut the file after the second annotation instead (truncated JSON).
        var truncated = false
        var skippable: Bool { !truncated }
        var testDescription: String { name }

        var text: String {
            if truncated {
                let whole = COCOFixture.threeGoodImages
                let cut = whole.range(of: "{\"id\":30")?.lowerBound ?? whole.endIndex
                return String(whole[..<cut])
            }
            return COCOFixture.file(images: [COCOFixture.image(1), COCOFixture.image(2), COCOFixture.image(3)],
                                    annotations: [COCOFixture.polygon(10, image: 1), COCOFixture.polygon(20, image: 2), third])
        }
    }

    static let cases: [Case] = [
        Case(name: "truncated JSON", third: "", at: nil, code: "malformed-input", says: "truncated", truncated: true),
        Case(name: "wrong type", third: #"{"id":30,"image_id":"3","category_id":1,"segmentation":[],"area":4,"bbox":[0,0,2,2],"iscrowd":0}"#,
             at: #"{"id":30"#, annotationID: 30, code: "invalid-value", says: "must be an integer"),
        Case(name: "unknown image_id", third: #"{"id":30,"image_id":99,"category_id":1,"segmentation":[],"area":4,"bbox":[0,0,2,2],"iscrowd":0}"#,
             at: #"{"id":30"#, annotationID: 30, code: "unknown-image", says: "image id 99"),
        Case(name: "unknown category_id", third: #"{"id":30,"image_id":3,"category_id":7,"segmentation":[],"area":4,"bbox":[0,0,2,2],"iscrowd":0}"#,
             at: #"{"id":30"#, annotationID: 30, code: "unknown-category", says: "category id 7"),
        Case(name: "duplicate annotation id", third: #"{"id":10,"image_id":3,"category_id":1,"segmentation":[],"area":4,"bbox":[0,0,2,2],"iscrowd":0}"#,
             at: #"{"id":10"#, occurrence: 1, annotationID: 10, code: "duplicate-id", says: "appears twice"),
        Case(name: "RLE sum mismatch", third: COCOFixture.crowdRLE(30, image: 3, counts: [5, 2, 2, 2, 4]),
             at: "[5,2,2,2,4]", annotationID: 30, code: "invalid-mask", says: "sum to 15"),
    ]

    @Test(arguments: cases)
    func failStopsWithStatus65NamingFileOffsetAndIDAndLeavesNothing(_ c: Case) throws {
        try withTemporaryDirectory { directory in
            let input = try write(c.text, to: directory, as: "in.json")
            let output = directory.appendingPathComponent("out.json")
            let run = try runCococonvert(["coco2coco", input.path, output.path])
            #expect(run.status == 65, "\(run)")
            #expect(run.stdout.isEmpty)
            let offset = try c.at.map { try byteOffset(of: $0, occurrence: c.occurrence, in: input) }
                ?? (try Data(contentsOf: input).count)
            #expect(run.stderr.contains("error: \(input.path) at byte \(offset)"), "\(run)")
            if let id = c.annotationID { #expect(run.stderr.contains("annotation \(id)"), "\(run)") }
            #expect(run.stderr.contains(c.says), "\(run)")
            if c.skippable { #expect(run.stderr.contains("--on-error skip"), "a hint at skip\n\(run)") }
            #expect(!run.stderr.contains("\r"))
            #expect(!run.stderr.contains("samples/s"), "no success summary after an error\n\(run)")
            // No output, no partial file, no temporary file, no report.
            #expect(tree(directory) == ["in.json"], "left behind: \(tree(directory))")
        }
    }

    @Test(arguments: cases)
    func skipLeavesTheItemOutAndReportsIt(_ c: Case) throws {
        try withTemporaryDirectory { directory in
            let input = try write(c.text, to: directory, as: "in.json")
            let output = directory.appendingPathComponent("out.json")
            let run = try runCococonvert(["coco2coco", input.path, output.path, "--on-error", "skip"])
            guard c.skippable else {
                // Broken JSON cannot be skipped over: still 65, still nothing written.
                #expect(run.status == 65, "\(run)")
                #expect(run.stderr.contains(c.says), "\(run)")
                #expect(tree(directory) == ["in.json"], "left behind: \(tree(directory))")
                return
            }
            #expect(run.status == 0, "\(run)")
            #expect(run.stderr.contains("skipped 1 item "), "\(run)")
            #expect(run.stderr.contains("out.json.skipped.jsonl"), "\(run)")
            #expect(tree(directory) == ["in.json", "out.json", "out.json.skipped.jsonl"], "\(tree(directory))")

            let lines = try String(contentsOf: directory.appendingPathComponent("out.json.skipped.jsonl"), encoding: .utf8)
                .split(separator: "\n")
            #expect(lines.count == 1)
            let report = try #require(try JSONSerialization.jsonObject(with: Data((lines.first ?? "").utf8)) as? [String: Any])
            #expect(report["code"] as? String == c.code)
            #expect(report["file"] as? String == input.path)
            let offset = try #require(c.at.map { try byteOffset(of: $0, occurrence: c.occurrence, in: input) })
            #expect((report["byte_offset"] as? NSNumber)?.intValue == offset)
            #expect((report["annotation_id"] as? NSNumber)?.intValue == c.annotationID)
            #expect(report["message"] is String)

            // The output is valid COCO with the three images and the two good annotations.
            let json = try #require(try foundationJSON(output) as? [String: Any])
            let annotations = try #require(json["annotations"] as? [[String: Any]])
            #expect((json["images"] as? [Any])?.count == 3)
            #expect(annotations.compactMap { ($0["id"] as? NSNumber)?.intValue } == [10, 20])
        }
    }

    @Test func skipReportGoesWhereAsked() throws {
        try withTemporaryDirectory { directory in
            let input = try write(Self.cases[2].text, to: directory, as: "in.json")
            let output = directory.appendingPathComponent("out/o.json")
            try FileManager.default.createDirectory(at: output.deletingLastPathComponent(), withIntermediateDirectories: true)
            let report = directory.appendingPathComponent("reports/skips.jsonl")
            let run = try runCococonvert(["coco2coco", input.path, output.path, "--on-error", "skip",
                                          "--skip-report", report.path])
            #expect(run.status == 0, "\(run)")
            #expect(run.stderr.contains(report.path), "\(run)")
            #expect(tree(directory) == ["in.json", "out", "out/o.json", "reports", "reports/skips.jsonl"])
            let text = try String(contentsOf: report, encoding: .utf8)
            #expect(text.split(separator: "\n").count == 1)
        }
    }

    @Test func explicitSkipReportIsWrittenEmptyWhenNothingWasSkipped() throws {
        try withTemporaryDirectory { directory in
            let input = try write(COCOFixture.threeGoodImages, to: directory, as: "in.json")
            let report = directory.appendingPathComponent("skips.jsonl")
            let run = try runCococonvert(["coco2coco", input.path, directory.appendingPathComponent("out.json").path,
                                          "--on-error", "skip", "--skip-report", report.path])
            #expect(run.status == 0, "\(run)")
            #expect(!run.stderr.contains("skipped"), "\(run)")
            #expect(try Data(contentsOf: report).isEmpty)
        }
    }

    @Test func staleDefaultReportIsRemovedWhenARerunSkipsNothing() throws {
        try withTemporaryDirectory { directory in
            let bad = try write(Self.cases[2].text, to: directory, as: "bad.json")
            let good = try write(COCOFixture.threeGoodImages, to: directory, as: "good.json")
            let output = directory.appendingPathComponent("out.json")
            let first = try runCococonvert(["coco2coco", bad.path, output.path, "--on-error", "skip"])
            #expect(first.status == 0, "\(first)")
            #expect(FileManager.default.fileExists(atPath: output.path + ".skipped.jsonl"))
            let second = try runCococonvert(["coco2coco", good.path, output.path, "--on-error", "skip", "--overwrite"])
            #expect(second.status == 0, "\(second)")
            #expect(tree(directory) == ["bad.json", "good.json", "out.json"])
        }
    }

    @Test func skipCountsEveryBadItem() throws {
        try withTemporaryDirectory { directory in
            let text = COCOFixture.file(
                images: [COCOFixture.image(1), COCOFixture.image(2)],
                annotations: [COCOFixture.polygon(10, image: 1), COCOFixture.polygon(11, image: 1, category: 8),
                              COCOFixture.polygon(12, image: 77), COCOFixture.crowdRLE(13, image: 2, counts: [1, 1])])
            let input = try write(text, to: directory, as: "in.json")
            let output = directory.appendingPathComponent("out.json")
            let run = try runCococonvert(["coco2coco", input.path, output.path, "--on-error", "skip"])
            #expect(run.status == 0, "\(run)")
            #expect(run.stderr.contains("skipped 3 items"), "\(run)")
            let lines = try String(contentsOf: URL(fileURLWithPath: output.path + ".skipped.jsonl"), encoding: .utf8)
                .split(separator: "\n")
            #expect(lines.count == 3)
            let ids = try lines.map { line -> Int? in
                let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
                return (object?["annotation_id"] as? NSNumber)?.intValue
            }
            #expect(Set(ids.compactMap { $0 }) == [11, 12, 13])
        }
    }

    @Test func missingInputFileIsNamed() throws {
        try withTemporaryDirectory { directory in
            let missing = directory.appendingPathComponent("nope.json")
            let run = try runCococonvert(["coco2coco", missing.path, directory.appendingPathComponent("out.json").path])
            #expect(run.status == 65, "\(run)")
            #expect(run.stderr.contains(missing.path), "\(run)")
            #expect(run.stderr.contains("No such file"), "\(run)")
            #expect(tree(directory).isEmpty)
        }
    }

    @Test func directoryInsteadOfAFileIsNamed() throws {
        try withTemporaryDirectory { directory in
            let folder = directory.appendingPathComponent("annotations")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let run = try runCococonvert(["coco2coco", folder.path, directory.appendingPathComponent("out.json").path])
            #expect(run.status == 65, "\(run)")
            #expect(run.stderr.contains(folder.path), "\(run)")
            #expect(tree(directory) == ["annotations"])
        }
    }

    @Test func emptyFileIsAClearError() throws {
        try withTemporaryDirectory { directory in
            let input = try write("", to: directory, as: "in.json")
            let run = try runCococonvert(["coco2coco", input.path, directory.appendingPathComponent("out.json").path])
            #expect(run.status == 65, "\(run)")
            #expect(run.stderr.contains(input.path), "\(run)")
            #expect(tree(directory) == ["in.json"])
        }
    }

    @Test func unwritableOutputExitsWith1() throws {
        try withTemporaryDirectory { directory in
            let input = try write(COCOFixture.threeGoodImages, to: directory, as: "in.json")
            let output = directory.appendingPathComponent("missing-dir/out.json")
            let run = try runCococonvert(["coco2coco", input.path, output.path])
            #expect(run.status == 1, "\(run)")
            #expect(run.stderr.contains(output.path), "\(run)")
            #expect(tree(directory) == ["in.json"])
        }
    }
}
