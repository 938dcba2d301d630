import Foundation
import Testing
import CocoConvertCore
@testable import CocoConvertCOCO

/// `inspect`: counts agree with Foundation's view of the file; problems are found without a full parse.
@Suite struct InspectTests {
    @Test(arguments: TestData.realFiles)
    func countsMatchTheFile(_ name: String) throws {
        let path = TestData.cocoReal + "/" + name
        let inspection = try COCOInspector.inspect(path: path)
        #expect(inspection.problemCount == 0, "\(inspection.problems)")
        let json = try TestData.foundationJSON(path)
        var perCategory: [Int64: Int] = [:]
        var crowd = 0
        var sizes: [String: Int] = [:]
        func count(_ record: [String: Any]) {
            perCategory[(record["category_id"] as? NSNumber)?.int64Value ?? -1, default: 0] += 1
            if (record["iscrowd"] as? NSNumber)?.intValue == 1 { crowd += 1 }
        }
        if let results = json as? [[String: Any]] {
            #expect(inspection.kind == "results")
            #expect(inspection.annotations == results.count)
            #expect(inspection.images == Set(results.compactMap { ($0["image_id"] as? NSNumber)?.int64Value }).count)
            results.forEach(count)
        } else {
            let object = try #require(json as? [String: Any])
            let images = try #require(object["images"] as? [[String: Any]])
            let annotations = try #require(object["annotations"] as? [[String: Any]])
            #expect(inspection.images == images.count)
            #expect(inspection.annotations == annotations.count)
            #expect(inspection.categories == (object["categories"] as? [Any])?.count)
            for image in images {
                sizes["\(image["width"] ?? 0)x\(image["height"] ?? 0)", default: 0] += 1
            }
            for annotation in annotations {
                if let segments = annotation["segments_info"] as? [[String: Any]] {
                    segments.forEach(count)
                } else {
                    count(annotation)
                }
            }
            #expect(Dictionary(uniqueKeysWithValues: inspection.imageSizes.map { ("\($0.width)x\($0.height)", $0.images) }) == sizes)
        }
        #expect(inspection.crowd == crowd)
        #expect(Dictionary(uniqueKeysWithValues: inspection.perCategory.filter { $0.instances > 0 }.map { ($0.id, $0.instances) }) == perCategory)
    }

    @Test func valCountsAndForms() throws {
        let inspection = try COCOInspector.inspect(path: TestData.cocoReal + "/instances/annotations/instances_val2017.json")
        #expect(inspection.kind == "instances")
        #expect(inspection.split == "val2017")
        #expect(inspection.segmentation == ["polygons": 533, "uncompressed_rle": 10])
        #expect(inspection.perCategory.count == 80)
        #expect(inspection.perCategory.first?.name == "person")
    }

    @Test func problemsAreListedWithoutAFullParse() throws {
        let cases: [(String, String)] = [
            ("unknown_image.json", "unknown-image"), ("unknown_category.json", "unknown-category"),
            ("duplicate_annotation_id.json", "duplicate-id"), ("duplicate_image_id.json", "duplicate-id"),
            ("wrong_type_image_id.json", "invalid-value"), ("wrong_type_width.json", "invalid-value"),
            ("duplicate_category_id.json", "duplicate-id"),
        ]
        for (file, code) in cases {
            let inspection = try COCOInspector.inspect(path: TestData.fixtures + "/bad/" + file)
            #expect(inspection.problemCount == 1, "\(file): \(inspection.problems)")
            #expect(inspection.problems.first?.code == code, "\(file)")
        }
    }

    @Test func deepInspectionFindsMaskProblems() throws {
        for file in ["rle_sum.json", "rle_string_sum.json", "size_mismatch.json", "odd_polygon.json", "wrong_type_bbox.json"] {
            let path = TestData.fixtures + "/bad/" + file
            #expect(try COCOInspector.inspect(path: path).problemCount == 0, "\(file): an index scan does not parse masks")
            let deep = try COCOInspector.inspect(path: path, options: .init(deep: true))
            #expect(deep.problemCount == 1, "\(file)")
            #expect(deep.problems.first?.annotationID == 11)
        }
    }

    @Test func deepInspectionChecksImageFiles() throws {
        let path = TestData.cocoReal + "/instances/annotations/instances_val2017.json"
        let deep = try COCOInspector.inspect(path: path, options: .init(deep: true))
        #expect(deep.imagesMissing == 0)
        #expect(deep.imagesDirectory?.hasSuffix("instances/val2017") == true)
        let elsewhere = try TestData.temporaryDirectory()
        let missing = try COCOInspector.inspect(path: path, options: .init(deep: true, imagesDirectory: elsewhere))
        #expect(missing.imagesMissing == 60)
        #expect(missing.problemCount == 60)
    }

    @Test func brokenJSONThrows() throws {
        let error = try #require(throws: ConversionError.self) {
            try COCOInspector.inspect(path: TestData.fixtures + "/bad/truncated.json")
        }
        #expect(error.code == .malformedInput)
    }
}
