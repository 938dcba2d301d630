import Foundation
import Testing
@testable import CocoConvertCLI

/// `--partitions N` then `cococonvert merge` gives exactly the tree of one plain run, for every
/// writer, whatever N (including partitions with no samples), in any order the partitions run.
@Suite struct PartitionCLITests {
    /// One route to check: the input (in coco-real), the output name, the options.
    struct Case: CustomTestStringConvertible, Sendable {
        var route: String
        var input: String
        var output: String
        var extra: [String] = []
        var testDescription: String { "\(route) \(extra.joined(separator: " "))" }
    }

    static let instances = "instances/annotations/instances_train2017.json"

    static let cases: [Case] = [
        Case(route: "coco2coco", input: instances, output: "out.json"),
        Case(route: "coco2coco", input: "panoptic/annotations/panoptic_val2017.json", output: "panoptic.json"),
        Case(route: "coco2coco", input: "results/instances_val2014_fakesegm100_results.json", output: "results.json",
             extra: ["--segmentation", "polygon"]),
        Case(route: "coco2png", input: instances, output: "png"),
        Case(route: "coco2png", input: "panoptic/annotations/panoptic_val2017.json", output: "png", extra: ["--kind", "panoptic"]),
        Case(route: "coco2voc", input: instances, output: "voc", extra: ["--layout", "devkit"]),
        Case(route: "coco2yolo", input: instances, output: "yolo"),
        Case(route: "coco2hdf5", input: instances, output: "h5", extra: ["--shard", "7"]),
        Case(route: "coco2tfrecord", input: instances, output: "tf", extra: ["--shard", "7"]),
        Case(route: "coco2tfrecord", input: instances, output: "tf", extra: ["--schema", "od", "--num-shards", "3"]),
        Case(route: "coco2webdataset", input: instances, output: "wds", extra: ["--shard", "7", "--instance-map"]),
    ]

    /// Every regular file under `root` (hidden ones included: nothing of the partitions may remain).
    static func files(_ root: URL) throws -> [String: Data] {
        try DeterminismCLITests.contents(of: root)
    }

    @Test(arguments: cases, [1, 3, 7, 60])
    func partitionsThenMergeEqualOnePlainRun(_ c: Case, partitions: Int) throws {
        try withTemporaryDirectory { directory in
            let input = CLI.cocoReal.appendingPathComponent(c.input).path
            let plain = directory.appendingPathComponent("plain")
            let split = directory.appendingPathComponent("split")
            for root in [plain, split] { try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true) }
            let one = try runCococonvert([c.route, input, plain.appendingPathComponent(c.output).path, "--quiet"] + c.extra)
            try #require(one.status == 0, "\(one)")
            // Last partition first: the result must not depend on the order partitions finish in.
            for index in (0..<partitions).reversed() {
                let run = try runCococonvert([c.route, input, split.appendingPathComponent(c.output).path, "--quiet",
                                              "--partitions", String(partitions), "--partition", String(index)] + c.extra)
                try #require(run.status == 0, "partition \(index) of \(partitions): \(run)")
            }
            let merge = try runCococonvert(["merge", split.appendingPathComponent(c.output).path])
            try #require(merge.status == 0, "\(merge)")
            #expect(merge.stderr.contains("merged \(partitions) partitions"), "\(merge)")
            let expected = try Self.files(plain), got = try Self.files(split)
            #expect(!expected.isEmpty)
            #expect(got.keys.sorted() == expected.keys.sorted())
            for (name, bytes) in expected where got[name] != bytes {
                Issue.record("\(name) differs from the plain run (\(got[name]?.count ?? -1) vs \(bytes.count) bytes)")
            }
        }
    }

    /// Shards cut by bytes end where the samples before them say: no partition can know its shards.
    @Test func webDatasetShardSizeIsRefusedWithPartitionsAndResume() throws {
        try withTemporaryDirectory { directory in
            let input = CLI.cocoReal.appendingPathComponent(Self.instances).path
            let out = directory.appendingPathComponent("wds").path
            for how in [["--partitions", "2", "--partition", "0"], ["--resume"]] {
                let run = try runCococonvert(["coco2webdataset", input, out, "-q", "--shard-size", "1M"] + how)
                #expect(run.status == 64, "\(run)")
                #expect(run.stderr.contains("--shard-size 1M cannot be split into partitions or checkpoints"), "\(run)")
                #expect(run.stderr.contains("use --shard N"), "\(run)")
                let tars = ((try? FileManager.default.contentsOfDirectory(atPath: out)) ?? []).filter { $0.hasSuffix(".tar") }
                #expect(tars.isEmpty, "\(tars)")
            }
        }
    }

    @Test func mergeRefusesAMissingPartitionAndNamesIt() throws {
        try withTemporaryDirectory { directory in
            let input = CLI.cocoReal.appendingPathComponent(Self.instances).path
            let out = directory.appendingPathComponent("out").path
            for index in [0, 2] {
                let run = try runCococonvert(["coco2png", input, out, "-q", "--partitions", "4", "--partition", String(index)])
                try #require(run.status == 0, "\(run)")
            }
            let merge = try runCococonvert(["merge", out])
            #expect(merge.status == 64, "\(merge)")
            #expect(merge.stderr.contains("2 of 4 partitions have not finished: 1, 3"), "\(merge)")
            // Nothing was joined: no labels.json yet, the parts are still there.
            #expect(!FileManager.default.fileExists(atPath: out + "/labels.json"))
            #expect(FileManager.default.fileExists(atPath: out + "/.cococonvert-parts"))
        }
    }

    @Test func mergeRefusesPartitionsMadeWithOtherOptions() throws {
        try withTemporaryDirectory { directory in
            let input = CLI.cocoReal.appendingPathComponent(Self.instances).path
            let out = directory.appendingPathComponent("out").path
            let a = try runCococonvert(["coco2png", input, out, "-q", "--partitions", "2", "--partition", "0"])
            let b = try runCococonvert(["coco2png", input, out, "-q", "--partitions", "2", "--partition", "1", "--labels", "voc21"])
            try #require(a.status == 0 && b.status == 0, "\(a)\n\(b)")
            let merge = try runCococonvert(["merge", out])
            #expect(merge.status == 64, "\(merge)")
            #expect(merge.stderr.contains("partition-00001-of-00002 was made differently from partition-00000-of-00002"), "\(merge)")
            #expect(merge.stderr.contains("--labels=voc21"), "\(merge)")
        }
    }

    @Test func mergeWithoutPartitionsSaysWhatItNeeds() throws {
        try withTemporaryDirectory { directory in
            let merge = try runCococonvert(["merge", directory.path])
            #expect(merge.status == 64, "\(merge)")
            #expect(merge.stderr.contains("no partitions to merge"), "\(merge)")
        }
    }

    @Test func aPartitionOutsideTheCountIsAUsageError() throws {
        let run = try runCococonvert(["coco2png", CLI.cocoMini.path, "/nonexistent/out", "--partitions", "3", "--partition", "3"])
        #expect(run.status == 64, "\(run)")
        #expect(run.stderr.contains("partition 3 (from --partition) is outside 0...2"), "\(run)")
    }

    /// Slurm arrays, Kubernetes Indexed Jobs and AWS Batch set the partition through the environment.
    @Test(arguments: [
        ["SLURM_ARRAY_TASK_ID": "1", "SLURM_ARRAY_TASK_COUNT": "3"],
        ["JOB_COMPLETION_INDEX": "1", "COCOCONVERT_PARTITIONS": "3"],
        ["AWS_BATCH_JOB_ARRAY_INDEX": "1", "AWS_BATCH_JOB_ARRAY_SIZE": "3"],
    ])
    func engineVariablesChooseThePartition(_ environment: [String: String]) throws {
        try withTemporaryDirectory { directory in
            let input = CLI.cocoReal.appendingPathComponent(Self.instances).path
            let plain = directory.appendingPathComponent("plain").path, split = directory.appendingPathComponent("split").path
            try #require(try runCococonvert(["coco2voc", input, plain, "-q"]).status == 0)
            var sources: [String] = []
            for index in 0..<3 {
                var variables = environment
                let indexVariable = environment.keys.first { $0.hasSuffix("INDEX") || $0.hasSuffix("TASK_ID") } ?? ""
                variables[indexVariable] = String(index)
                let run = try runCococonvert(["coco2voc", input, split], environment: variables)
                try #require(run.status == 0, "\(run)")
                sources.append(run.stderr)
            }
            let indexVariable = environment.keys.first { $0.hasSuffix("INDEX") || $0.hasSuffix("TASK_ID") } ?? ""
            #expect(sources[1].contains("partition 1 of 3 (index from \(indexVariable)"), "\(sources[1])")
            try #require(try runCococonvert(["merge", split]).status == 0)
            let expected = try Self.files(URL(fileURLWithPath: plain)), got = try Self.files(URL(fileURLWithPath: split))
            #expect(got == expected)
        }
    }

    /// A Kubernetes pod of some other Indexed Job converts everything, as without the variable.
    @Test func anEngineIndexWithoutACountDoesNotPartition() throws {
        try withTemporaryDirectory { directory in
            let out = directory.appendingPathComponent("out").path
            let run = try runCococonvert(["coco2png", CLI.cocoMini.path, out], environment: ["JOB_COMPLETION_INDEX": "2"])
            #expect(run.status == 0, "\(run)")
            #expect(!run.stderr.contains("partition"), "\(run)")
            #expect(FileManager.default.fileExists(atPath: out + "/labels.json"))
        }
    }

    /// An engine retries a task with the same index: the retry replaces that partition's outputs
    /// only, `--resume` skips a partition that finished, and the merged tree is still exact.
    @Test func retriedAndResumedPartitionsStillMergeExactly() throws {
        try withTemporaryDirectory { directory in
            let input = CLI.cocoReal.appendingPathComponent(Self.instances).path
            let plain = directory.appendingPathComponent("plain").path, split = directory.appendingPathComponent("split").path
            try #require(try runCococonvert(["coco2tfrecord", input, plain, "-q", "--shard", "5"]).status == 0)
            let args = { (i: Int) in ["coco2tfrecord", input, split, "--shard", "5", "--partitions", "3", "--partition", String(i)] }
            for i in 0..<3 { try #require(try runCococonvert(args(i)).status == 0) }
            let retry = try runCococonvert(args(1))
            #expect(retry.status == 0, "\(retry)")
            let resumed = try runCococonvert(args(2) + ["--resume"])
            #expect(resumed.status == 0, "\(resumed)")
            #expect(resumed.stderr.contains("already finished"), "\(resumed)")
            try #require(try runCococonvert(["merge", split]).status == 0)
            #expect(try Self.files(URL(fileURLWithPath: split)) == (try Self.files(URL(fileURLWithPath: plain))))
        }
    }

    /// An item `--on-error skip` leaves out at the end of a block (image 3 of 6, blocks of 3) still
    /// belongs to its block: partitions and checkpoints give the tree of one run.
    @Test func anItemLeftOutAtABlockEndStaysInItsBlock() throws {
        try withTemporaryDirectory { directory in
            var images: [String] = [], annotations: [String] = []
            for id in 1...6 {
                images.append("{\"id\":\(id),\"file_name\":\"img\(id).jpg\",\"width\":\(id == 3 ? -5 : 20),\"height\":10}")
                annotations.append("{\"id\":\(100 + id),\"image_id\":\(id),\"category_id\":1,\"segmentation\":[[1,1,8,1,8,8,1,8]],\"area\":49,\"bbox\":[1,1,7,7],\"iscrowd\":0}")
            }
            let input = try write("{\"images\":[\(images.joined(separator: ","))],\"annotations\":[\(annotations.joined(separator: ","))],\"categories\":[{\"id\":1,\"name\":\"a\"}]}",
                                  to: directory, as: "bad.json").path
            let path = { (name: String) in directory.appendingPathComponent(name).path }
            try #require(try runCococonvert(["coco2png", input, path("plain"), "-q", "--on-error", "skip"]).status == 0)
            for i in 0..<2 {
                let run = try runCococonvert(["coco2png", input, path("split"), "-q", "--on-error", "skip", "--partitions", "2", "--partition", String(i)])
                try #require(run.status == 0, "\(run)")
            }
            try #require(try runCococonvert(["merge", path("split")]).status == 0)
            let resumed = try runCococonvert(["coco2png", input, path("resumed"), "-q", "--on-error", "skip", "--resume", "--checkpoint", "3"])
            try #require(resumed.status == 0, "\(resumed)")
            let expected = try Self.files(URL(fileURLWithPath: path("plain")))
            #expect(expected.count == 6)  // 5 PNGs and labels.json
            #expect(try Self.files(URL(fileURLWithPath: path("split"))) == expected)
            #expect(try Self.files(URL(fileURLWithPath: path("resumed"))) == expected)
        }
    }
}
