import Foundation
import Testing
import CocoConvertCore
@testable import CocoConvertCOCO

/// coco2coco: reading and writing back gives the same document.
@Suite struct RoundTripTests {
    /// Converts `input` to `output` through the pipeline; returns the summary.
    @discardableResult
    static func convert(_ input: String, to output: String, options: COCOWriterOptions = COCOWriterOptions(),
                        policy: ErrorPolicy = .fail, jobs: Int = 2) throws -> Conversion.Outcome {
        let skips = SkipReport(policy: policy)
        let reader = try COCOReader(path: input, skips: skips)
        let writer = COCOWriter(path: output, options: options)
        return try Conversion(jobs: jobs).run(reader: reader, writer: writer, skips: skips)
    }

    @Test(arguments: TestData.realFilesWithoutPNG)
    func keepIsSemanticallyEqual(_ name: String) throws {
        let input = TestData.cocoReal + "/" + name
        let output = try TestData.temporaryDirectory() + "/out.json"
        try Self.convert(input, to: output)
        let before = try TestData.foundationJSON(input)
        let after = try TestData.foundationJSON(output)
        if let a = before as? [Any], let b = after as? [Any] {
            // Results: the same records, grouped by image.
            #expect(a.map(SemanticJSON.canonical).sorted() == b.map(SemanticJSON.canonical).sorted())
            return
        }
        let a = try #require(before as? [String: Any])
        let b = try #require(after as? [String: Any])
        #expect(Set(a.keys) == Set(b.keys))
        for key in a.keys where key != "annotations" {
            let d = SemanticJSON.difference(a[key] as Any, b[key] as Any, path: key)
            #expect(d == nil, "\(d ?? "")")
        }
        let annotationsA = SemanticJSON.byID(try #require(a["annotations"] as? [[String: Any]]))
        let annotationsB = SemanticJSON.byID(try #require(b["annotations"] as? [[String: Any]]))
        #expect(annotationsA.count == annotationsB.count)
        for (id, record) in annotationsA {
            let d = SemanticJSON.difference(record, annotationsB[id] as Any, path: "annotation \(id)")
            #expect(d == nil, "\(d ?? "")")
        }
    }

    @Test func outputIsIdenticalWhateverTheNumberOfWorkers() throws {
        let input = TestData.cocoReal + "/instances/annotations/instances_val2017.json"
        let directory = try TestData.temporaryDirectory()
        try Self.convert(input, to: directory + "/one.json", jobs: 1)
        try Self.convert(input, to: directory + "/four.json", jobs: 4)
        let one = try Data(contentsOf: URL(fileURLWithPath: directory + "/one.json"))
        let four = try Data(contentsOf: URL(fileURLWithPath: directory + "/four.json"))
        #expect(one == four)
        // Only the output file is left in the directory (no scratch or temporary files).
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).sorted() == ["four.json", "one.json"])
    }
}
