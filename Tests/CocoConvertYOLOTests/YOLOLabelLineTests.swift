import CocoConvertCore
import Testing
@testable import CocoConvertYOLO

@Suite struct YOLOLabelLineTests {
    static func parse(_ text: String, classes: Int = 3) throws -> YOLOLabelLine? {
        try YOLOLabelLine.parse(ArraySlice(Array(text.utf8)), classCount: classes)
    }

    @Test func boxesAndPolygons() throws {
        guard case .box(let c, let cx, _, let w, _)? = try Self.parse("2 0.5 0.25 0.1 0.2") else { Issue.record("not a box"); return }
        #expect(c == 2 && cx == 0.5 && w == 0.1)
        guard case .polygon(0, let points)? = try Self.parse("0 0 0 1 0 1 1\r") else { Issue.record("not a polygon"); return }
        #expect(points == [0, 0, 1, 0, 1, 1])
        #expect(try Self.parse("") == nil)
        #expect(try Self.parse("   \t") == nil)
    }

    @Test(arguments: [
        ("0 0.1 0.1 0.2 0.2 0.3", "numbers after the class"),  // 5 numbers
        ("0 0.1 0.1 0.2 0.2", nil),                              // a box: fine
        ("0 0.1 0.1", "a polygon needs at least 3 points"),      // < 3 points
        ("0 0.1 0.1 0.2 0.2 0.3 0.3 0.4", "numbers after the class"),  // odd
        ("0 nan 0.1 0.2 0.2", "not a number"),
        ("0 inf 0.1 0.2 0.2", "not a number"),
        ("0 1.5 0.1 0.2 0.2", "outside 0…1"),
        ("0 -0.1 0.1 0.2 0.2", "outside 0…1"),
        ("7 0.1 0.1 0.2 0.2", "not in data.yaml"),
        ("-1 0.1 0.1 0.2 0.2", "not a class index"),
        ("x 0.1 0.1 0.2 0.2", "not a class index"),
    ] as [(String, String?)])
    func badLinesAreExplained(line: String, says: String?) {
        do {
            _ = try Self.parse(line)
            #expect(says == nil, "\(line) was accepted")
        } catch let error as ConversionError {
            #expect(says != nil, "\(line): \(error)")
            if let says { #expect("\(error)".contains(says), "\(error)") }
        } catch {
            Issue.record("\(error)")
        }
    }

    @Test func aMillionPointLineParses() throws {
        var text = "1"
        for i in 0..<1_000_000 { text += i % 2 == 0 ? " 0.5" : " 0.25" }
        guard case .polygon(1, let points)? = try Self.parse(text) else { Issue.record("not a polygon"); return }
        #expect(points.count == 1_000_000)
    }
}
