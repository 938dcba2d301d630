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

    @Test(.enabled(if: canWrite(.hdf5)))
    func hdf5ShardsAreByteIdenticalForOneAndFourJobsAndAcrossTime() throws {
        try withTemporaryDirectory { directory in
            let (one, four) = try Self.convertTwice("coco2hdf5", input: CLI.cocoMini, in: directory, outputName: "shards",
                                                    extra: ["--shard", "3"])
            // A run seconds later: HDF5 would record object modification times unless told not to.
            Thread.sleep(forTimeInterval: 1.1)
            let later = directory.appendingPathComponent("later")
            let run = try runCococonvert(["coco2hdf5", CLI.cocoMini.path, later.path, "--shard", "3", "--quiet"])
            #expect(run.status == 0, "\(run)")
            let a = try Self.contents(of: one)
            #expect(a.count == 3, "8 images in shards of 3: \(a.keys.sorted())")
            for (what, other) in [("--jobs 4", four), ("a later run", later)] {
                let b = try Self.contents(of: other)
                #expect(a.keys.sorted() == b.keys.sorted())
                let differing = a.keys.filter { a[$0] != b[$0] }.sorted()
                #expect(differing.isEmpty, "\(differing) differ in bytes between --jobs 1 and \(what)")
            }
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

    @Test(.enabled(if: canWrite(.webdataset)))
    func webdatasetShardsAreByteIdenticalForOneAndFourJobs() throws {
        try directoryOutputIsByteIdentical("coco2webdataset", extra: ["--shard", "3", "--instance-map"])
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
