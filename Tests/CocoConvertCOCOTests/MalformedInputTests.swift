import Foundation
import Testing
import CocoConvertCore
@testable import CocoConvertCOCO

/// Bad input (formats/coco/bad/*.json): a precise error under `fail`, a report under `skip`, never a crash.
@Suite struct MalformedInputTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var file: String
        var code: ConversionError.Code
        /// Text in the file where the error must point (its byte offset); nil: end of file.
        var at: String?
        /// Which occurrence of `at` (0 = first).
        var occurrence = 0
        var annotationID: Int64?
        var imageID: Int64?
        /// Words the message must contain.
        var says: String
        /// False when the problem cannot be skipped (broken JSON).
        var skippable = true
        var testDescription: String { file }
    }

    static let cases: [Case] = [
        Case(file: "truncated.json", code: .malformedInput, at: nil, says: "truncated", skippable: false),
        Case(file: "missing_comma.json", code: .malformedInput, at: "\"segmentation\":[]}", says: "expected ',' or '}'", skippable: false),
        Case(file: "trailing_data.json", code: .malformedInput, at: "trailing", says: "after the end", skippable: false),
        Case(file: "not_coco.json", code: .unsupported, at: "{\"hello\"", says: "not a COCO file", skippable: false),
        Case(file: "images_not_array.json", code: .invalidValue, at: "{\"id\":1}", says: "must be an array", skippable: false),
        Case(file: "wrong_type_image_id.json", code: .invalidValue, at: "{\"id\":11", annotationID: 11, says: "\"image_id\" must be an integer; found a string"),
        Case(file: "wrong_type_bbox.json", code: .invalidValue, at: "\"0,0,2,2\"", annotationID: 11, imageID: 1, says: "\"bbox\" must be an array of 4 numbers"),
        Case(file: "wrong_type_width.json", code: .invalidValue, at: "\"640\"", imageID: 2, says: "\"width\" must be a number"),
        Case(file: "unknown_image.json", code: .unknownImage, at: "{\"id\":11", annotationID: 11, imageID: 99, says: "image id 99"),
        Case(file: "unknown_category.json", code: .unknownCategory, at: "{\"id\":11", annotationID: 11, imageID: 1, says: "category id 7"),
        Case(file: "duplicate_annotation_id.json", code: .duplicateID, at: "{\"id\":10", occurrence: 1, annotationID: 10, says: "annotation id 10 appears twice"),
        Case(file: "duplicate_image_id.json", code: .duplicateID, at: "{\"id\":1,", occurrence: 1, imageID: 1, says: "image id 1 appears twice"),
        Case(file: "duplicate_category_id.json", code: .duplicateID, at: "{\"id\":1,\"name\":\"again\"", says: "category id 1 appears twice"),
        Case(file: "size_mismatch.json", code: .sizeMismatch, at: "{\"size\":[3,3]", annotationID: 11, imageID: 1, says: "3×3"),
        Case(file: "rle_sum.json", code: .invalidMask, at: "[5,2,2,2,4]", annotationID: 11, imageID: 1, says: "sum to 15"),
        Case(file: "rle_string_sum.json", code: .invalidMask, at: "\"5220\"", annotationID: 11, imageID: 1, says: "add up to 11"),
        Case(file: "odd_polygon.json", code: .invalidMask, at: "[0,0,2,0,2]", annotationID: 11, imageID: 1, says: "odd number"),
    ]

    static func path(_ c: Case) -> String { TestData.fixtures + "/bad/" + c.file }

    /// Byte offset of the `occurrence`-th `text` in the file (nil text: the file size).
    static func offset(of text: String?, occurrence: Int, in path: String) throws -> Int {
        let data = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        guard let text else { return data.count }
        let needle = Array(text.utf8)
        var found = 0
        for i in 0...(data.count - needle.count) where Array(data[i..<i + needle.count]) == needle {
            if found == occurrence { return i }
            found += 1
        }
        throw MarkerNotFound(text: text)
    }

    @Test(arguments: cases)
    func failPolicyNamesFileOffsetAndIDs(_ c: Case) throws {
        let path = Self.path(c)
        let error = try #require(throws: ConversionError.self) { _ = try TestData.readAll(path, policy: .fail) }
        #expect(error.code == c.code, "\(error)")
        #expect(error.context.file == path)
        #expect(error.context.byteOffset == (try Self.offset(of: c.at, occurrence: c.occurrence, in: path)), "\(error)")
        if let id = c.annotationID { #expect(error.context.annotationID == id, "\(error)") }
        if let id = c.imageID { #expect(error.context.imageID == id, "\(error)") }
        #expect(error.message.contains(c.says), "\(error.message)")
        #expect(error.description.contains(path))
    }

    @Test(arguments: cases)
    func skipPolicyReportsAndKeepsTheRest(_ c: Case) throws {
        let path = Self.path(c)
        guard c.skippable else {
            // Broken JSON cannot be skipped: it still fails, with the same error.
            let error = try #require(throws: ConversionError.self) { _ = try TestData.readAll(path, policy: .skip) }
            #expect(error.code == c.code)
            return
        }
        let (_, samples, skips) = try TestData.readAll(path, policy: .skip)
        #expect(skips.count == 1)
        let line = try #require(skips.jsonLines.first)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(report["code"] as? String == c.code.name)
        #expect(report["file"] as? String == path)
        #expect((report["byte_offset"] as? NSNumber)?.intValue == (try Self.offset(of: c.at, occurrence: c.occurrence, in: path)))
        // The good annotation (id 10) of image 1 survives.
        let first = try #require(samples.first)
        #expect(first.id == 1)
        #expect(first.instances.first?.id == 10)
        if c.file != "duplicate_image_id.json" && c.file != "duplicate_category_id.json" {
            #expect(!samples.flatMap(\.instances).contains { $0.id == 11 })
        }
    }

    @Test func noMalformedPrefixCrashes() throws {
        // Every prefix of a real file is either a clean error or (the whole file) a success.
        let source = try Data(contentsOf: URL(fileURLWithPath: TestData.fixtures + "/good/annotations_first.json"))
        let directory = try TestData.temporaryDirectory()
        for length in stride(from: 0, to: source.count, by: 7) {
            let path = directory + "/prefix.json"
            try source.prefix(length).write(to: URL(fileURLWithPath: path))
            #expect(throws: ConversionError.self) { _ = try TestData.readAll(path, policy: .skip) }
        }
    }

    @Test func garbageBytesNeverCrash() throws {
        // Byte flips in a valid file: each read either succeeds or throws a ConversionError.
        let source = try [UInt8](Data(contentsOf: URL(fileURLWithPath: TestData.fixtures + "/good/annotations_first.json")))
        let directory = try TestData.temporaryDirectory()
        var generator = SystemRandomNumberGenerator()
        let replacements: [UInt8] = Array("{}[]\",:0-9.eE\\ tfn\u{7F}".utf8) + [0x00, 0xFF, 0xC3]
        for _ in 0..<300 {
            var bytes = source
            let i = Int.random(in: 0..<bytes.count, using: &generator)
            bytes[i] = replacements.randomElement(using: &generator) ?? 0
            let path = directory + "/flip.json"
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            do {
                _ = try TestData.readAll(path, policy: .skip)
            } catch is ConversionError {
            }
        }
    }
}

/// A fixture does not contain the text a test case points at (the test itself is wrong).
struct MarkerNotFound: Error {
    var text: String
}
