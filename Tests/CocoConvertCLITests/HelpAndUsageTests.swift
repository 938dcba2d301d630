import Foundation
import Testing
@testable import CocoConvertCLI

/// Help, version, `formats`, and what a mistyped command line gets told.
@Suite struct HelpAndUsageTests {
    @Test func rootHelpShowsEveryRouteSpellingAndTheQuotingAdvice() throws {
        let run = try runCococonvert(["--help"])
        #expect(run.status == 0, "\(run)")
        #expect(run.stdout.contains("USAGE: cococonvert <from>2<to> <input>... <output>"), "\(run)")
        for spelling in ["coco2voc", "coco:voc", "convert --from coco --to voc", "'coco->voc'", "quote"] {
            #expect(run.stdout.contains(spelling), "root help lacks \(spelling)\n\(run)")
        }
        for command in ["convert", "inspect", "formats"] {
            #expect(run.stdout.contains(command), "\(run)")
        }
    }

    @Test func noArgumentsShowsTheHelp() throws {
        let run = try runCococonvert([])
        #expect(run.status == 0, "\(run)")
        #expect(run.stdout.contains("coco2voc"), "\(run)")
    }

    @Test func versionPrintsTheVersion() throws {
        let run = try runCococonvert(["--version"])
        #expect(run.status == 0, "\(run)")
        #expect(run.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == cococonvertVersion)
    }

    @Test func formatsListsEveryFormatAndTheRouteForm() throws {
        let run = try runCococonvert(["formats"])
        #expect(run.status == 0, "\(run)")
        for format in FormatID.allCases {
            #expect(run.stdout.contains(format.rawValue), "\(run)")
        }
        #expect(run.stdout.contains("<from>2<to>"), "\(run)")
        // The from/to lines name exactly what this build reads and writes.
        let readable = FormatID.allCases.filter(canRead).map(\.rawValue).joined(separator: ", ")
        let writable = FormatID.allCases.filter(canWrite).map(\.rawValue).joined(separator: ", ")
        #expect(run.stdout.contains("from: " + readable), "\(run)")
        #expect(run.stdout.contains("to:   " + writable), "\(run)")
    }

    @Test func convertHelpShowsShorthandsQuotingExitCodesAndOptions() throws {
        let run = try runCococonvert(["convert", "--help"])
        #expect(run.status == 0, "\(run)")
        for text in ["coco2voc", "coco:voc", "'coco->voc'", "redirection", "--on-error", "--skip-report", "--jobs",
                     "--quiet", "skipped.jsonl", "64", "65", "coco2voc --help"] {
            #expect(run.stdout.contains(text), "convert help lacks \(text)\n\(run)")
        }
    }

    @Test func routeHelpShowsOnlyThatRoutesOptions() throws {
        let run = try runCococonvert(["coco2coco", "--help"])
        #expect(run.status == 0, "\(run)")
        for text in ["--on-error", "--segmentation", "--recompute", "--images", "64", "65"] {
            #expect(run.stdout.contains(text), "coco2coco help lacks \(text)\n\(run)")
        }
        for text in ["--layout", "--schema", "--labels", "--shard"] {
            #expect(!run.stdout.contains(text), "coco2coco help lists \(text)\n\(run)")
        }
        // Every route also lists the options every route shares (output modes, subsets, progress,
        // report, partitions: about 50 lines); the rest is the route's own.
        #expect(run.stdout.split(separator: "\n").count < 90, "\(run)")
    }

    @Test func inspectHelpDescribesJSONAndDeep() throws {
        let run = try runCococonvert(["inspect", "--help"])
        #expect(run.status == 0, "\(run)")
        for text in ["--json", "--deep", "65"] {
            #expect(run.stdout.contains(text), "\(run)")
        }
    }

    @Test func unquotedArrowExits64AndExplainsQuoting() throws {
        // `cococonvert coco->voc in out` reaches us as `coco- in out` (the shell redirected to `voc`).
        let run = try runCococonvert(["coco-", "in.json", "out"])
        #expect(run.status == 64, "\(run)")
        #expect(run.stdout.isEmpty, "\(run)")
        for text in ["'coco->voc'", "coco2voc", "redirection", "quote"] {
            #expect(run.stderr.lowercased().contains(text.lowercased()), "stderr lacks \(text)\n\(run)")
        }
    }

    @Test(arguments: [("coco2xyz", "'xyz' is not a format"), ("xyz2voc", "'xyz' is not a format"),
                      ("coco:nope", "'nope' is not a format"), ("inspct", "is not a command")])
    func unknownRouteOrCommandIsAClearUsageError(word: String, says: String) throws {
        let run = try runCococonvert([word, "in.json", "out"])
        #expect(run.status == 64, "\(run)")
        #expect(run.stderr.contains(says), "\(run)")
        #expect(run.stderr.contains("coco, png, voc, hdf5, tfrecord"), "\(run)")
        #expect(!run.stderr.contains("unexpected argument"), "\(run)")
    }

    @Test func unknownFormatInConvertNamesTheChoices() throws {
        let run = try runCococonvert(["convert", "--from", "coco", "--to", "xyz", "in.json", "out"])
        #expect(run.status == 64, "\(run)")
        #expect(run.stderr.contains("xyz"), "\(run)")
        #expect(run.stderr.contains("tfrecord"), "\(run)")
    }

    @Test func missingArgumentsAreUsageErrors() throws {
        let run = try runCococonvert(["coco2coco", "in.json"])
        #expect(run.status == 64, "\(run)")
        #expect(run.stderr.contains("<output>"), "\(run)")
        #expect(run.stderr.contains("cococonvert coco2coco <input> <output>"), "the usage shows the route form\n\(run)")
    }

    @Test(arguments: [["--jobs", "0"], ["--jobs", "100000"], ["--shard", "0"], ["--on-error", "maybe"],
                      ["--segmentation", "mask"], ["--skip-report", "r.jsonl"]])
    func badOptionValuesAreUsageErrors(options: [String]) throws {
        try withTemporaryDirectory { directory in
            let input = try write(COCOFixture.threeGoodImages, to: directory, as: "in.json")
            let output = directory.appendingPathComponent("out.json")
            let run = try runCococonvert(["coco2coco", input.path, output.path] + options)
            #expect(run.status == 64, "\(options) \(run)")
            #expect(run.stderr.contains(options[0]), "\(run)")
            #expect(!FileManager.default.fileExists(atPath: output.path))
        }
    }

    @Test func unsupportedWriterSaysSoBeforeReading() throws {
        guard let missing = FormatID.allCases.first(where: { !canWrite($0) }) else { return }
        let run = try runCococonvert(["coco2\(missing.rawValue)", "/nonexistent.json", "out"])
        #expect(run.status == 64, "\(run)")
        #expect(run.stderr.contains("\(missing.rawValue) cannot be written"), "\(run)")
    }

    @Test func cocoOutputThatIsADirectoryIsAUsageError() throws {
        try withTemporaryDirectory { directory in
            let input = try write(COCOFixture.threeGoodImages, to: directory, as: "in.json")
            let run = try runCococonvert(["coco2coco", input.path, directory.path])
            #expect(run.status == 64, "\(run)")
            #expect(run.stderr.contains("is a directory"), "\(run)")
            #expect(run.stderr.contains("instances.json"), "\(run)")
            #expect(tree(directory) == ["in.json"])
        }
    }

    @Test func writingOverTheInputIsRefused() throws {
        try withTemporaryDirectory { directory in
            let text = COCOFixture.threeGoodImages
            let input = try write(text, to: directory, as: "in.json")
            let run = try runCococonvert(["coco2coco", input.path, directory.path + "/./in.json"])
            #expect(run.status == 64, "\(run)")
            #expect(run.stderr.contains("is the input file"), "\(run)")
            #expect(try String(contentsOf: input, encoding: .utf8) == text)
        }
    }

    @Test func directoryOutputThatIsAFileIsAUsageError() throws {
        guard let target = FormatID.allCases.first(where: { $0 != .coco && canWrite($0) }) else { return }
        try withTemporaryDirectory { directory in
            let input = try write(COCOFixture.threeGoodImages, to: directory, as: "in.json")
            let file = try write("keep me", to: directory, as: "out")
            let run = try runCococonvert(["coco2\(target.rawValue)", input.path, file.path])
            #expect(run.status == 64, "\(run)")
            #expect(run.stderr.contains("is a file"), "\(run)")
            #expect(try String(contentsOf: file, encoding: .utf8) == "keep me")
        }
    }

    @Test("option conflicts and foreign options exit 64 before the input is read")
    func conflictsAreFoundBeforeReading() throws {
        try withTemporaryDirectory { directory in
            let bad = try write("{ this is not JSON", to: directory, as: "bad.json")
            let output = directory.appendingPathComponent("out")
            for (arguments, says) in [(["coco2tfrecord", bad.path, output.path, "--shard", "5", "--num-shards", "2"], "cannot be used together"),
                                      (["coco2png", bad.path, output.path, "--schema", "od"], "does not apply to coco2png"),
                                      (["coco2voc", bad.path, output.path, "--kind", "panoptic"], "does not apply to coco2voc"),
                                      (["coco2png", bad.path, output.path, "--layout", "devkit"], "writing voc")] {
                let run = try runCococonvert(arguments)
                #expect(run.status == 64, "\(arguments)\n\(run)")
                #expect(run.stderr.contains(says), "\(arguments)\n\(run)")
                #expect(!FileManager.default.fileExists(atPath: output.path))
            }
        }
    }
}
