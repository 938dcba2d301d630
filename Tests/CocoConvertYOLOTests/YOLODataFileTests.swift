import CocoConvertCore
import Foundation
import Testing
@testable import CocoConvertYOLO

@Suite struct YOLODataFileTests {
    static func read(_ text: String) throws -> YOLODataFile {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("data-\(UUID().uuidString).yaml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try YOLODataFile.read(path)
    }

    @Test func ultralyticsForms() throws {
        // A block map of names with comments, as Ultralytics' own coco.yaml writes it.
        let block = try Self.read("""
            # COCO 2017
            path: ../datasets/coco  # dataset root
            train: train2017.txt
            val: val2017.txt
            names:
              0: person
              1: bicycle # two wheels
              2: 'traffic light'
            """)
        #expect(block.names == ["person", "bicycle", "traffic light"])
        #expect(block.splits["train"] == ["train2017.txt"])
        #expect(block.path == "../datasets/coco")
        // Flow list of names and a list of training directories.
        let flow = try Self.read("train: [images/a, images/b]\nval: images/v\nnc: 2\nnames: ['cat', \"dog\"]\n")
        #expect(flow.names == ["cat", "dog"])
        #expect(flow.splits["train"] == ["images/a", "images/b"])
        // nc without names.
        #expect(try Self.read("train: t\nval: v\nnc: 3\n").names == ["class_0", "class_1", "class_2"])
    }

    @Test func ourOwnFileReadsBack() throws {
        let file = YOLODataFile(splits: ["train": ["images/train2017"], "val": ["images/val2017"]],
                                names: ["person", "a: \"quoted\" name", "ünïcode"], categoryIDs: [1, 7, 90])
        let back = try Self.read(file.text)
        #expect(back.names == file.names)
        #expect(back.categoryIDs == [1, 7, 90])
        #expect(back.splits == file.splits)
        #expect(back.path == nil)
    }

    /// A dataset without categories (fuzz target `yolo`, formats/fuzz/yolo/crash-no-names-write-back):
    /// `names:` with nothing under it is YAML null, which the reader refuses; `names: {}` reads back.
    @Test func noNamesReadsBack() throws {
        let file = YOLODataFile(splits: ["train": ["images/train"]], names: [])
        #expect(file.text.contains("names: {}"))
        let back = try Self.read(file.text)
        #expect(back.names.isEmpty)
        #expect(back.splits == file.splits)
    }

    /// YAML 1.1 base-60 numbers (`1:30`) are not class counts, indices or ids here: Yams' own
    /// integer reading traps when one overflows (fuzz target `yolo`,
    /// formats/fuzz/yolo/crash-sexagesimal-nc-overflow), so only decimal numbers are read.
    @Test func baseSixtyNumbersAreNotReadAsIntegers() throws {
        let huge = Array(repeating: "99999", count: 12).joined(separator: ":")
        #expect(try Self.read("nc: \(huge)\n").names.isEmpty)
        #expect(try Self.read("nc: 1:30\n").names.isEmpty)
        #expect(try Self.read("nc: 3\n").names == ["class_0", "class_1", "class_2"])
        #expect(try Self.read("names: {0: a, '1': b}\ncategory_ids: [4, \(huge)]\n").categoryIDs == nil)
        #expect(try Self.read("names: {0: a, +1: b}\ncategory_ids: [4, 9]\n").categoryIDs == [4, 9])
        #expect(throws: ConversionError.self) { try Self.read("names: {\(huge): a}\n") }
    }

    /// Brackets inside quoted names and comments are not nesting: every name `text` writes reads back
    /// (fuzz target `yolo`, formats/fuzz/yolo/crash-escaped-quote-then-brackets: a name with `"` and
    /// many `[` was written as `"a\"[[[…"` and then refused as too deeply nested).
    @Test func bracketsInQuotedNamesAndCommentsReadBack() throws {
        let deep = String(repeating: "[", count: 100)
        let file = YOLODataFile(splits: ["train": ["images/train"]],
                                names: ["a\"" + deep, "it's " + deep, "'" + String(repeating: "{", count: 100), "#" + deep, "\\" + deep])
        #expect(try Self.read(file.text).names == file.names)
        #expect(try Self.read("# \(deep)\nnames: ['\(deep)', \"x\\\"\(deep)\", 'it''s \(deep)']  # \(deep)\n").names
                == [deep, "x\"" + deep, "it's " + deep])
    }

    /// A quote inside a plain scalar starts nothing, so it cannot hide brackets YAML nests.
    @Test(arguments: [
        "names: [it's, ",
        "key: a, 'b\nnames: ",
        "key: abc\n  'def\nnames: ",
        "names: [a ? 'b, ",
        "key: x'y\nnames: ",
        "key: \"a\\\n",
        "key: a\"b\nnames: ",
        "names: [a\"b, ",
    ])
    func quotesInPlainScalarsDoNotHideNesting(prefix: String) {
        do {
            _ = try Self.read(prefix + String(repeating: "[", count: 100_000))
            Issue.record("accepted: \(prefix)")
        } catch {
            #expect("\(error)".contains("deeper than"), "\(error)")
        }
    }

    @Test(arguments: [
        ("names: [a, b\n", "not valid YAML"),
        ("- just\n- a list\n", "not a mapping"),
        (String(repeating: "[", count: 100_000), "deeper than"),
        ("names: {x: a}\n", "not a class index"),
        ("names: 7\n", "neither a list nor a map"),
        ("", "empty"),
    ])
    func badFilesAreExplained(text: String, says: String) {
        do {
            _ = try Self.read(text)
            Issue.record("accepted: \(text.prefix(40))")
        } catch let error as ConversionError {
            #expect("\(error)".contains(says), "\(error)")
        } catch {
            Issue.record("\(error)")
        }
    }
}
