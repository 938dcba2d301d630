import Foundation
import Testing
@testable import CocoConvertCLI

/// Output does not depend on the number of worker threads.
@Suite struct DeterminismCLITests {
    /// Every regular file under `root`, relative path → bytes.
    static func contents(of root: URL) throws -> [String: Data] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root.path, isDirectory: &isDirectory) else { return [:] }
        if !isDirectory.boolValue { return [root.lastPathComponent: try Data(contentsOf: root)] }
        var files: [String: Data] = [:]
        for path in tree(root) {
            let url = root.appendingPathComponent(path)
            var directory: ObjCBool = false
            if FileManager.default.fileExists(atPath: url.path, isDirectory: &directory), !directory.boolValue {
                files[path] = try Data(contentsOf: url)
            }
        }
        return files
    }

    /// Runs `arguments + [IN, OUT-jobs]` with `--jobs 1` and `--jobs 4`; returns both outputs.
    static func convertTwice(_ route: String, input: URL, in directory: URL, outputName: String,
                             extra: [String] = []) throws -> (one: URL, four: URL) {
        var outputs: [URL] = []
        for jobs in ["1", "4"] {
            let output = directory.appendingPathComponent("jobs\(jobs)").appendingPathComponent(outputName)
            try FileManager.default.createDirectory(at: output.deletingLastPathComponent(), withIntermediateDirectories: true)
            let run = try runCococonvert([route, input.path, output.path, "--jobs", jobs, "--quiet"] + extra)
            #expect(run.status == 0, "jobs \(jobs): \(run)")
            outputs.append(output)
        }
        return (outputs[0], outputs[1])
    }

    @Test(arguments: [
        ("instances/annotations/instances_val2017.json", ["--segmentation", "rle"]),
        ("panoptic/annotations/panoptic_val2017.json", []),
        ("results/instances_val2014_fakesegm100_results.json", ["--segmentation", "polygon", "--recompute", "--annotation-ids", "renumber"]),
    ])
    func cocoOutputIsByteIdenticalForOneAndFourJobs(file: String, extra: [String]) throws {
        try withTemporaryDirectory { directory in
            let input = CLI.cocoReal.appendingPathComponent(file)
            let (one, four) = try Self.convertTwice("coco2coco", input: input, in: directory, outputName: "out.json", extra: extra)
            let a = try Self.contents(of: one.deletingLastPathComponent())
            let b = try Self.contents(of: four.deletingLastPathComponent())
            #expect(!a.isEmpty)
            #expect(a.keys.sorted() == b.keys.sorted())
            for (name, bytes) in a {
                #expect(bytes == b[name], "\(name) differs between --jobs 1 and --jobs 4")
            }
        }
    }

    @Test(.enabled(if: canWrite(.hdf5) && canRead(.hdf5)))
    func hdf5ShardsHoldTheSameDataForOneAndFourJobs() throws {
        try withTemporaryDirectory { directory in
            let (one, four) = try Self.convertTwice("coco2hdf5", input: CLI.cocoMini, in: directory, outputName: "shards",
                                                    extra: ["--shard", "3"])
            let a = try Self.contents(of: one)
            let b = try Self.contents(of: four)
            #expect(a.count == 3, "8 images in shards of 3: \(a.keys.sorted())")
            #expect(a.keys.sorted() == b.keys.sorted())
            if a == b { return }
            // Not byte-identical: the data must be.
            let differing = a.keys.filter { a[$0] != b[$0] }.sorted()
            withKnownIssue("""
                bug (hdf5): shards are not byte-reproducible: every dataset's object header records its \
                modification time (HDF5's default; H5Pset_obj_track_times(dcpl, 0) turns it off), so two \
                runs a second apart differ in one byte per dataset
                """, isIntermittent: true) {
                Issue.record("\(differing) differ in bytes between the two runs")
            }
            var decoded: [Data] = []
            for shards in [one, four] {
                let json = directory.appendingPathComponent("back-\(shards.deletingLastPathComponent().lastPathComponent).json")
                let run = try runCococonvert(["hdf52coco", shards.path, json.path, "--segmentation", "rle", "--quiet"])
                #expect(run.status == 0, "\(run)")
                decoded.append(try Data(contentsOf: json))
            }
            #expect(decoded[0] == decoded[1], "shards \(differing) hold different data for --jobs 1 and 4")
        }
    }

    @Test(.enabled(if: canWrite(.png)))
    func pngLabelMapsAreByteIdenticalForOneAndFourJobs() throws {
        try directoryOutputIsByteIdentical("coco2png")
    }

    @Test(.enabled(if: canWrite(.voc)))
    func vocTreeIsByteIdenticalForOneAndFourJobs() throws {
        try directoryOutputIsByteIdentical("coco2voc", extra: ["--image-mode", "copy"])
    }

    @Test(.enabled(if: canWrite(.tfrecord)))
    func tfrecordShardsAreByteIdenticalForOneAndFourJobs() throws {
        try directoryOutputIsByteIdentical("coco2tfrecord", extra: ["--shard", "3"])
    }

    func directoryOutputIsByteIdentical(_ route: String, extra: [String] = []) throws {
        try withTemporaryDirectory { directory in
            let (one, four) = try Self.convertTwice(route, input: CLI.cocoMini, in: directory, outputName: "out", extra: extra)
            let a = try Self.contents(of: one)
            let b = try Self.contents(of: four)
            #expect(!a.isEmpty)
            #expect(a.keys.sorted() == b.keys.sorted())
            let differing = a.keys.filter { a[$0] != b[$0] }.sorted()
            #expect(differing.isEmpty, "\(route): \(differing) differ between --jobs 1 and --jobs 4")
        }
    }
}
