import Foundation
import Testing
@testable import CocoConvertCLI

/// What a run prints on stderr when stderr is not a terminal (as under tests, CI and pipes).
@Suite struct ProgressAndSummaryCLITests {
    @Test func noProgressLineWhenStderrIsNotATerminal() throws {
        try withTemporaryDirectory { directory in
            let output = directory.appendingPathComponent("out.json")
            let run = try runCococonvert(["coco2coco", CLI.cocoMini.path, output.path])
            #expect(run.status == 0, "\(run)")
            #expect(!run.stderr.contains("\r"), "a progress line was drawn: \(run.stderr.debugDescription)")
            #expect(!run.stderr.contains("\u{1B}"), "terminal escapes on a non-terminal")
            #expect(!run.stderr.contains("%)"), "\(run)")
        }
    }

    @Test func summaryNamesTheRouteCountsAndOutput() throws {
        try withTemporaryDirectory { directory in
            let output = directory.appendingPathComponent("out.json")
            let run = try runCococonvert(["coco2coco", CLI.cocoMini.path, output.path])
            #expect(run.status == 0, "\(run)")
            let lines = run.stderr.split(separator: "\n").map(String.init)
            #expect(lines.count == 2, "\(run)")
            #expect(lines.first?.hasPrefix("coco → coco: 8 samples, 172 instances in ") == true, "\(run)")
            #expect(lines.first?.hasSuffix("samples/s)") == true, "\(run)")
            #expect(lines.last?.hasPrefix("wrote 1 file, ") == true, "singular 'file'\n\(run)")
            #expect(lines.last?.hasSuffix("→ " + output.path) == true, "\(run)")
            #expect(run.stdout.isEmpty)
        }
    }

    /// The summary of every writer counts what it wrote: coco-mini has 172 annotations, 4 of them crowd.
    @Test(arguments: FormatID.allCases.filter { $0 != .coco })
    func summaryCountsInstancesForEveryWriter(format: FormatID) throws {
        guard canWrite(format) else { return }
        try withTemporaryDirectory { directory in
            let extra = format == .voc ? ["--image-mode", "none"] : format == .tfrecord ? ["--schema", "od"] : []
            let run = try runCococonvert(["coco2\(format.rawValue)", CLI.cocoMini.path,
                                          directory.appendingPathComponent("out").path] + extra)
            #expect(run.status == 0, "\(run)")
            #expect(run.stderr.contains("8 samples, "), "\(run)")
            #expect(!run.stderr.contains(" 0 instances"), "\(run)")
        }
    }

    @Test(arguments: ["--quiet", "-q"])
    func quietRemovesTheSummary(flag: String) throws {
        try withTemporaryDirectory { directory in
            let output = directory.appendingPathComponent("out.json")
            let run = try runCococonvert(["coco2coco", CLI.cocoMini.path, output.path, flag])
            #expect(run.status == 0, "\(run)")
            #expect(run.stderr.isEmpty, "\(run)")
            #expect(run.stdout.isEmpty, "\(run)")
            #expect(FileManager.default.fileExists(atPath: output.path))
        }
    }

    @Test func quietStillReportsErrors() throws {
        try withTemporaryDirectory { directory in
            let input = try write(COCOFixture.file(images: [COCOFixture.image(1)],
                                                   annotations: [COCOFixture.polygon(10, image: 5)]),
                                  to: directory, as: "in.json")
            let run = try runCococonvert(["coco2coco", input.path, directory.appendingPathComponent("out.json").path, "-q"])
            #expect(run.status == 65, "\(run)")
            #expect(run.stderr.contains("error: "), "\(run)")
            #expect(run.stderr.contains("annotation 10"), "\(run)")
        }
    }

    @Test func quietSkipStillWritesTheReport() throws {
        try withTemporaryDirectory { directory in
            let input = try write(COCOFixture.file(images: [COCOFixture.image(1)],
                                                   annotations: [COCOFixture.polygon(10, image: 5)]),
                                  to: directory, as: "in.json")
            let output = directory.appendingPathComponent("out.json")
            let run = try runCococonvert(["coco2coco", input.path, output.path, "-q", "--on-error", "skip"])
            #expect(run.status == 0, "\(run)")
            #expect(run.stderr.isEmpty, "\(run)")
            #expect(FileManager.default.fileExists(atPath: output.path + ".skipped.jsonl"))
        }
    }
}
