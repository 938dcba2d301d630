import Foundation
import Testing
@testable import CocoConvertCLI

/// Hostile `file_name`s never make a writer write outside its output directory, and a failed
/// run never leaves a truncated or half-replaced output.
@Suite struct OutputSafetyCLITests {
    /// File names that try to escape or are merely odd. Absolute names point inside the test's own
    /// directory (`ABS` is replaced), never at real system files: the tests may run as root, and a
    /// broken writer must not be able to damage the machine.
    static let hostileNames = [
        "../../evil.jpg",
        "ABS/abs-evil.jpg",
        "sub/../../../dotdot.jpg",
        "we ird 'name' $x;|*?.jpg",
        "-rf.jpg",
        "unicodé 画像.jpg",
        "..\\..\\backslash.jpg",
        "trailing/",
    ]

    /// Everything under `root` that is not `allowed` or inside `outputDirectory` (all relative to root).
    static func escapes(in root: URL, outputDirectory: String, allowed: Set<String>) -> [String] {
        tree(root).filter { path in
            !allowed.contains(path) && path != outputDirectory && !path.hasPrefix(outputDirectory + "/")
                && !allowed.contains { path.hasPrefix($0 + "/") }
        }
    }

    /// A COCO file with one image per hostile name, each with one square, plus the image files a
    /// writer that copies images would look for (by the sanitised last path component).
    static func hostileDataset(in work: URL) throws -> (json: URL, imageCount: Int) {
        let names = hostileNames.map { $0.replacingOccurrences(of: "ABS", with: work.appendingPathComponent("abs").path) }
        let images = names.enumerated().map { COCOFixture.image($0.offset + 1, $0.element, width: 8, height: 6) }
        let annotations = names.indices.map { COCOFixture.polygon(100 + $0, image: $0 + 1) }
        let json = try write(COCOFixture.file(images: images, annotations: annotations),
                             to: work.appendingPathComponent("data/annotations"), as: "instances_val2017.json")
        let imageDirectory = work.appendingPathComponent("data/val2017")
        try FileManager.default.createDirectory(at: imageDirectory, withIntermediateDirectories: true)
        for name in names {
            guard let last = name.split(separator: "/").last, last != ".." else { continue }
            try Data([0xFF, 0xD8, 0xFF, 0xD9]).write(to: imageDirectory.appendingPathComponent(String(last)))
        }
        return (json, names.count)
    }

    /// Converts the hostile dataset to `format` into `work/out/deep/target` and checks the tree.
    func hostileNamesStayInside(_ format: FormatID, extra: [String] = []) throws {
        try withTemporaryDirectory { work in
            let (json, _) = try Self.hostileDataset(in: work)
            let before = Set(tree(work))
            let output = work.appendingPathComponent("out/deep/target")
            let run = try runCococonvert(["coco2\(format.rawValue)", json.path, output.path, "--on-error", "skip"] + extra)
            #expect(run.status == 0, "\(run)")
            let allowed = before.union(["out", "out/deep", "out/deep/target.skipped.jsonl"])
            let escaped = Self.escapes(in: work, outputDirectory: "out/deep/target", allowed: allowed)
            #expect(escaped.isEmpty, "written outside the output directory: \(escaped)\n\(run)")
            #expect(!FileManager.default.fileExists(atPath: work.appendingPathComponent("abs").path))
            #expect(!tree(output).isEmpty, "nothing was written\n\(run)")
            #expect(temporaryFiles(under: work, of: run).isEmpty, "temporary files left: \(tree(output))")
        }
    }

    @Test(.enabled(if: canWrite(.png))) func pngWriterKeepsHostileNamesInside() throws {
        try hostileNamesStayInside(.png)
    }

    @Test(.enabled(if: canWrite(.voc))) func vocWriterKeepsHostileNamesInside() throws {
        try hostileNamesStayInside(.voc, extra: ["--image-mode", "copy"])
    }

    @Test(.enabled(if: canWrite(.hdf5))) func hdf5WriterKeepsHostileNamesInside() throws {
        try hostileNamesStayInside(.hdf5)
    }

    @Test(.enabled(if: canWrite(.tfrecord))) func tfrecordWriterKeepsHostileNamesInside() throws {
        try hostileNamesStayInside(.tfrecord, extra: ["--schema", "od"])
    }

    @Test(.enabled(if: canWrite(.webdataset))) func webdatasetWriterKeepsHostileNamesInside() throws {
        try hostileNamesStayInside(.webdataset)
    }

    /// `a/x.jpg` and `b/x.jpg` would both become `x.png`: the second must not silently replace the first.
    func sameStemIsRefused(_ format: FormatID, extra: [String] = [], knownSkipBug: String? = nil) throws {
        try withTemporaryDirectory { directory in
            let text = COCOFixture.file(images: [COCOFixture.image(1, "a/x.jpg"), COCOFixture.image(2, "b/x.jpg")],
                                        annotations: [COCOFixture.polygon(10, image: 1), COCOFixture.polygon(20, image: 2)])
            let input = try write(text, to: directory, as: "in.json")
            let output = directory.appendingPathComponent("out")
            let run = try runCococonvert(["coco2\(format.rawValue)", input.path, output.path] + extra)
            #expect(run.status == 65, "\(run)")
            #expect(run.stderr.contains("error: \(input.path): image 2"), "\(run)")
            #expect(tree(directory) == ["in.json"])

            let skipping = {
                let skip = try runCococonvert(["coco2\(format.rawValue)", input.path, output.path, "--on-error", "skip"] + extra)
                #expect(skip.status == 0, "\(skip)")
                #expect(skip.stderr.contains("skipped 1 item "), "\(skip)")
                let report = try String(contentsOf: URL(fileURLWithPath: output.path + ".skipped.jsonl"), encoding: .utf8)
                #expect(report.contains("\"image_id\":2"), "\(report)")
            }
            if let knownSkipBug {
                withKnownIssue(Comment(rawValue: knownSkipBug)) { try skipping() }
            } else {
                try skipping()
            }
        }
    }

    @Test(.enabled(if: canWrite(.png))) func pngWriterRefusesTwoImagesWithOneStem() throws {
        try sameStemIsRefused(.png)
    }

    @Test(.enabled(if: canWrite(.voc))) func vocWriterRefusesTwoImagesWithOneStem() throws {
        try sameStemIsRefused(.voc, extra: ["--image-mode", "none"])
    }

    @Test func cocoWriterKeepsHostileNamesAsData() throws {
        try withTemporaryDirectory { work in
            let (json, count) = try Self.hostileDataset(in: work)
            let before = Set(tree(work))
            let output = work.appendingPathComponent("out/instances.json")
            try FileManager.default.createDirectory(at: output.deletingLastPathComponent(), withIntermediateDirectories: true)
            let run = try runCococonvert(["coco2coco", json.path, output.path])
            #expect(run.status == 0, "\(run)")
            #expect(Set(tree(work)) == before.union(["out", "out/instances.json"]))
            // The names are data in COCO output: kept verbatim.
            let written = try #require(try foundationJSON(output) as? [String: Any])
            let names = (written["images"] as? [[String: Any]])?.compactMap { $0["file_name"] as? String } ?? []
            #expect(names.count == count)
            #expect(names.first == "../../evil.jpg")
        }
    }

    /// Panoptic output writes one PNG per image, named by the annotation's `file_name`.
    @Test(arguments: ["../../evil.png", "ABS/panoptic-abs.png", "x/../../../up.png"])
    func panopticPNGsStayInside(hostile: String) throws {
        try withTemporaryDirectory { work in
            let source = CLI.cocoReal.appendingPathComponent("panoptic/annotations/panoptic_val2017.json")
            let name = hostile.replacingOccurrences(of: "ABS", with: work.appendingPathComponent("abs").path)
            var text = try String(contentsOf: source, encoding: .utf8)
            text = text.replacingOccurrences(of: #""file_name":"000000439180.png""#,
                                             with: #""file_name":"# + COCOFixture.jsonLiteral(name))
            try #require(text.contains(COCOFixture.jsonLiteral(name)))
            let json = try write(text, to: work.appendingPathComponent("in/annotations"), as: "panoptic_val2017.json")
            // The reader finds the segment PNG by the name's last component.
            let last = String(name.split(separator: "/").last ?? "")
            let pngDirectory = work.appendingPathComponent("in/annotations/panoptic_val2017")
            try FileManager.default.createDirectory(at: pngDirectory, withIntermediateDirectories: true)
            try FileManager.default.copyItem(
                at: CLI.cocoReal.appendingPathComponent("panoptic/annotations/panoptic_val2017/000000439180.png"),
                to: pngDirectory.appendingPathComponent(last))
            let before = Set(tree(work))

            let output = work.appendingPathComponent("out/deep/panoptic_out.json")
            try FileManager.default.createDirectory(at: output.deletingLastPathComponent(), withIntermediateDirectories: true)
            let run = try runCococonvert(["coco2coco", json.path, output.path, "--on-error", "skip"])
            #expect(run.status == 0, "\(run)")
            let escaped = Self.escapes(in: work, outputDirectory: "out/deep",
                                       allowed: before.union(["out"]))
            #expect(escaped.isEmpty, "written outside the output directory: \(escaped)\n\(run)")
            #expect(!FileManager.default.fileExists(atPath: work.appendingPathComponent("abs").path))
            #expect(tree(work.appendingPathComponent("out/deep")).sorted()
                    == ["panoptic_out", "panoptic_out.json", "panoptic_out/" + last].sorted())
        }
    }

    @Test func failedRunLeavesAnEarlierOutputUntouched() throws {
        try withTemporaryDirectory { directory in
            let bad = COCOFixture.file(
                images: [COCOFixture.image(1), COCOFixture.image(2), COCOFixture.image(3)],
                annotations: [COCOFixture.polygon(10, image: 1), COCOFixture.polygon(20, image: 2),
                              COCOFixture.crowdRLE(30, image: 3, counts: [5, 2, 2, 2, 4])])
            let input = try write(bad, to: directory, as: "in.json")
            let output = try write("previous output", to: directory, as: "out.json")
            let run = try runCococonvert(["coco2coco", input.path, output.path, "--on-error", "fail", "--overwrite"])
            #expect(run.status == 65, "\(run)")
            #expect(try String(contentsOf: output, encoding: .utf8) == "previous output")
            #expect(tree(directory) == ["in.json", "out.json"])
        }
    }

    /// Bigger than one pipeline window, so that writing has long started when the error comes.
    @Test func failureAfterManyImagesLeavesNoFile() throws {
        try withTemporaryDirectory { directory in
            let count = 300
            var annotations = (1...count).map { COCOFixture.polygon($0 * 10, image: $0) }
            annotations[count - 3] = COCOFixture.crowdRLE((count - 2) * 10, image: count - 2, counts: [3, 3])
            let text = COCOFixture.file(images: (1...count).map { COCOFixture.image($0) }, annotations: annotations)
            let input = try write(text, to: directory, as: "in.json")
            for jobs in ["1", "4"] {
                let run = try runCococonvert(["coco2coco", input.path, directory.appendingPathComponent("out.json").path,
                                              "--jobs", jobs])
                #expect(run.status == 65, "\(run)")
                #expect(run.stderr.contains("annotation \((count - 2) * 10)"), "\(run)")
                #expect(tree(directory) == ["in.json"], "jobs \(jobs) left: \(tree(directory))")
            }
        }
    }

    @Test(.enabled(if: canWrite(.png))) func pngFailureLeavesNoTemporaryFiles() throws {
        try directoryWriterFailureLeavesNoTemporaryFiles(.png)
    }

    @Test(.enabled(if: canWrite(.voc))) func vocFailureLeavesNoTemporaryFiles() throws {
        try directoryWriterFailureLeavesNoTemporaryFiles(.voc, extra: ["--image-mode", "none"])
    }

    @Test(.enabled(if: canWrite(.hdf5))) func hdf5FailureLeavesNoTemporaryFiles() throws {
        try directoryWriterFailureLeavesNoTemporaryFiles(.hdf5)
    }

    @Test(.enabled(if: canWrite(.tfrecord))) func tfrecordFailureLeavesNoTemporaryFiles() throws {
        try directoryWriterFailureLeavesNoTemporaryFiles(.tfrecord, extra: ["--schema", "od"])
    }

    @Test(.enabled(if: canWrite(.webdataset))) func webdatasetFailureLeavesNoTemporaryFiles() throws {
        try directoryWriterFailureLeavesNoTemporaryFiles(.webdataset)
    }

    /// A bad mask in the third image under `--on-error fail`: exit 65, and the output directory the
    /// run created is gone (per-image files of the first two images included). Into a directory that
    /// existed before, no temporary file is left and the user is told the directory is incomplete.
    func directoryWriterFailureLeavesNoTemporaryFiles(_ format: FormatID, extra: [String] = []) throws {
        try withTemporaryDirectory { directory in
            let bad = COCOFixture.file(
                images: [COCOFixture.image(1), COCOFixture.image(2), COCOFixture.image(3)],
                annotations: [COCOFixture.polygon(10, image: 1), COCOFixture.polygon(20, image: 2),
                              COCOFixture.crowdRLE(30, image: 3, counts: [5, 2, 2, 2, 4])])
            let input = try write(bad, to: directory, as: "in.json")
            // Stand-in image files, for writers that embed or copy them (never decoded).
            let images = directory.appendingPathComponent("images")
            for id in 1...3 { try write("\u{FF}\u{D8}", to: images, as: "\(id).jpg") }
            let inputs = Set(tree(directory))
            let extra = extra + ["--images", images.path]
            let output = directory.appendingPathComponent("out")
            let run = try runCococonvert(["coco2\(format.rawValue)", input.path, output.path] + extra)
            #expect(run.status == 65, "\(run)")
            #expect(run.stderr.contains("annotation 30"), "\(run)")
            #expect(Set(tree(directory)) == inputs, "a failed run left: \(tree(directory))")

            try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
            let again = try runCococonvert(["coco2\(format.rawValue)", input.path, output.path] + extra)
            #expect(again.status == 65, "\(again)")
            #expect(temporaryFiles(under: directory, of: again).isEmpty, "temporary files left: \(tree(directory))")
            #expect(again.stderr.contains("existed before this run"), "\(again)")
            if format == .hdf5 || format == .tfrecord || format == .webdataset {
                let shards = tree(output).filter { $0.hasSuffix(".h5") || $0.contains("tfrecord") || $0.hasSuffix(".tar") }
                #expect(shards.isEmpty, "a shard was left: \(shards)")
            }
        }
    }

    @Test(.enabled(if: canWrite(.png)))
    func writerSetupFailureLeavesNoOutputDirectory() throws {
        try withTemporaryDirectory { directory in
            let input = try write(COCOFixture.threeGoodImages, to: directory, as: "in.json")
            let run = try runCococonvert(["coco2png", input.path, directory.appendingPathComponent("out").path,
                                          "--labels", directory.appendingPathComponent("missing-labels.txt").path])
            #expect(run.status != 0, "\(run)")
            #expect(run.stderr.contains("missing-labels.txt"), "\(run)")
            #expect(tree(directory) == ["in.json"], "left: \(tree(directory))")
        }
    }

    @Test func failedPanopticRunRemovesThePNGDirectoryItCreated() throws {
        try withTemporaryDirectory { work in
            let source = CLI.cocoReal.appendingPathComponent("panoptic/annotations/panoptic_val2017.json")
            // The segment PNG directory is missing: the read fails after the writer has started.
            let json = try write(try String(contentsOf: source, encoding: .utf8), to: work.appendingPathComponent("in"),
                                 as: "panoptic_val2017.json")
            let output = work.appendingPathComponent("out/panoptic_out.json")
            try FileManager.default.createDirectory(at: output.deletingLastPathComponent(), withIntermediateDirectories: true)
            let run = try runCococonvert(["coco2coco", json.path, output.path])
            #expect(run.status == 65, "\(run)")
            #expect(tree(work.appendingPathComponent("out")).isEmpty, "left: \(tree(work))")
        }
    }
}

/// Directories inside the output that are symbolic links are refused, never written through.
@Suite struct SymlinkedDirectoryCLITests {
    @Test(arguments: [(FormatID.voc, "JPEGImages"), (FormatID.voc, "SegmentationClass"), (FormatID("yolo"), "images"), (FormatID("yolo"), "labels")])
    func aLinkedDirectoryInsideTheOutputIsRefused(format: FormatID, linked: String) throws {
        try withTemporaryDirectory { directory in
            let output = directory.appendingPathComponent("out")
            let elsewhere = directory.appendingPathComponent("elsewhere")
            try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
            try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(at: output.appendingPathComponent(linked), withDestinationURL: elsewhere)
            let run = try runCococonvert(["coco2\(format.rawValue)", CLI.cocoMini.path, output.path, "-q", "--add"])
            #expect(run.status == 1, "\(run)")
            #expect(run.stderr.contains("symbolic link inside the output"), "\(run)")
            #expect(tree(elsewhere).isEmpty, "written through the link: \(tree(elsewhere))")
        }
    }
}
