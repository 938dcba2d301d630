import Foundation
import Testing

/// Paths of every shape a user may type (one character, trailing slash, `./`) work on every route;
/// Foundation's path methods trap on some of them, so none of those may be reached.
@Suite struct PathShapeCLITests {
    @Test(arguments: FormatID.allCases.filter(canWrite))
    func oneCharacterOutputPathWorks(format: FormatID) throws {
        try withTemporaryDirectory { directory in
            let input = directory.appendingPathComponent("a")
            try FileManager.default.copyItem(at: CLI.cocoMini, to: input)
            try FileManager.default.createSymbolicLink(at: directory.appendingPathComponent("val2017"),
                                                       withDestinationURL: CLI.cocoMini.deletingLastPathComponent()
                                                           .deletingLastPathComponent().appendingPathComponent("val2017"))
            let run = try runCococonvert(["coco2\(format.rawValue)", "a", "o", "--images", "val2017", "-q"], in: directory)
            #expect(run.status == 0, "\(run)")
            #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("o").path))
        }
    }

    @Test(arguments: ["o/", "./o", "./o/", "o//"])
    func trailingAndLeadingDotsWork(output: String) throws {
        try withTemporaryDirectory { directory in
            let run = try runCococonvert(["coco2png", CLI.cocoMini.path, output, "-q"], in: directory)
            #expect(run.status == 0, "\(run)")
            #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("o/labels.json").path), "\(tree(directory))")
        }
    }
}
