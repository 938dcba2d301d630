import Foundation
import Testing
import CocoConvertCore
@testable import CocoConvertCOCO

/// Annotation ids in COCO output: kept, renumbered, or made up when the source has none.
@Suite struct AnnotationIDTests {
    static func ids(of output: String) throws -> [Int64] {
        let json = try #require(try TestData.foundationJSON(output) as? [String: Any])
        return (json["annotations"] as? [[String: Any]] ?? []).map { ($0["id"] as? NSNumber)?.int64Value ?? -1 }
    }

    @Test func renumberGivesOneToN() throws {
        let output = try TestData.temporaryDirectory() + "/out.json"
        try RoundTripTests.convert(TestData.cocoReal + "/instances/annotations/instances_val2017.json", to: output,
                                   options: COCOWriterOptions(annotationIDs: .renumber))
        #expect(try Self.ids(of: output) == Array(1...543))
    }

    @Test func missingIDsGetNewOnesAboveTheHighestSoFar() throws {
        let input = try TestData.write("""
            {"images":[{"id":1,"file_name":"a.jpg","width":4,"height":4},{"id":2,"file_name":"b.jpg","width":4,"height":4}],
             "annotations":[{"id":40,"image_id":1,"category_id":1,"segmentation":[[0,0,2,0,2,2]]},
                            {"image_id":1,"category_id":1,"segmentation":[[0,0,2,0,2,2]]},
                            {"id":7,"image_id":2,"category_id":1,"segmentation":[[0,0,2,0,2,2]]},
                            {"image_id":2,"category_id":1,"segmentation":[[0,0,2,0,2,2]]}],
             "categories":[{"id":1,"name":"a"}]}
            """)
        let output = try TestData.temporaryDirectory() + "/out.json"
        try RoundTripTests.convert(input, to: output)
        #expect(try Self.ids(of: output) == [40, 41, 7, 42])
    }

    @Test func panopticInDetectionFormIsRenumbered() throws {
        let output = try TestData.temporaryDirectory() + "/out.json"
        try RoundTripTests.convert(PanopticTests.path, to: output, options: COCOWriterOptions(segmentation: .rle))
        #expect(try Self.ids(of: output) == Array(1...32))
    }

    @Test func recomputeReplacesCrowdArea() throws {
        let output = try TestData.temporaryDirectory() + "/out.json"
        try RoundTripTests.convert(TestData.cocoReal + "/instances/annotations/instances_val2017.json", to: output,
                                   options: COCOWriterOptions(recompute: true))
        let json = try #require(try TestData.foundationJSON(output) as? [String: Any])
        let crowd = try #require((json["annotations"] as? [[String: Any]])?.first { ($0["id"] as? NSNumber)?.int64Value == 905600092660 })
        // COCO says 31275; the mask has 25630 pixels (pycocotools mask.area); keep mode keeps the list counts.
        #expect((crowd["area"] as? NSNumber)?.intValue == 25630)
        #expect((crowd["bbox"] as? [NSNumber])?.map(\.intValue) == [195, 112, 403, 191])
        #expect((crowd["segmentation"] as? [String: Any])?["counts"] is [NSNumber])
    }
}
