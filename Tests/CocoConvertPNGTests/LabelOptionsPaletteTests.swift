import CocoConvertCore
import CocoConvertLabels
import Foundation
import Testing

/// `--palette FILE` is read once, when the options are parsed: a bad file is a usage-time error, and
/// the writers get those colours without opening the file again.
@Suite struct LabelOptionsPaletteTests {
    @Test func aPaletteFileIsReadOnceWhenTheOptionsAreParsed() throws {
        let directory = try TestData.temporaryDirectory("palette")
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("colours.txt")
        try "0 0 0\n128 0 64\n".write(to: file, atomically: true, encoding: .utf8)
        let options = try LabelOptions(OptionValues(["palette": [file.path]]))
        // Gone after parsing: a second read would fail.
        try FileManager.default.removeItem(at: file)
        let palette = try options.palette(formatDefault: "voc")
        #expect(palette == [RGB(0, 0, 0), RGB(128, 0, 64)])
        #expect(options.paletteLabel(formatDefault: "voc") == file.path)
    }

    @Test func aBadPaletteFileFailsWhenTheOptionsAreParsed() throws {
        let error = #expect(throws: ConversionError.self) {
            _ = try LabelOptions(OptionValues(["palette": ["/nonexistent/colours.txt"]]))
        }
        #expect(error?.context.file == "/nonexistent/colours.txt")
    }

    @Test func namedPalettesNeedNoFile() throws {
        #expect(try LabelOptions(OptionValues(["palette": ["none"]])).palette(formatDefault: "voc") == nil)
        #expect(try LabelOptions(OptionValues(["palette": ["VOC"]])).palette(formatDefault: "none")?.count == 256)
        #expect(try LabelOptions(OptionValues([:])).palette(formatDefault: "none") == nil)
    }
}
