import Foundation
import Testing
@testable import CocoConvertCLI

/// `--progress auto|bar|plain|json|none` and `--report json[=FILE]`, run as a user runs them: the
/// binary with stdout and stderr redirected to files. `COCOCONVERT_PROGRESS_INTERVAL=0` makes every
/// progress update print, so a 200-image run shows what a long run would.
@Suite struct ProgressModesAndReportCLITests {
    static let imageCount = 200
    static let everyUpdate = ["COCOCONVERT_PROGRESS_INTERVAL": "0"]

    /// `imageCount` 4×4 images with one polygon each.
    static func manyImages(in directory: URL) throws -> URL {
        let ids = Array(1...imageCount)
        return try write(COCOFixture.file(images: ids.map { COCOFixture.image($0) },
                                          annotations: ids.map { COCOFixture.polygon($0 * 10, image: $0) }),
                         to: directory, as: "many.json")
    }

    static func lines(_ text: String) -> [String] {
        text.split(separator: "\n").map(String.init)
    }

    /// The `done` counts of plain progress lines (`coco → png: 40/200 samples (20%), …`).
    static func plainCounts(_ stderr: String) -> [Int] {
        lines(stderr).compactMap { line in
            guard line.hasPrefix("coco → png: "), line.contains("/\(imageCount) samples (") else { return nil }
            let count = line.dropFirst("coco → png: ".count).prefix { $0.isNumber }
            return Int(count)
        }
    }

    @Test func plainPrintsProgressLinesIntoLogFiles() throws {
        try withTemporaryDirectory { directory in
            let input = try Self.manyImages(in: directory)
            let run = try runCococonvert(["coco2png", input.path, directory.appendingPathComponent("out").path,
                                          "--progress", "plain", "--jobs", "2"], environment: Self.everyUpdate)
            #expect(run.status == 0, "\(run)")
            let counts = Self.plainCounts(run.stderr)
            #expect(counts.count >= 2, "\(run)")
            #expect(counts == counts.sorted(), "counts go up: \(counts)")
            #expect(counts.last == Self.imageCount, "\(run)")
            let first = Self.lines(run.stderr).first ?? ""
            #expect(first.contains(" samples/s") && first.contains(" elapsed"), "rate and time in each line: \(first)")
            #expect(!run.stderr.contains("\r") && !run.stderr.contains("\u{1B}"), "no terminal redraws in a log")
            #expect(run.stdout.isEmpty)
            // The summary still ends the log.
            #expect(run.stderr.contains("coco → png: \(Self.imageCount) samples, \(Self.imageCount) instances in "), "\(run)")
        }
    }

    @Test func autoIsPlainWhenStderrIsNotATerminal() throws {
        try withTemporaryDirectory { directory in
            let input = try Self.manyImages(in: directory)
            let run = try runCococonvert(["coco2png", input.path, directory.appendingPathComponent("out").path],
                                         environment: Self.everyUpdate)
            #expect(run.status == 0, "\(run)")
            #expect(!Self.plainCounts(run.stderr).isEmpty, "\(run)")
            #expect(!run.stderr.contains("\r"), "\(run)")
        }
    }

    @Test func jsonPrintsOneObjectALineFromStartToDone() throws {
        try withTemporaryDirectory { directory in
            let input = try Self.manyImages(in: directory)
            let run = try runCococonvert(["coco2png", input.path, directory.appendingPathComponent("out").path,
                                          "--progress", "json", "-q"], environment: Self.everyUpdate)
            #expect(run.status == 0, "\(run)")
            var events: [[String: Any]] = []
            for line in Self.lines(run.stderr) {
                let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
                #expect(object != nil, "not a JSON object: \(line)")
                if let object { events.append(object) }
            }
            #expect(events.first?["phase"] as? String == "start", "\(run)")
            #expect(events.last?["phase"] as? String == "done", "\(run)")
            #expect(events.count >= 3, "\(run)")
            let done = events.compactMap { $0["done"] as? Int }
            #expect(done.count == events.count && done == done.sorted() && done.first == 0 && done.last == Self.imageCount)
            #expect(events.allSatisfy { $0["total"] as? Int == Self.imageCount })
            #expect(events.allSatisfy { $0["rate"] is Double && $0["elapsed"] is Double && $0.keys.contains("eta") })
        }
    }

    @Test func noneAndQuietAreSilent() throws {
        try withTemporaryDirectory { directory in
            let input = try Self.manyImages(in: directory)
            let none = try runCococonvert(["coco2png", input.path, directory.appendingPathComponent("a").path,
                                           "--progress", "none"], environment: Self.everyUpdate)
            #expect(none.status == 0 && Self.plainCounts(none.stderr).isEmpty && !none.stderr.contains("{\"phase\""),
                    "only the summary: \(none)")
            #expect(none.stderr.contains("coco → png: \(Self.imageCount) samples, "), "\(none)")
            let quiet = try runCococonvert(["coco2png", input.path, directory.appendingPathComponent("b").path, "-q"],
                                           environment: Self.everyUpdate)
            #expect(quiet.status == 0 && quiet.stderr.isEmpty, "\(quiet)")
        }
    }

    @Test func aMistypedModeIsAUsageError() throws {
        let run = try runCococonvert(["coco2png", CLI.cocoMini.path, "/nonexistent/out", "--progress", "plian"])
        #expect(run.status == 64, "\(run)")
        #expect(run.stderr.contains("did you mean plain?"), "\(run)")
    }

    @Test func inspectReadingEverySampleShowsProgressToo() throws {
        try withTemporaryDirectory { directory in
            let input = try Self.manyImages(in: directory)
            let labels = directory.appendingPathComponent("labels")
            #expect(try runCococonvert(["coco2png", input.path, labels.path, "-q"]).status == 0)
            let run = try runCococonvert(["inspect", labels.path, "--progress", "plain"], environment: Self.everyUpdate)
            #expect(run.status == 0, "\(run)")
            let counts = Self.lines(run.stderr).compactMap { line -> Int? in
                guard line.hasPrefix("inspect png: ") else { return nil }
                return Int(line.dropFirst("inspect png: ".count).prefix { $0.isNumber })
            }
            #expect(counts.count == Self.imageCount && counts == counts.sorted() && counts.last == Self.imageCount, "\(run)")
            #expect(run.stdout.contains("\(Self.imageCount)"), "the table still goes to stdout")
        }
    }

    // MARK: --report

    static func object(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func reportOnStdoutCountsWhatIsOnDisk() throws {
        try withTemporaryDirectory { directory in
            let output = directory.appendingPathComponent("out")
            let run = try runCococonvert(["coco2png", CLI.cocoMini.path, output.path, "--report", "json"])
            #expect(run.status == 0, "\(run)")
            let report = try Self.object(run.stdout)
            let mini = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: CLI.cocoMini)) as? [String: Any])
            let images = (mini["images"] as? [Any])?.count
            let annotations = (mini["annotations"] as? [Any])?.count
            var files = 0, bytes = 0
            for path in tree(output) {
                let attributes = try FileManager.default.attributesOfItem(atPath: output.appendingPathComponent(path).path)
                if attributes[.type] as? FileAttributeType == .typeRegular {
                    files += 1
                    bytes += (attributes[.size] as? Int) ?? 0
                }
            }
            #expect(report["status"] as? String == "ok")
            #expect(report["exit_status"] as? Int == 0)
            #expect(report["route"] as? String == "coco2png")
            #expect(report["samples"] as? Int == images)
            #expect(report["instances"] as? Int == annotations)
            #expect(report["files"] as? Int == files, "files on disk: \(files)")
            #expect(report["bytes"] as? Int == bytes, "bytes on disk: \(bytes)")
            #expect(report["skipped"] as? Int == 0)
            #expect(report["notes"] is [Any])
            #expect(report["seconds"] is Double)
            // The human summary is still on stderr.
            #expect(run.stderr.contains("coco → png: \(images ?? -1) samples"), "\(run)")
        }
    }

    /// ROUTE IN1 IN2 OUT: the report names both inputs and the last path as the output.
    @Test func reportOfTwoInputsNamesBothAndTheOutput() throws {
        try withTemporaryDirectory { directory in
            let (things, stuff) = try MergedInputsCLITests.thingsAndStuff(in: directory)
            let output = directory.appendingPathComponent("out").path
            let run = try runCococonvert(["coco2png", things.path, stuff.path, output, "--report", "json"])
            #expect(run.status == 0, "\(run)")
            let report = try Self.object(run.stdout)
            #expect(report["output"] as? String == output)
            #expect(report["input"] as? String == things.path)
            #expect(report["inputs"] as? [String] == [things.path, stuff.path])
        }
    }

    @Test func reportFileNamesTheBadAnnotation() throws {
        try withTemporaryDirectory { directory in
            let text = COCOFixture.file(images: [COCOFixture.image(1)],
                                        annotations: [COCOFixture.crowdRLE(7, image: 1, counts: [1, 2, 3])])
            let input = try write(text, to: directory, as: "bad.json")
            let reportFile = directory.appendingPathComponent("report.json")
            let run = try runCococonvert(["coco2voc", input.path, directory.appendingPathComponent("out").path,
                                          "--report=json=\(reportFile.path)"])
            #expect(run.status == 65, "\(run)")
            #expect(run.stdout.isEmpty)
            let report = try Self.object(String(decoding: try Data(contentsOf: reportFile), as: UTF8.self))
            #expect(report["status"] as? String == "error")
            #expect(report["exit_status"] as? Int == 65)
            let error = try #require(report["error"] as? [String: Any])
            #expect(error["code"] as? String == "invalid-mask")
            #expect(error["file"] as? String == input.path)
            #expect(error["image_id"] as? Int == 1)
            #expect(error["annotation_id"] as? Int == 7)
            #expect(error["field"] as? String == "segmentation")
            let counts = try #require(text.range(of: "[1,2,3]"))
            #expect(error["byte_offset"] as? Int == text.utf8.distance(from: text.startIndex, to: counts.lowerBound))
            #expect((error["message"] as? String)?.contains("16") == true, "the 4×4 size is named: \(error)")
            #expect(error.keys.contains("hint"))
            #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("out").path))
        }
    }

    @Test func commandLineMistakesAreReportedToo() throws {
        let run = try runCococonvert(["coco2voc", CLI.cocoMini.path, "/nonexistent/out", "--shard", "3", "--report", "json"])
        #expect(run.status == 64, "\(run)")
        let report = try Self.object(run.stdout)
        #expect(report["exit_status"] as? Int == 64)
        #expect(report["route"] as? String == "coco2voc")
        let error = try #require(report["error"] as? [String: Any])
        #expect(error["code"] as? String == "usage")
        #expect((error["message"] as? String)?.contains("--shard") == true, "\(report)")
    }

    @Test func anUnknownReportFormatIsRefused() throws {
        let run = try runCococonvert(["coco2voc", CLI.cocoMini.path, "/nonexistent/out", "--report", "yaml"])
        #expect(run.status == 64, "\(run)")
        #expect(run.stderr.contains("--report json=FILE"), "\(run)")
    }

    // MARK: formats --json

    @Test func formatsJSONListsTheOptionsEachRouteHelpShows() throws {
        let catalog = try Self.object(try runCococonvert(["formats", "--json"]).stdout)
        let formats = try #require(catalog["formats"] as? [[String: Any]])
        let common = try #require(catalog["common_options"] as? [[String: Any]]).compactMap { $0["name"] as? String }
        #expect(common.contains("progress") && common.contains("report"))
        for (from, to) in [("coco", "voc"), ("coco", "hdf5"), ("png", "coco")] {
            let reader = try #require(formats.first { $0["name"] as? String == from })
            let writer = try #require(formats.first { $0["name"] as? String == to })
            let names = common + ((reader["reader_options"] as? [[String: Any]]) ?? []).compactMap { $0["name"] as? String }
                + ((writer["writer_options"] as? [[String: Any]]) ?? []).compactMap { $0["name"] as? String }
            let help = try runCococonvert(["\(from)2\(to)", "--help"]).stdout
            // Synopsis lines are indented two spaces (`  --shard N`, `  -q, --quiet`); wrapped help, 26.
            let documented = Set(Self.lines(help).filter { $0.hasPrefix("  -") }.compactMap { line in
                line.split(separator: " ").first { $0.hasPrefix("--") }.map { String($0.dropFirst(2)) }
            })
            #expect(Set(names) == documented, "\(from)2\(to)")
        }
        let detected = try runCococonvert(["formats", "--json", "--detect", CLI.cocoMini.path])
        let first = try #require(try JSONSerialization.jsonObject(with: Data(detected.stdout.utf8)) as? [[String: Any]]).first
        #expect(first?["name"] as? String == "coco", "\(detected)")
    }
}
