import Foundation
import Testing
import CocoConvertCore
@testable import CocoConvertCLI

/// Partitions and `--resume` runs: options that only say how to run do not split a merge, the
/// array-job variables never partition a run silently, and the output directory is checked.
@Suite struct PartitionRunOptionsCLITests {
    static let instances = "instances/annotations/instances_train2017.json"

    /// `--report`, `--progress`, `--jobs`, `--quiet` differ between partitions: merge accepts them.
    @Test func partitionsRunWithOtherReportAndProgressMerge() throws {
        try withTemporaryDirectory { directory in
            let input = CLI.cocoReal.appendingPathComponent(Self.instances).path
            let plain = directory.appendingPathComponent("plain").path, split = directory.appendingPathComponent("split").path
            try #require(try runCococonvert(["coco2png", input, plain, "-q"]).status == 0)
            let a = try runCococonvert(["coco2png", input, split, "--partitions", "2", "--partition", "0",
                                        "--report", "json=" + directory.appendingPathComponent("a.json").path, "--progress", "plain"])
            let b = try runCococonvert(["coco2png", input, split, "--partitions", "2", "--partition", "1", "-q", "--jobs", "1",
                                        "--report", "json=" + directory.appendingPathComponent("b.json").path, "--progress", "none"])
            try #require(a.status == 0 && b.status == 0, "\(a)\n\(b)")
            let merge = try runCococonvert(["merge", split])
            try #require(merge.status == 0, "\(merge)")
            let expected = try PartitionCLITests.files(URL(fileURLWithPath: plain))
            #expect(try PartitionCLITests.files(URL(fileURLWithPath: split)) == expected)
        }
    }

    /// A plain command inside a Slurm array converts only its block, and says so even with -q.
    @Test func anEnginePartitionIsAnnouncedEvenWhenQuiet() throws {
        try withTemporaryDirectory { directory in
            let out = directory.appendingPathComponent("out").path
            let run = try runCococonvert(["coco2png", CLI.cocoMini.path, out, "-q"],
                                         environment: ["SLURM_ARRAY_TASK_ID": "1", "SLURM_ARRAY_TASK_COUNT": "2"])
            #expect(run.status == 0, "\(run)")
            #expect(run.stderr.contains("partition 1 of 2 only (index from SLURM_ARRAY_TASK_ID, count from SLURM_ARRAY_TASK_COUNT; "
                                        + "--partitions 1 converts the whole input)"), "\(run)")
        }
    }

    /// `--partitions 1` or `COCOCONVERT_PARTITIONS=1` turns the engine's variables off: a plain run.
    @Test(arguments: [["--partitions", "1"], []])
    func onePartitionInsideAnArrayConvertsEverything(_ options: [String]) throws {
        try withTemporaryDirectory { directory in
            let plain = directory.appendingPathComponent("plain").path, out = directory.appendingPathComponent("out").path
            try #require(try runCococonvert(["coco2png", CLI.cocoMini.path, plain, "-q"]).status == 0)
            var environment = ["SLURM_ARRAY_TASK_ID": "3", "SLURM_ARRAY_TASK_COUNT": "8"]
            if options.isEmpty { environment["COCOCONVERT_PARTITIONS"] = "1" }
            let run = try runCococonvert(["coco2png", CLI.cocoMini.path, out] + options, environment: environment)
            #expect(run.status == 0, "\(run)")
            #expect(!run.stderr.contains("partition"), "\(run)")
            #expect(try PartitionCLITests.files(URL(fileURLWithPath: out)) == PartitionCLITests.files(URL(fileURLWithPath: plain)))
        }
    }

    /// `--resume` and `--partitions` do not add to a directory that holds other files.
    @Test(arguments: [["--resume"], ["--partitions", "2", "--partition", "0"]])
    func aForeignNonEmptyOutputIsRefused(_ options: [String]) throws {
        try withTemporaryDirectory { directory in
            let out = directory.appendingPathComponent("out")
            try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
            _ = try write("keep me\n", to: out, as: "notes.txt")
            let run = try runCococonvert(["coco2png", CLI.cocoMini.path, out.path] + options)
            #expect(run.status == 64, "\(run)")
            #expect(run.stderr.contains("is not empty (1 entry: notes.txt) and holds no partitions or checkpoints"), "\(run)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: out.path) == ["notes.txt"])
        }
    }

    /// Partitions started at the same moment into one new directory all accept it.
    @Test func partitionsStartingTogetherAllRun() throws {
        try withTemporaryDirectory { directory in
            let input = CLI.cocoReal.appendingPathComponent(Self.instances).path
            let plain = directory.appendingPathComponent("plain").path, split = directory.appendingPathComponent("split").path
            try #require(try runCococonvert(["coco2png", input, plain, "-q"]).status == 0)
            let running = try (0..<4).map { try RunningCococonvert(["coco2png", input, split, "-q", "--partitions", "4", "--partition", "\($0)"]) }
            for run in try running.map({ try $0.finish(timeout: 120) }) { #expect(run.status == 0, "\(run)") }
            let merge = try runCococonvert(["merge", split])
            try #require(merge.status == 0, "\(merge)")
            #expect(try PartitionCLITests.files(URL(fileURLWithPath: split)) == PartitionCLITests.files(URL(fileURLWithPath: plain)))
        }
    }

    /// A writer that cannot split its output refuses --partitions and --resume before reading,
    /// --dry-run included. Any such writer of the registry serves; none left: nothing to check.
    @Test(arguments: [["--resume"], ["--partitions", "2", "--partition", "0"], ["--resume", "--dry-run"]])
    func aWriterWithoutPartitionsIsRefusedBeforeReading(_ options: [String]) throws {
        guard let plugin = FormatRegistry.standard.plugins.first(where: { $0.writer != nil && $0.writer?.partitionUnit == nil })
        else { return }
        try withTemporaryDirectory { directory in
            let out = directory.appendingPathComponent("out").path
            let run = try runCococonvert(["coco2\(plugin.name)", CLI.cocoMini.path, out] + options)
            #expect(run.status == 64, "\(run)")
            #expect(run.stderr.contains("output cannot be written in partitions or checkpoints yet"), "\(run)")
            #expect(!FileManager.default.fileExists(atPath: out), "\(run)")
        }
    }

    /// `merge -q --report json`: nothing on stderr, one JSON object on stdout; a failed merge
    /// reports its error in the file.
    @Test func mergeIsQuietAndReports() throws {
        try withTemporaryDirectory { directory in
            let out = directory.appendingPathComponent("out").path
            for index in 0..<2 {
                let run = try runCococonvert(["coco2png", CLI.cocoMini.path, out, "-q", "--partitions", "2", "--partition", "\(index)"])
                try #require(run.status == 0, "\(run)")
            }
            let merge = try runCococonvert(["merge", out, "-q", "--report", "json"])
            #expect(merge.status == 0, "\(merge)")
            #expect(merge.stderr.isEmpty, "\(merge)")
            let report = try ProgressModesAndReportCLITests.object(merge.stdout)
            #expect(report["status"] as? String == "ok")
            #expect(report["route"] as? String == "coco2png")
            #expect(report["output"] as? String == out)
            let mini = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: CLI.cocoMini)) as? [String: Any])
            #expect(report["samples"] as? Int == (mini["images"] as? [Any])?.count)
            let file = directory.appendingPathComponent("report.json").path
            let failed = try runCococonvert(["merge", directory.appendingPathComponent("nothing").path, "--report", "json=" + file])
            #expect(failed.status == 64, "\(failed)")
            let error = try ProgressModesAndReportCLITests.object(String(decoding: try Data(contentsOf: URL(fileURLWithPath: file)), as: UTF8.self))
            #expect(error["status"] as? String == "error")
            #expect(error["exit_status"] as? Int == 64)
        }
    }

    /// The counting pass of a reader without a count does not report skipped items: each is
    /// listed once in the skip report.
    @Test(arguments: [["--resume"], ["--partitions", "1", "--partition", "0"]])
    func aSkippedItemIsReportedOnceWhenTheReaderCounts(_ options: [String]) throws {
        try withTemporaryDirectory { directory in
            let input = directory.appendingPathComponent("toy")
            try FileManager.default.createDirectory(at: input, withIntermediateDirectories: true)
            _ = try write("1 person\n", to: input, as: "categories.txt")
            _ = try write("image 1 4 4 a.jpg\n", to: input, as: "a.toy")
            _ = try write("skip\n", to: input, as: "b.toy")
            _ = try write("image 3 4 4 c.jpg\n", to: input, as: "c.toy")
            let out = directory.appendingPathComponent("out").path
            let run = runInProcess(["toy2png", input.path, out, "--toy-uncounted", "--on-error", "skip"] + options)
            #expect(run.status == 0, "\(run)")
            let report = try String(contentsOfFile: directory.appendingPathComponent(options.contains("--resume") ? "out.skipped.jsonl"
                : "out.partition-00000-of-00001.skipped.jsonl").path, encoding: .utf8)
            #expect(report.split(separator: "\n").count == 1, "\(report)")
        }
    }
}
