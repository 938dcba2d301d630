import CocoConvertCore
import Testing
@testable import CocoConvertVOC

@Suite struct VOCLabelMapTests {
    @Test func readsFixtureWrittenByPython() throws {
        let bytes = try Fixtures.bytes(Fixtures.voc.appendingPathComponent("rgb/labelmap.txt"))
        let map = try VOCLabelMap(parsing: bytes, file: "labelmap.txt")
        #expect(map.labels.count == 21)
        #expect(map.labels[0] == VOCLabel(name: "background", color: RGB(0, 0, 0)))
        // make_fixture.py: colour of label i is (i*37 % 256, (i*91+40) % 256, (i*53+7) % 256).
        #expect(map.labels[15].name == "person")
        #expect(map.labels[15].color == RGB(UInt8(15 * 37 % 256), UInt8((15 * 91 + 40) % 256), UInt8((15 * 53 + 7) % 256)))
    }

    @Test func roundTripsNamesColoursPartsAndActions() throws {
        let map = VOCLabelMap(labels: [
            VOCLabel(name: "background", color: RGB(0, 0, 0)),
            VOCLabel(name: "traffic light", color: nil),
            VOCLabel(name: "person", color: RGB(192, 128, 128), parts: ["head", "hand"], actions: ["jumping"]),
        ])
        let text = try map.text()
        #expect(text.hasPrefix("# label:color_rgb:parts:actions\n"))
        #expect(text.contains("traffic light:128,0,0::\n"))  // a missing colour is written as the VOC colour
        #expect(text.contains("person:192,128,128:head,hand:jumping\n"))
        let back = try VOCLabelMap(parsing: Array(text.utf8), file: "x")
        #expect(back.labels.map(\.name) == map.labels.map(\.name))
        #expect(back.labels[1].color == RGB(128, 0, 0))
        #expect(back.labels[2] == map.labels[2])
    }

    @Test func acceptsEmptyFieldsCommentsAndCRLF() throws {
        let text = "# comment\r\nbackground:::\r\n\r\ncat: 64 , 0 , 0 ::\r\n"
        let map = try VOCLabelMap(parsing: Array(text.utf8), file: "x")
        #expect(map.labels == [VOCLabel(name: "background", color: nil), VOCLabel(name: "cat", color: RGB(64, 0, 0))])
        #expect(map.color(at: 0) == RGB(0, 0, 0))
    }

    @Test(arguments: [
        "cat:1,2,3:\n",            // 3 fields
        "cat:1,2,3:::\n",          // 5 fields
        "cat:1,2::\n",             // 2 colour values
        "cat:1,2,300::\n",         // out of range
        "cat:a,b,c::\n",
        "cat:::\ncat:::\n",        // duplicate
        ":1,2,3::\n",              // empty name
    ])
    func rejectsMalformedLines(text: String) {
        #expect(throws: ConversionError.self) { try VOCLabelMap(parsing: Array(text.utf8), file: "labelmap.txt") }
    }

    @Test func errorNamesFileAndLine() {
        do {
            _ = try VOCLabelMap(parsing: Array("background:::\nbad line\n".utf8), file: "lm.txt")
            Issue.record("no error")
        } catch let error as ConversionError {
            #expect(error.context.file == "lm.txt")
            #expect(error.context.byteOffset == 14)
            #expect(error.message.contains("line 2"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test(arguments: ["a:b", "#hash", "", " padded", "two\nlines"])
    func refusesUnwritableNames(name: String) {
        let map = VOCLabelMap(labels: [VOCLabel(name: name, color: nil)])
        #expect(throws: ConversionError.self) { try map.text() }
    }

    @Test func placeholderNamesAreRecognised() {
        #expect(VOCLabelMap.placeholderName(12) == "__unused_12__")
        #expect(VOCLabelMap.isPlaceholder(VOCLabelMap.placeholderName(12)))
        #expect(!VOCLabelMap.isPlaceholder("__unused___"))
        #expect(!VOCLabelMap.isPlaceholder("__unused_x__"))
        #expect(!VOCLabelMap.isPlaceholder("person"))
    }
}
