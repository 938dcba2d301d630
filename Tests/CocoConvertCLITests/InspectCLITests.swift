import Foundation
import Testing
@testable import CocoConvertCLI

/// `cococonvert inspect` on genuine COCO files, on broken ones and on HDF5 shards.
@Suite struct InspectCLITests {
    /// Images, annotation records and instances of a COCO file, counted with Foundation.
    static func expectedCounts(_ url: URL) throws -> (images: Int, annotations: Int, instances: Int) {
        let json = try foundationJSON(url)
        if let list = json as? [[String: Any]] {
            let images = Set(list.compactMap { ($0["image_id"] as? NSNumber)?.int64Value })
            return (images.count, list.count, list.count)
        }
        let object = try #require(json as? [String: Any])
        let images = (object["images"] as? [Any])?.count ?? 0
        let annotations = object["annotations"] as? [[String: Any]] ?? []
        let segments = annotations.compactMap { $0["segments_info"] as? [Any] }
        let instances = segments.isEmpty ? annotations.count : segments.reduce(0) { $0 + $1.count }
        return (images, annotations.count, instances)
    }

    @Test(arguments: CLI.realFiles)
    func jsonHasTheCounts(file: String) throws {
        let input = CLI.cocoReal.appendingPathComponent(file)
        let run = try runCococonvert(["inspect", "--json", input.path])
        #expect(run.status == 0, "\(run)")
        let report = try #require(try JSONSerialization.jsonObject(with: run.stdoutData) as? [String: Any],
                                  "stdout is not one JSON object\n\(run)")
        let expected = try Self.expectedCounts(input)
        #expect((report["images"] as? NSNumber)?.intValue == expected.images, "\(run.stdout.prefix(400))")
        #expect((report["annotations"] as? NSNumber)?.intValue == expected.annotations)
        #expect((report["instances"] as? NSNumber)?.intValue == expected.instances)
        #expect((report["problem_count"] as? NSNumber)?.intValue == 0)
    }

    @Test(arguments: CLI.realFiles)
    func tableNamesTheFileAndCounts(file: String) throws {
        let input = CLI.cocoReal.appendingPathComponent(file)
        let run = try runCococonvert(["inspect", input.path])
        #expect(run.status == 0, "\(run)")
        #expect(run.stdout.contains(input.path), "\(run)")
        let expected = try Self.expectedCounts(input)
        #expect(run.stdout.contains("images         \(expected.images)"), "\(run)")
        #expect(run.stdout.contains("problems: none found"), "\(run)")
    }

    @Test func deepInspectionOfARealFilePasses() throws {
        let input = CLI.cocoReal.appendingPathComponent("instances/annotations/instances_val2017.json")
        let run = try runCococonvert(["inspect", "--deep", "--json", input.path])
        #expect(run.status == 0, "\(run)")
        let report = try #require(try JSONSerialization.jsonObject(with: run.stdoutData) as? [String: Any])
        #expect(report["deep"] as? Bool == true)
    }

    @Test func problemsExit65AndAreListed() throws {
        try withTemporaryDirectory { directory in
            let input = try write(COCOFixture.file(images: [COCOFixture.image(1)],
                                                   annotations: [COCOFixture.polygon(10, image: 1), COCOFixture.polygon(11, image: 9)]),
                                  to: directory, as: "in.json")
            let run = try runCococonvert(["inspect", "--json", input.path])
            #expect(run.status == 65, "\(run)")
            let report = try #require(try JSONSerialization.jsonObject(with: run.stdoutData) as? [String: Any], "\(run)")
            #expect((report["problem_count"] as? NSNumber)?.intValue == 1)
            let problems = try #require(report["problems"] as? [[String: Any]])
            #expect((problems.first?["annotation_id"] as? NSNumber)?.intValue == 11)
        }
    }

    @Test func truncatedFileExits65NamingTheFile() throws {
        try withTemporaryDirectory { directory in
            let whole = COCOFixture.threeGoodImages
            let input = try write(String(whole.prefix(whole.count / 2)), to: directory, as: "in.json")
            let run = try runCococonvert(["inspect", input.path])
            #expect(run.status == 65, "\(run)")
            #expect(run.stderr.contains(input.path), "\(run)")
        }
    }

    @Test func missingFileExits65() throws {
        let run = try runCococonvert(["inspect", "/nonexistent/instances.json"])
        #expect(run.status == 65, "\(run)")
        #expect(run.stderr.contains("/nonexistent/instances.json"), "\(run)")
    }

    @Test(.enabled(if: canWrite(.hdf5)))
    func hdf5ShardDirectory() throws {
        try withTemporaryDirectory { directory in
            let shards = directory.appendingPathComponent("shards")
            let convert = try runCococonvert(["coco2hdf5", CLI.cocoMini.path, shards.path, "--shard", "3", "-q"])
            #expect(convert.status == 0, "\(convert)")
            let run = try runCococonvert(["inspect", "--json", shards.path])
            #expect(run.status == 0, "\(run)")
            let report = try #require(try JSONSerialization.jsonObject(with: run.stdoutData) as? [String: Any], "\(run)")
            let samples = (report["samples"] as? NSNumber) ?? (report["images"] as? NSNumber)
            #expect(samples?.intValue == 8, "\(run.stdout)")
            #expect((report["instances"] as? NSNumber)?.intValue == 172, "\(run.stdout)")
        }
    }
}
