import Foundation
import Testing
@testable import CocoConvertCLI

/// Ctrl-C (SIGINT) or `kill` (SIGTERM) in the middle of a conversion leaves no temporary file and
/// no output that this run created.
@Suite struct InterruptCLITests {
    /// A COCO file big enough that a debug build needs seconds for it (1,500 images, 4,500 polygons).
    static func bigDataset(in directory: URL) throws -> URL {
        var images: [String] = []
        var annotations: [String] = []
        var ring = ""
        for t in 0..<24 {
            let angle = 2 * Double.pi * Double(t) / 24
            ring += (t == 0 ? "" : ",") + String(format: "%.2f,%.2f", 320 + 200 * cos(angle), 240 + 150 * sin(angle))
        }
        for id in 1...1500 {
            images.append(COCOFixture.image(id, width: 640, height: 480))
            for k in 0..<3 {
                annotations.append("{\"id\":\(id * 10 + k),\"image_id\":\(id),\"category_id\":1,\"segmentation\":[[\(ring)]],"
                                   + "\"area\":1,\"bbox\":[0,0,1,1],\"iscrowd\":0}")
            }
        }
        return try write(COCOFixture.file(images: images, annotations: annotations), to: directory, as: "big.json")
    }

    /// Waits until `condition` holds (at most `seconds`); false when it never did.
    static func wait(seconds: Double, until condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            usleep(10_000)
        }
        return false
    }

    @Test func sigintRemovesTheTemporaryCOCOOutput() throws {
        try withTemporaryDirectory { directory in
            let input = try Self.bigDataset(in: directory)
            let output = directory.appendingPathComponent("out.json")
            let running = try RunningCococonvert(["coco2coco", input.path, output.path, "--segmentation", "rle", "--jobs", "1"])
            let started = Self.wait(seconds: 30) { tree(directory).contains { $0.hasPrefix(".out.json") } }
            try #require(started, "the writer never started: \(tree(directory))")
            running.send(SIGINT)
            let run = try running.finish()
            try #require(run.status != 0, "finished before the signal; the input is too small for this machine")
            #expect(run.status == 130, "\(run)")
            #expect(run.stderr.contains("interrupted"), "\(run)")
            #expect(tree(directory) == ["big.json"], "left: \(tree(directory))")
        }
    }

    @Test(.enabled(if: canWrite(.png)))
    func sigtermRemovesAnOutputDirectoryTheRunCreated() throws {
        try withTemporaryDirectory { directory in
            let input = try Self.bigDataset(in: directory)
            let output = directory.appendingPathComponent("labels")
            let running = try RunningCococonvert(["coco2png", input.path, output.path, "--jobs", "1"])
            let started = Self.wait(seconds: 30) { tree(output).contains { $0.hasSuffix(".png") } }
            try #require(started, "no label map was written: \(tree(directory))")
            running.send(SIGTERM)
            let run = try running.finish()
            try #require(run.status != 0, "finished before the signal; the input is too small for this machine")
            #expect(run.status == 143, "\(run)")
            #expect(tree(directory) == ["big.json"], "left: \(tree(directory).prefix(10))")
        }
    }

    @Test(.enabled(if: canWrite(.png)))
    func interruptKeepsFinishedFilesInAnExistingDirectoryAndRemovesTemporaryOnes() throws {
        try withTemporaryDirectory { directory in
            let input = try Self.bigDataset(in: directory)
            let output = directory.appendingPathComponent("labels")
            try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
            try write("mine", to: output, as: "keep.txt")
            let running = try RunningCococonvert(["coco2png", input.path, output.path, "--jobs", "2"])
            let started = Self.wait(seconds: 30) { tree(output).contains { $0.hasSuffix(".png") } }
            try #require(started, "no label map was written: \(tree(directory))")
            running.send(SIGINT)
            let run = try running.finish()
            try #require(run.status != 0, "finished before the signal; the input is too small for this machine")
            #expect(run.status == 130, "\(run)")
            #expect(temporaryFiles(under: directory, of: run).isEmpty, "temporary files left")
            #expect(try String(contentsOf: output.appendingPathComponent("keep.txt"), encoding: .utf8) == "mine")
            #expect(tree(output).contains("1.png"))
        }
    }

    @Test func tokenMatchingNeedsDigitBoundaries() {
        #expect(InterruptCleanup.containsToken("123", in: ".out.json.tmp-123-0"))
        #expect(InterruptCleanup.containsToken("123", in: ".labels.json.123.tmp"))
        #expect(InterruptCleanup.containsToken("123", in: ".val2017-0.h5.partial-123"))
        #expect(!InterruptCleanup.containsToken("123", in: ".out.json.tmp-1234-0"))
        #expect(!InterruptCleanup.containsToken("123", in: ".000000123000.png"))
        #expect(!InterruptCleanup.containsToken("123", in: ".x.tmp-9123-0"))
    }
}
