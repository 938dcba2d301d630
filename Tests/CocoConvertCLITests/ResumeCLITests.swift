import Foundation
import Testing
@testable import CocoConvertCLI

/// A run started with `--resume`, killed with SIGKILL at random points and started again each
/// time, ends with the tree of one uninterrupted run.
@Suite struct ResumeCLITests {
    @Test(arguments: [
        ("coco2png", "png", [String]()),
        ("coco2hdf5", "h5", ["--shard", "4"]),
        ("coco2coco", "out.json", []),
        ("coco2webdataset", "wds", ["--shard", "4", "--instance-map"]),
    ])
    func killedRunsResumedEndByteIdentical(route: String, output: String, extra: [String]) throws {
        if route == "coco2hdf5" && !canWrite(.hdf5) { return }
        try withTemporaryDirectory { directory in
            let input = CLI.cocoReal.appendingPathComponent("instances/annotations/instances_train2017.json").path
            let plain = directory.appendingPathComponent("plain"), resumed = directory.appendingPathComponent("resumed")
            for root in [plain, resumed] { try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true) }
            let one = try runCococonvert([route, input, plain.appendingPathComponent(output).path, "-q"] + extra)
            try #require(one.status == 0, "\(one)")
            let arguments = [route, input, resumed.appendingPathComponent(output).path, "--resume", "--checkpoint", "3", "--jobs", "1"] + extra
            var generator = SystemRandomNumberGenerator()
            var killed = 0
            for _ in 0..<5 {
                let running = try RunningCococonvert(arguments)
                Thread.sleep(forTimeInterval: Double.random(in: 0.05...0.8, using: &generator))
                if running.process.isRunning {
                    kill(running.process.processIdentifier, SIGKILL)
                    killed += 1
                }
                _ = try running.finish(timeout: 60)
            }
            let partsDirectory = resumed.appendingPathComponent(output).path
                + (output.hasSuffix(".json") ? ".cococonvert-parts" : "/.cococonvert-parts")
            let kept = ((try? FileManager.default.contentsOfDirectory(atPath: partsDirectory)) ?? []).filter { $0.hasSuffix(".json") }.count
            let last = try runCococonvert(arguments, timeout: 120)
            try #require(last.status == 0, "\(last)")
            // Checkpoints the killed runs finished are kept, not redone.
            if kept > 0 { #expect(last.stderr.contains("resumed: \(kept) of"), "\(last)") }
            let expected = try DeterminismCLITests.contents(of: plain), got = try DeterminismCLITests.contents(of: resumed)
            #expect(got.keys.sorted() == expected.keys.sorted(), "after \(killed) kills")
            for (name, bytes) in expected where got[name] != bytes {
                Issue.record("\(name) differs from the uninterrupted run after \(killed) kills")
            }
        }
    }

    /// SIGTERM (or Ctrl-C) in a busy `--resume` run keeps the checkpoints it finished: their
    /// records and files stay, and the same command again ends with the uninterrupted tree.
    @Test(arguments: [("coco2png", "png"), ("coco2coco", "out.json")])
    func terminatedRunKeepsFinishedCheckpoints(route: String, output: String) throws {
        try withTemporaryDirectory { directory in
            let input = CLI.cocoReal.appendingPathComponent("instances/annotations/instances_train2017.json").path
            let plain = directory.appendingPathComponent("plain"), resumed = directory.appendingPathComponent("resumed")
            for root in [plain, resumed] { try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true) }
            let one = try runCococonvert([route, input, plain.appendingPathComponent(output).path, "-q"])
            try #require(one.status == 0, "\(one)")
            let arguments = [route, input, resumed.appendingPathComponent(output).path, "--resume", "--checkpoint", "1", "--jobs", "1"]
            let partsDirectory = resumed.appendingPathComponent(output).path
                + (output.hasSuffix(".json") ? ".cococonvert-parts" : "/.cococonvert-parts")
            func records() -> [String] {
                ((try? FileManager.default.contentsOfDirectory(atPath: partsDirectory)) ?? []).filter { $0.hasSuffix(".json") }
            }
            let running = try RunningCococonvert(arguments)
            let deadline = Date().addingTimeInterval(60)
            while records().isEmpty && running.process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.005) }
            running.send(SIGTERM)
            let stopped = try running.finish(timeout: 60)
            try #require(stopped.status == 143, "the run ended before SIGTERM reached it: \(stopped)")
            let kept = records().count
            #expect(kept > 0, "SIGTERM removed the finished checkpoints: \(stopped)")
            let last = try runCococonvert(arguments, timeout: 120)
            try #require(last.status == 0, "\(last)")
            #expect(last.stderr.contains("resumed: \(kept) of"), "\(last)")
            let expected = try DeterminismCLITests.contents(of: plain), got = try DeterminismCLITests.contents(of: resumed)
            #expect(got.keys.sorted() == expected.keys.sorted())
            for (name, bytes) in expected where got[name] != bytes {
                Issue.record("\(name) differs from the uninterrupted run after SIGTERM")
            }
        }
    }
}
