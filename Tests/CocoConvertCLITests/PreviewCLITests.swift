import CocoConvertCore
import CocoConvertPNG
import Foundation
import Testing

/// `cococonvert preview`: sheet geometry, sample choice, and bad pictures marked rather than fatal.
/// (Mask colours over the right pixels are checked against pycocotools in Tests/interop/preview_check.py.)
@Suite struct PreviewCLITests {
    static let margin = 8, caption = 20

    static func sheet(_ url: URL) throws -> DecodedPNG {
        try PNGDecoder.decode(file: url.path)
    }

    static func pixel(_ png: DecodedPNG, _ x: Int, _ y: Int) -> RGB {
        let i = (y * png.width + x) * png.channels
        return RGB(UInt8(png.samples[i]), UInt8(png.samples[i + 1]), UInt8(png.samples[i + 2]))
    }

    @Test func oneImageAtFullScaleIsItsOwnSize() throws {
        try withTemporaryDirectory { directory in
            let out = directory.appendingPathComponent("one.png")
            // 357888 is 640×480 in coco-mini.
            let run = try runCococonvert(["preview", CLI.cocoMini.path, out.path, "--ids", "357888", "--scale", "1"])
            #expect(run.status == 0, "\(run)")
            let png = try Self.sheet(out)
            #expect(png.width == Self.margin + 640 + Self.margin)
            #expect(png.height == Self.margin + 480 + Self.caption + Self.margin)
            #expect(png.colorType == .rgb)
            #expect(run.stderr.contains("1 tile(s)"), "\(run)")
        }
    }

    @Test func randomChoiceIsRepeatableAndIDsKeepTheirOrder() throws {
        try withTemporaryDirectory { directory in
            let a = directory.appendingPathComponent("a.png"), b = directory.appendingPathComponent("b.png")
            for out in [a, b] {
                let run = try runCococonvert(["preview", CLI.cocoMini.path, out.path, "--samples", "3", "--random", "7", "--tile", "64"])
                #expect(run.status == 0, "\(run)")
            }
            #expect(try Data(contentsOf: a) == Data(contentsOf: b), "the same seed draws the same sheet")
            let missing = try runCococonvert(["preview", CLI.cocoMini.path, a.path, "--ids", "357888,42"])
            #expect(missing.status == 65, "\(missing)")
            #expect(missing.stderr.contains("42"), "\(missing)")
        }
    }

    /// A copy of coco-mini whose first picture is truncated, second missing and third of the wrong size.
    @Test func badPicturesAreMarkedAndNamed() throws {
        try withTemporaryDirectory { directory in
            let root = directory.appendingPathComponent("mini")
            let source = CLI.repositoryRoot.appendingPathComponent("examples/coco-mini")
            try FileManager.default.copyItem(at: source, to: root)
            let images = root.appendingPathComponent("val2017")
            // First three images in file order: 166918 (480×640), 357888 (640×480), 184324 (640×425).
            let truncated = images.appendingPathComponent("000000166918.jpg")
            let bytes = try Data(contentsOf: truncated)
            try bytes.prefix(bytes.count / 3).write(to: truncated)
            try FileManager.default.removeItem(at: images.appendingPathComponent("000000357888.jpg"))
            // A picture of another size in place of 184324: 357888's sibling 520707 is 640×480.
            try FileManager.default.removeItem(at: images.appendingPathComponent("000000184324.jpg"))
            try FileManager.default.copyItem(at: images.appendingPathComponent("000000520707.jpg"),
                                             to: images.appendingPathComponent("000000184324.jpg"))
            let out = directory.appendingPathComponent("sheet.png")
            let run = try runCococonvert(["preview", root.appendingPathComponent("annotations/instances_val2017.json").path,
                                          out.path, "--samples", "4", "--tile", "100", "--columns", "4"])
            #expect(run.status == 65, "\(run)")
            #expect(run.stderr.contains("image 166918"), "\(run)")
            #expect(run.stderr.contains("image 357888"), "\(run)")
            #expect(run.stderr.contains("image 184324") && run.stderr.contains("640×480"), "\(run)")
            #expect(!run.stderr.contains("image 520707"), "the good tile is not marked\n\(run)")
            #expect(run.stderr.contains("3 marked bad"), "\(run)")
            let png = try Self.sheet(out)
            #expect(png.width == Self.margin + 4 * (100 + Self.margin))
            // Bad tiles carry a red frame at their top-left corner; the good one does not.
            for index in 0..<4 {
                let corner = Self.pixel(png, Self.margin + index * (100 + Self.margin) + 1, Self.margin + 1)
                #expect((corner == RGB(200, 0, 0)) == (index < 3), "tile \(index) corner \(corner)")
            }
        }
    }

    @Test func badCommandLines() throws {
        try withTemporaryDirectory { directory in
            let notPNG = try runCococonvert(["preview", CLI.cocoMini.path, directory.appendingPathComponent("x.jpg").path])
            #expect(notPNG.status == 64, "\(notPNG)")
            let both = try runCococonvert(["preview", CLI.cocoMini.path, directory.appendingPathComponent("x.png").path,
                                           "--ids", "1", "--random", "3"])
            #expect(both.status == 64, "\(both)")
            let dir = try runCococonvert(["preview", CLI.cocoMini.path, directory.path + ".png/"])
            #expect(dir.status != 0)
        }
    }
}
