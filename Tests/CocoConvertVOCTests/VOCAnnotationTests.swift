import CocoConvertCore
import Foundation
import Testing
@testable import CocoConvertVOC

@Suite struct VOCAnnotationTests {
    static let tricky = "a<b>&\"c\" 'd' \u{1}é"

    @Test func escapesMarkupAndDropsControlCharacters() {
        #expect(VOCXMLElement.escape("a<b>&\"c\" 'd'") == "a&lt;b&gt;&amp;&quot;c&quot; &apos;d&apos;")
        #expect(VOCXMLElement.escape("x\u{1}\u{1F}y\tz\n") == "xy\tz\n")
        #expect(VOCXMLElement.escape("żółw") == "żółw")
    }

    @Test func writesAndReadsBackEveryField() throws {
        let annotation = VOCAnnotation(
            folder: "VOC2012", filename: "x&y.jpg", database: "COCO <2017>", width: 640, height: 427, depth: 3,
            segmented: true,
            objects: [
                VOCObject(name: Self.tricky, truncated: true, difficult: false, occluded: true,
                          box: VOCBox(xmin: 1, ymin: 2, xmax: 640, ymax: 427)),
                VOCObject(name: "person", difficult: true, box: VOCBox(xmin: 3, ymin: 4, xmax: 5, ymax: 6),
                          attributes: [VOCAttribute(name: "is_crowd", value: "1")]),
            ])
        let xml = annotation.xmlText()
        let back = try VOCAnnotation(parsing: Array(xml.utf8), file: "a.xml")
        var expected = annotation
        expected.objects[0].name = "a<b>&\"c\" 'd' é"  // the control character cannot be written
        #expect(back == expected)
    }

    @Test func readsFixtureWrittenByElementTree() throws {
        let url = Fixtures.voc.appendingPathComponent("plain/Annotations/2007_000001.xml")
        let annotation = try VOCAnnotation(parsing: try Fixtures.bytes(url), file: url.path)
        #expect(annotation.filename == "2007_000001.jpg")
        #expect(annotation.width == 12 && annotation.height == 8 && annotation.depth == 3)
        #expect(annotation.segmented)
        #expect(annotation.objects.map(\.name) == ["aeroplane", "bicycle", "aeroplane", "bird"])
        #expect(annotation.objects[1].box == VOCBox(xmin: 7, ymin: 5, xmax: 10, ymax: 7))
        #expect(annotation.objects[1].pose == "Unspecified")
    }

    @Test func parsesCommentsCDATAReferencesAndAttributes() throws {
        let text = """
        \u{FEFF}<?xml version="1.0"?>
        <!DOCTYPE annotation [ <!ELEMENT annotation ANY> ]>
        <!-- a comment -->
        <annotation kind='x'>
          <filename><![CDATA[a<b>.jpg]]></filename>
          <folder>&#65;&#x42;&lt;</folder>
          <size><width>10.0</width><height>5</height></size>
          <object><name>cat</name><difficult/><bndbox><xmin>1.5</xmin><ymin>2</ymin><xmax>3</xmax><ymax>4</ymax></bndbox></object>
        </annotation>
        """
        let root = try VOCXMLElement.parse(Array(text.utf8), file: "t.xml")
        #expect(root.attributes == ["kind": "x"])
        let annotation = try VOCAnnotation(parsing: Array(text.utf8), file: "t.xml")
        #expect(annotation.filename == "a<b>.jpg")
        #expect(annotation.folder == "AB<")
        #expect(annotation.width == 10 && annotation.height == 5 && annotation.depth == nil)
        #expect(annotation.objects.first?.box?.xmin == 1.5)
        #expect(annotation.objects.first?.difficult == false)
    }

    @Test(arguments: [
        "<annotation><a></b></annotation>",
        "<annotation><a>",
        "<annotation>&bogus;</annotation>",
        "<annotation>&#0;</annotation>",
        "<annotation>a & b</annotation>",
        "<annotation></annotation><second/>",
        "text<annotation/>",
        "",
        "<annotation><!-- unterminated </annotation>",
        "<annotation x=1></annotation>",
        "<annotation><object><name>a</name><bndbox><xmin>x</xmin></bndbox></object></annotation>",
        "<annotation><object><pose>Left</pose></object></annotation>",
        "<annotation><segmented>2</segmented></annotation>",
        "<notannotation/>",
    ])
    func rejectsMalformedDocuments(text: String) {
        #expect(throws: ConversionError.self) { try VOCAnnotation(parsing: Array(text.utf8), file: "bad.xml") }
    }

    /// XML 1.0 has no C0 controls but tab, LF and CR, raw or as references: a name made of them was read,
    /// then written without them (``VOCXMLElement/escape(_:)``) as an object with no name (found by
    /// `./dev fuzz voc`; formats/voc/bad/fuzz-nul-in-name.xml).
    @Test(arguments: ["<annotation>a\u{0}b</annotation>", "<annotation>\u{1F}</annotation>",
                      "<annotation x='\u{7}'/>", "<annotation>&#1;</annotation>", "<annotation>&#xFFFE;</annotation>"])
    func rejectsCharactersXMLForbids(text: String) {
        #expect(throws: ConversionError.self) { try VOCXMLElement.parse(Array(text.utf8), file: "bad.xml") }
    }

    @Test func fuzzFoundNulInNameIsRejectedWithItsOffset() throws {
        let url = Fixtures.voc.appendingPathComponent("bad/fuzz-nul-in-name.xml")
        let bytes = try Fixtures.bytes(url)
        do {
            _ = try VOCAnnotation(parsing: bytes, file: url.path)
            Issue.record("no error")
        } catch let error as ConversionError {
            #expect(error.code == .malformedInput)
            #expect(error.context.byteOffset == bytes.firstIndex(of: 0))
        }
        let allowed = try VOCXMLElement.parse(Array("<a>x\ty\r\nz&#9;&#10;</a>".utf8), file: "ok.xml")
        #expect(allowed.text.contains("x\ty"))
    }

    @Test func rejectsExcessiveNesting() {
        let deep = String(repeating: "<a>", count: 100) + String(repeating: "</a>", count: 100)
        #expect(throws: ConversionError.self) { try VOCXMLElement.parse(Array(deep.utf8), file: "deep.xml") }
    }

    @Test func errorGivesByteOffset() {
        do {
            _ = try VOCXMLElement.parse(Array("<a><b></c></a>".utf8), file: "f.xml")
            Issue.record("no error")
        } catch let error as ConversionError {
            #expect(error.context.file == "f.xml")
            #expect(error.context.byteOffset == 6)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}
