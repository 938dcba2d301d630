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

/// Resource bombs: a tiny file that declares an enormous image is refused before anything of that
/// size is allocated (`--max-pixels`, default 2²⁸).
@Suite struct ResourceBombCLITests {
    static let bomb = #"{"images":[{"id":1,"file_name":"a.jpg","width":46340,"height":46340}],"annotations":[{"id":1,"image_id":1,"category_id":1,"iscrowd":0,"area":4,"bbox":[1,1,2,2],"segmentation":[[1,1,3,1,3,3,1,3]]}],"categories":[{"id":1,"name":"a"}]}"#

    @Test("a 46340×46340 image in a 260-byte file is an item problem, not 6 GB", arguments: FormatID.allCases.filter(canWrite))
    func hugeDeclaredImage(format: FormatID) throws {
        try withTemporaryDirectory { directory in
            let input = try write(Self.bomb, to: directory, as: "bomb.json")
            let output = directory.appendingPathComponent(format.writesFile ? "out.json" : "out").path
            let failing = try runCococonvert(["coco2\(format.rawValue)", input.path, output, "-q"])
            #expect(failing.status == 65, "\(failing)")
            #expect(failing.stderr.contains("limit"), "\(failing)")
            let skipping = try runCococonvert(["coco2\(format.rawValue)", input.path, output, "--on-error", "skip", "-q"])
            #expect(skipping.status == 0, "\(skipping)")
        }
    }

    @Test func maxPixelsMovesTheLimit() throws {
        try withTemporaryDirectory { directory in
            let input = try write(Self.bomb.replacingOccurrences(of: "46340", with: "100"), to: directory, as: "small.json")
            let refused = try runCococonvert(["coco2png", input.path, directory.appendingPathComponent("a").path, "--max-pixels", "9999", "-q"])
            #expect(refused.status == 65, "\(refused)")
            let accepted = try runCococonvert(["coco2png", input.path, directory.appendingPathComponent("b").path, "--max-pixels", "10000", "-q"])
            #expect(accepted.status == 0, "\(accepted)")
        }
    }

    @Test("a PNG label map whose header declares 46340×46340 is refused before decoding")
    func hugePNGHeader() throws {
        try withTemporaryDirectory { directory in
            let labels = directory.appendingPathComponent("labels")
            try FileManager.default.createDirectory(at: labels, withIntermediateDirectories: true)
            var ihdr: [UInt8] = Array("IHDR".utf8)
            for value in [46340, 46340] { ihdr += [UInt8(value >> 24), UInt8((value >> 16) & 255), UInt8((value >> 8) & 255), UInt8(value & 255)] }
            ihdr += [8, 0, 0, 0, 0]
            var png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13] + ihdr
            let crc = Self.crc32(ihdr)
            png += [UInt8(crc >> 24), UInt8((crc >> 16) & 255), UInt8((crc >> 8) & 255), UInt8(crc & 255)]
            // A tiny IDAT (an empty zlib stream): the header is read, then the size is refused.
            let idat: [UInt8] = Array("IDAT".utf8) + [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]
            let idatCRC = Self.crc32(idat)
            png += [0, 0, 0, 8] + idat + [UInt8(idatCRC >> 24), UInt8((idatCRC >> 16) & 255), UInt8((idatCRC >> 8) & 255), UInt8(idatCRC & 255)]
            png += [0, 0, 0, 0] + Array("IEND".utf8) + [0xAE, 0x42, 0x60, 0x82]
            try Data(png).write(to: labels.appendingPathComponent("1.png"))
            let categories = try write(#"{"images":[],"annotations":[],"categories":[{"id":1,"name":"a"}]}"#, to: directory, as: "c.json")
            let run = try runCococonvert(["png2coco", labels.path, directory.appendingPathComponent("out.json").path,
                                          "--category-file", categories.path, "-q"])
            #expect(run.status == 65, "\(run)")
            #expect(run.stderr.contains("more than the limit"), "\(run)")
        }
    }

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }
}
