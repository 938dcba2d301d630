import CocoConvertCore
import CocoConvertPNG
import Foundation
import Testing
@testable import CocoConvertPictures

/// Picture decoding, the bitmap font and the sheet layout.
@Suite struct PicturesTests {
    static let root: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url
    }()
    static let images = root.appendingPathComponent("examples/coco-mini/val2017")

    @Test(arguments: ["000000160012.jpg", "000000349184.jpg", "000000434204.jpg"])
    func jpegDecodesToTheSizeItsHeaderDeclares(name: String) throws {
        let path = Self.images.appendingPathComponent(name).path
        let header = try #require(JPEGHeader(file: path))
        let picture = try #require(try PictureDecoder.decode(.file(path)))
        #expect(picture.width == header.width && picture.height == header.height)
        #expect(picture.pixels.count == header.width * header.height * 3)
        // A photograph, not a blank buffer.
        #expect(Set(picture.pixels.prefix(30_000)).count > 50)
    }

    @Test func truncatedJPEGIsAMalformedInputNamingTheFile() throws {
        let path = Self.images.appendingPathComponent("000000160012.jpg").path
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        for cut in [bytes.count / 2, 600, 3] {
            do {
                _ = try PictureDecoder.decode(bytes: Array(bytes.prefix(cut)), file: "cut.jpg")
                Issue.record("a JPEG cut to \(cut) bytes decoded")
            } catch let error as ConversionError {
                #expect(error.code == .malformedInput || error.code == .unsupported, "cut \(cut): \(error.code) \(error)")
                #expect(error.context.file == "cut.jpg" || cut == 3)
            }
        }
    }

    @Test func pngPicturesComeThroughAsRGB() throws {
        // A 2×1 palette PNG: index 1 and 2 of the VOC palette.
        let map = LabelMap(width: 2, height: 1, pixels: [1, 2])
        let png = try PNGEncoder.encode(labelMap: map, palette: Palette.voc)
        let picture = try PictureDecoder.decode(bytes: png, file: nil)
        #expect(picture[0, 0] == Palette.voc[1])
        #expect(picture[1, 0] == Palette.voc[2])
    }

    @Test func everyPrintableCharacterHasItsOwnGlyph() {
        var seen: [[UInt8]: Character] = [:]
        for code in 33...126 {
            let c = Character(UnicodeScalar(UInt8(code)))
            let rows = BitmapFont.rows(of: c)
            #expect(rows.count == BitmapFont.glyphHeight)
            #expect(rows.allSatisfy { $0 < 32 }, "\(c) is wider than 5")
            #expect(rows.contains { $0 != 0 }, "\(c) is blank")
            if let other = seen[rows] { Issue.record("\(c) looks like \(other)") }
            seen[rows] = c
        }
        #expect(BitmapFont.rows(of: " ").allSatisfy { $0 == 0 })
        #expect(BitmapFont.rows(of: "é") == BitmapFont.rows(of: "?"))
        #expect(BitmapFont.width(of: "abc", scale: 2) == (3 * 6 - 1) * 2)
    }

    @Test func textLandsWhereTheGlyphSays() {
        var canvas = Canvas(width: 12, height: 9, color: RGB(0, 0, 0))
        canvas.text("T", x: 1, y: 1, RGB(255, 255, 255))
        // T: the top row full, then the middle column.
        for x in 1...5 { #expect(canvas.image[x, 1] == RGB(255, 255, 255)) }
        #expect(canvas.image[3, 4] == RGB(255, 255, 255))
        #expect(canvas.image[1, 4] == RGB(0, 0, 0))
        #expect(canvas.image[0, 0] == RGB(0, 0, 0))
    }

    @Test func sheetLayoutIsARowMajorGrid() {
        let layout = SheetLayout(count: 5, cellWidth: 100, cellHeight: 80)
        #expect(layout.columns == 3 && layout.rows == 2)
        #expect(layout.width == 8 + 3 * 108)
        #expect(layout.height == 8 + 2 * (80 + 20 + 8))
        #expect(layout.origin(of: 0) == (8, 8))
        #expect(layout.origin(of: 4) == (8 + 108, 8 + 108))
        #expect(SheetLayout(count: 1, cellWidth: 10, cellHeight: 10, columns: 4).columns == 1)
    }
}
