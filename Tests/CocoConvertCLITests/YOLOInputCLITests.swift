import Foundation
import Testing

/// YOLO trees as users hand them over: empty label files, label files without an image, a data.yaml
/// that is not YAML, bad lines — clear errors or skips, never a crash.
@Suite struct YOLOInputCLITests {
    /// A YOLO tree from coco-mini (images linked), for damaging.
    static func tree(in directory: URL) throws -> URL {
        let output = directory.appendingPathComponent("yolo")
        let run = try runCococonvert(["coco2yolo", CLI.cocoMini.path, output.path, "-q"])
        try #require(run.status == 0, "\(run)")
        return output
    }

    @Test func emptyLabelFilesAreImagesWithoutObjects() throws {
        try withTemporaryDirectory { directory in
            let yolo = try Self.tree(in: directory)
            let labels = yolo.appendingPathComponent("labels/val2017")
            let first = try #require(FileManager.default.contentsOfDirectory(atPath: labels.path).sorted().first)
            try Data().write(to: labels.appendingPathComponent(first))
            let back = directory.appendingPathComponent("back.json")
            let run = try runCococonvert(["yolo2coco", yolo.path, back.path, "-q"])
            #expect(run.status == 0, "\(run)")
            let images = (try foundationJSON(back) as? [String: Any])?["images"] as? [Any]
            #expect(images?.count == 8)
        }
    }

    @Test func aLabelFileWithoutAnImageIsReported() throws {
        try withTemporaryDirectory { directory in
            let yolo = try Self.tree(in: directory)
            try write("0 0.1 0.1 0.2 0.1 0.2 0.2\n", to: yolo.appendingPathComponent("labels/val2017"), as: "orphan.txt")
            let back = directory.appendingPathComponent("back.json")
            let failing = try runCococonvert(["yolo2coco", yolo.path, back.path, "-q"])
            #expect(failing.status == 65, "\(failing)")
            #expect(failing.stderr.contains("orphan.txt") && failing.stderr.contains("label file without an image"), "\(failing)")
            let skipping = try runCococonvert(["yolo2coco", yolo.path, back.path, "--on-error", "skip", "-q"])
            #expect(skipping.status == 0, "\(skipping)")
        }
    }

    @Test(arguments: [("names: [a, b\n", "not valid YAML"), (String(repeating: "[", count: 200_000), "deeper than"),
                      ("- a\n- b\n", "not a mapping")])
    func aDataFileThatIsNotYAMLIsExplained(text: String, says: String) throws {
        try withTemporaryDirectory { directory in
            let yolo = try Self.tree(in: directory)
            try write(text, to: yolo, as: "data.yaml")
            let run = try runCococonvert(["yolo2coco", yolo.path, directory.appendingPathComponent("back.json").path, "-q"])
            #expect(run.status == 65, "\(run)")
            #expect(run.stderr.contains(says), "\(run)")
        }
    }

    @Test func badLinesNameTheFileAndLine() throws {
        try withTemporaryDirectory { directory in
            let yolo = try Self.tree(in: directory)
            let labels = yolo.appendingPathComponent("labels/val2017")
            let first = try #require(FileManager.default.contentsOfDirectory(atPath: labels.path).sorted().first)
            try write("0 0.1 0.1 0.2 0.1 0.2 0.2\n0 nan 0.1 0.2 0.2\n0 0.5 0.5\n", to: labels, as: first)
            let back = directory.appendingPathComponent("back.json")
            let failing = try runCococonvert(["yolo2coco", yolo.path, back.path, "-q"])
            #expect(failing.status == 65, "\(failing)")
            #expect(failing.stderr.contains(first) && failing.stderr.contains("line 2"), "\(failing)")
            let skipping = try runCococonvert(["yolo2coco", yolo.path, back.path, "--on-error", "skip", "-q"])
            #expect(skipping.status == 0, "\(skipping)")
            let report = try String(contentsOf: directory.appendingPathComponent("back.json.skipped.jsonl"), encoding: .utf8)
            #expect(report.split(separator: "\n").count == 2, "\(report)")
        }
    }
}
