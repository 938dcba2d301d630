import Foundation
import Testing

/// Inputs built to hurt: they must be refused or handled in bounded time, never crash or stop a run
/// that was asked to skip bad items.
@Suite struct HostileInputCLITests {
    @Test("200,000 categories convert in linear time on every route (a category lookup per label was a scan)",
          arguments: FormatID.allCases.filter { canWrite($0) && $0 != .voc })
    func manyCategories(format: FormatID) throws {
        try withTemporaryDirectory { directory in
            var categories: [String] = []
            categories.reserveCapacity(200_000)
            for id in 1...200_000 { categories.append(#"{"id":\#(id),"name":"c\#(id)"}"#) }
            let json = #"{"images":[{"id":1,"file_name":"a.jpg","width":20,"height":10}],"annotations":[{"id":1,"image_id":1,"category_id":5,"iscrowd":0,"area":4,"bbox":[1,1,2,2],"segmentation":[[1,1,3,1,3,3,1,3]]}],"categories":[\#(categories.joined(separator: ","))]}"#
            let input = try write(json, to: directory, as: "many.json")
            let output = directory.appendingPathComponent(format.writesFile ? "out.json" : "out").path
            let run = try runCococonvert(["coco2\(format.rawValue)", input.path, output, "--on-error", "skip", "-q"], timeout: 90)
            #expect(run.status == 0, "\(run)")
        }
    }

    @Test("a file name too long for the file system is an item problem that --on-error skip leaves out",
          arguments: FormatID.allCases.filter(canWrite))
    func overlongFileName(format: FormatID) throws {
        try withTemporaryDirectory { directory in
            let long = String(repeating: "n", count: 300) + ".jpg"
            let images = [(1, "ok.jpg"), (2, long)].map { #"{"id":\#($0.0),"file_name":"\#($0.1)","width":8,"height":6}"# }
            let annotations = [1, 2].map {
                #"{"id":\#($0),"image_id":\#($0),"category_id":1,"iscrowd":0,"area":4,"bbox":[1,1,2,2],"segmentation":[[1,1,3,1,3,3,1,3]]}"#
            }
            let json = #"{"images":[\#(images.joined(separator: ","))],"annotations":[\#(annotations.joined(separator: ","))],"categories":[{"id":1,"name":"a"}]}"#
            let input = try write(json, to: directory, as: "long.json")
            let output = directory.appendingPathComponent(format.writesFile ? "out.json" : "out").path
            let run = try runCococonvert(["coco2\(format.rawValue)", input.path, output, "--on-error", "skip", "--image-mode", "none", "-q"]
                                             .filter { format == .voc || ($0 != "--image-mode" && $0 != "none") })
            #expect(run.status == 0, "\(run)")
            #expect(FileManager.default.fileExists(atPath: output))
        }
    }
}

@Suite struct SmallerHostileInputCLITests {
    @Test func tinyHDF5ChunksAreRefusedBeforeReading() throws {
        let run = try runCococonvert(["coco2hdf5", "/nonexistent/in.json", "/nonexistent/out", "--chunk", "1x1"])
        #expect(run.status == 64, "\(run)")
        #expect(run.stderr.contains("too small"), "\(run)")
    }

    @Test("inspect reports an info member nested deeper than conversions accept")
    func deepInfoIsAProblem() throws {
        try withTemporaryDirectory { directory in
            let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
            let input = try write(#"{"info":\#(deep),"images":[],"annotations":[],"categories":[]}"#, to: directory, as: "deep.json")
            let inspect = try runCococonvert(["inspect", input.path])
            #expect(inspect.status == 65, "\(inspect)")
            #expect(inspect.stdout.contains("nesting deeper"), "\(inspect)")
            let convert = try runCococonvert(["coco2coco", input.path, directory.appendingPathComponent("out.json").path])
            #expect(convert.status == 65, "\(convert)")
        }
    }

    @Test func aUsageErrorLeavesNoSkipReport() throws {
        try withTemporaryDirectory { directory in
            let output = directory.appendingPathComponent("out")
            let run = try runCococonvert(["coco2png", CLI.cocoMini.path, output.path, "--labels", "nosuch", "--on-error", "skip",
                                          "--skip-report", directory.appendingPathComponent("skips.jsonl").path])
            #expect(run.status == 64, "\(run)")
            #expect(tree(directory).isEmpty, "\(tree(directory))")
        }
    }
}
