import Foundation
import Testing

/// One writer per output: a second run into an output another run is writing stops with a message
/// naming that run, and the first run's output is untouched; a lock left by a killed run is taken over.
@Suite struct OutputLockCLITests {
    @Test func aSecondWriterIsRefused() throws {
        try withTemporaryDirectory { directory in
            let input = try InterruptCLITests.bigDataset(in: directory)
            let output = directory.appendingPathComponent("labels")
            let first = try RunningCococonvert(["coco2png", input.path, output.path, "--jobs", "1", "-q"])
            let started = InterruptCLITests.wait(seconds: 30) { tree(output).contains { $0.hasSuffix(".png") } }
            try #require(started, "the first run wrote nothing: \(tree(directory))")
            let second = try runCococonvert(["coco2png", input.path, output.path, "--palette", "none", "-q", "--overwrite"])
            let firstRun = try first.finish(timeout: 300)  // 1,500 images on one job: slow on a loaded machine
            try #require(firstRun.status == 0, "\(firstRun)")
            #expect(second.status == 1, "\(second)")
            #expect(second.stderr.contains("another cococonvert run is writing this output (pid \(firstRun.pid)"), "\(second)")
            // The first run's labels.json describes its own maps (VOC palette), not the second's (gray).
            let labels = try String(contentsOf: output.appendingPathComponent("labels.json"), encoding: .utf8)
            #expect(labels.contains("\"palette\": \"voc\""), "\(labels.prefix(300))")
            #expect(!tree(output).contains(".cococonvert.lock"))
        }
    }

    @Test func aLockLeftByAKilledRunIsTakenOver() throws {
        try withTemporaryDirectory { directory in
            let output = directory.appendingPathComponent("labels")
            try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
            // A pid that no process has (above the kernel's pid_max default of 4194304).
            let host = ProcessInfo.processInfo.hostName
            try write("pid 999999999\nhost \(host)\nstarted 2026-01-01T00:00:00Z\n", to: output, as: ".cococonvert.lock")
            let run = try runCococonvert(["coco2png", CLI.cocoMini.path, output.path, "-q"])
            #expect(run.status == 0, "\(run)")
            #expect(!tree(output).contains(".cococonvert.lock"))
        }
    }

    @Test func aLockOfAnotherHostIsRespected() throws {
        try withTemporaryDirectory { directory in
            let output = directory.appendingPathComponent("out.json")
            try write("pid 1\nhost some-other-node\nstarted 2026-01-01T00:00:00Z\n", to: directory, as: ".out.json.cococonvert.lock")
            let run = try runCococonvert(["coco2coco", CLI.cocoMini.path, output.path, "-q"])
            #expect(run.status == 1, "\(run)")
            #expect(run.stderr.contains("on some-other-node"), "\(run)")
            #expect(run.stderr.contains("delete"), "\(run)")
            #expect(!FileManager.default.fileExists(atPath: output.path))
        }
    }
}

@Suite struct StaleTemporaryFilesCLITests {
    @Test func temporariesOfAKilledRunAreRemovedByTheNextRun() throws {
        try withTemporaryDirectory { directory in
            let output = directory.appendingPathComponent("labels")
            try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
            // What a SIGKILLed run leaves: hidden temporaries named with its pid.
            try write("half", to: output, as: ".1.png.tmp-999999999-0")
            try write("half", to: directory, as: ".out.json.tmp-999999999-3")
            try write("someone else's", to: directory, as: ".other.json.tmp-999999999-0")
            try write("mine", to: output, as: ".hidden-but-not-ours")
            let run = try runCococonvert(["coco2png", CLI.cocoMini.path, output.path, "--add"])
            #expect(run.status == 0, "\(run)")
            #expect(run.stderr.contains("removed 1 temporary file"), "\(run)")
            #expect(!tree(output).contains(".1.png.tmp-999999999-0"))
            #expect(tree(output).contains(".hidden-but-not-ours"))
            try write("old", to: directory, as: "out.json")
            let coco = try runCococonvert(["coco2coco", CLI.cocoMini.path, directory.appendingPathComponent("out.json").path, "-q", "--overwrite"])
            #expect(coco.status == 0, "\(coco)")
            #expect(!tree(directory).contains(".out.json.tmp-999999999-3"))
            #expect(tree(directory).contains(".other.json.tmp-999999999-0"), "another output's temporary must stay")
        }
    }
}
