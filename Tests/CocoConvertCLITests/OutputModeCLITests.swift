import Foundation
import Testing

/// Outputs that already hold files: refused by default, replaced with `--overwrite` (stale files of
/// the writer's kinds removed), merged with `--add`.
@Suite struct OutputModeCLITests {
    static var val: String { CLI.cocoReal.appendingPathComponent("instances/annotations/instances_val2017.json").path }
    static var train: String { CLI.cocoReal.appendingPathComponent("instances/annotations/instances_train2017.json").path }

    /// Every path under `root` with its bytes (directories as nil).
    static func snapshot(_ root: URL) -> [String: Data?] {
        var result: [String: Data?] = [:]
        for path in tree(root) { result[path] = FileManager.default.contents(atPath: root.appendingPathComponent(path).path) }
        return result
    }

    @Test func nonEmptyOutputIsRefusedAndUntouched() throws {
        try withTemporaryDirectory { work in
            let out = work.appendingPathComponent("out")
            try write("mine\n", to: out, as: "notes.txt")
            try write("not a png", to: out, as: "000000006818.png")
            let before = Self.snapshot(work)
            let run = try runCococonvert(["coco2png", Self.val, out.path])
            #expect(run.status == 64, "\(run)")
            #expect(run.stderr.contains("is not empty") && run.stderr.contains("--overwrite") && run.stderr.contains("--add"), "\(run)")
            #expect(Self.snapshot(work) == before, "the output was touched")
        }
    }

    @Test func outputHoldingTheInputIsRefused() throws {
        try withTemporaryDirectory { work in
            let annotations = work.appendingPathComponent("annotations")
            try FileManager.default.createDirectory(at: annotations, withIntermediateDirectories: true)
            let json = annotations.appendingPathComponent("instances_val2017.json")
            try FileManager.default.copyItem(atPath: Self.val, toPath: json.path)
            let before = Self.snapshot(work)
            let beside = try runCococonvert(["coco2png", json.path, annotations.path])
            #expect(beside.status == 64 && beside.stderr.contains("holds the input"), "\(beside)")
            let inside = try runCococonvert(["png2voc", annotations.path, annotations.appendingPathComponent("voc").path])
            #expect(inside.status == 64 && inside.stderr.contains("inside the input"), "\(inside)")
            #expect(Self.snapshot(work) == before)
        }
    }

    @Test func existingOutputFileNeedsOverwrite() throws {
        try withTemporaryDirectory { work in
            let out = try write("{}", to: work, as: "out.json")
            let refused = try runCococonvert(["coco2coco", CLI.cocoMini.path, out.path])
            #expect(refused.status == 64 && refused.stderr.contains("--overwrite"), "\(refused)")
            #expect(try String(contentsOf: out, encoding: .utf8) == "{}")
            let add = try runCococonvert(["coco2coco", CLI.cocoMini.path, out.path, "--add"])
            #expect(add.status == 64, "\(add)")
            let replaced = try runCococonvert(["coco2coco", CLI.cocoMini.path, out.path, "--overwrite"])
            #expect(replaced.status == 0, "\(replaced)")
            #expect(try Data(contentsOf: out).count > 100)
        }
    }

    @Test func overwriteLeavesNoStaleFile() throws {
        try withTemporaryDirectory { work in
            let out = work.appendingPathComponent("png")
            let first = try runCococonvert(["coco2png", Self.val, out.path])
            #expect(first.status == 0, "\(first)")
            #expect(tree(out).filter { $0.hasSuffix(".png") }.count == 60)
            try write("mine\n", to: out, as: "notes.txt")
            let second = try runCococonvert(["coco2png", Self.val, out.path, "--image-ids", "6818,25986", "--overwrite"])
            #expect(second.status == 0, "\(second)")
            #expect(tree(out) == ["000000006818.png", "000000025986.png", "labels.json", "notes.txt"], "\(tree(out))")
            #expect(second.stderr.contains("removed 58 stale files"), "\(second)")
        }
    }

    /// val first, then train added: both lists, every mask, and val's files as they were.
    @Test func addPutsASecondSplitIntoAVOCTree() throws {
        try withTemporaryDirectory { work in
            let voc = work.appendingPathComponent("voc")
            let val = try runCococonvert(["coco2voc", Self.val, voc.path])
            #expect(val.status == 0, "\(val)")
            let valFiles = Self.snapshot(voc)
            let refused = try runCococonvert(["coco2voc", Self.train, voc.path])
            #expect(refused.status == 64, "\(refused)")
            let train = try runCococonvert(["coco2voc", Self.train, voc.path, "--add"])
            #expect(train.status == 0, "\(train)")
            #expect(tree(voc.appendingPathComponent("ImageSets/Segmentation")) == ["train.txt", "val.txt"])
            #expect(tree(voc.appendingPathComponent("SegmentationClass")).count == 100)
            for (path, bytes) in valFiles { #expect(Self.snapshot(voc)[path] == bytes, "\(path) changed") }
            #expect(train.stderr.contains("existing output (--add): added"), "\(train)")
        }
    }

    /// A file `--add` would replace with other content stops the run, and the files it had added go.
    @Test func addNeverReplacesAndCleansUpAfterItself() throws {
        try withTemporaryDirectory { work in
            let voc = work.appendingPathComponent("voc")
            #expect(try runCococonvert(["coco2voc", Self.val, voc.path]).status == 0)
            try write("background\n", to: voc, as: "labelmap.txt")
            let before = Self.snapshot(voc)
            let run = try runCococonvert(["coco2voc", Self.train, voc.path, "--add"])
            #expect(run.status == 64 && run.stderr.contains("already exists with other content"), "\(run)")
            #expect(Self.snapshot(voc) == before, "the tree changed: \(Set(tree(voc)).symmetricDifference(before.keys))")
        }
    }

    /// A failed `--add` into a directory it had to fill removes the directories it created too.
    @Test func failedAddRemovesTheDirectoriesItCreated() throws {
        try withTemporaryDirectory { work in
            let voc = work.appendingPathComponent("voc")
            try write("background\n", to: voc, as: "labelmap.txt")
            let before = Self.snapshot(work)
            let run = try runCococonvert(["coco2voc", Self.val, voc.path, "--add"])
            #expect(run.status == 64 && run.stderr.contains("already exists with other content"), "\(run)")
            #expect(Self.snapshot(work) == before, "left: \(Set(tree(work)).subtracting(before.keys).sorted().prefix(10))")
        }
    }
}
