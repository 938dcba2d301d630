import Foundation
import Testing
@testable import CocoConvertCLI

/// `ROUTE IN1 IN2 OUT`: several inputs merged by image id, and the checks that keep a merge honest.
@Suite struct MergedInputsCLITests {
    /// Things: images 1 and 2 (4×4), category 1 "person". Stuff: images 3 and 1 (in that order),
    /// category 92 "banner"; image 3 is only in the stuff file.
    static func thingsAndStuff(in work: URL, stuffSize: Int = 4, stuffCategory: String = "banner",
                               stuffCategoryID: Int = 92, stuffAnnotationID: Int = 500) throws -> (URL, URL) {
        let things = try write(COCOFixture.file(
            images: [COCOFixture.image(1), COCOFixture.image(2)],
            annotations: [COCOFixture.polygon(10, image: 1), COCOFixture.polygon(20, image: 2)],
            categories: [COCOFixture.category(1, "person")]), to: work, as: "things.json")
        let stuff = try write(COCOFixture.file(
            images: [COCOFixture.image(3), COCOFixture.image(1, width: stuffSize, height: stuffSize)],
            annotations: [COCOFixture.polygon(stuffAnnotationID, image: 1, category: stuffCategoryID),
                          COCOFixture.polygon(600, image: 3, category: stuffCategoryID)],
            categories: [COCOFixture.category(stuffCategoryID, stuffCategory)]), to: work, as: "stuff.json")
        return (things, stuff)
    }

    @Test func twoCOCOFilesBecomeOneDataset() throws {
        try withTemporaryDirectory { work in
            let (things, stuff) = try Self.thingsAndStuff(in: work)
            let output = work.appendingPathComponent("merged.json")
            let run = try runCococonvert(["coco2coco", things.path, stuff.path, output.path])
            #expect(run.status == 0, "\(run)")
            #expect(run.stderr.contains("stuff.json added annotations to 1 image of \(things.path) and 1 image of its own"), "\(run)")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: output)) as? [String: Any])
            let images = try #require(json["images"] as? [[String: Any]]).compactMap { $0["id"] as? Int }
            // The first input's order, then the image only the stuff file has.
            #expect(images == [1, 2, 3])
            let annotations = try #require(json["annotations"] as? [[String: Any]])
            let pairs = annotations.compactMap { a -> [Int]? in
                guard let id = a["id"] as? Int, let image = a["image_id"] as? Int, let category = a["category_id"] as? Int else { return nil }
                return [id, image, category]
            }
            // Ids kept; within image 1 the things come first, so the stuff is painted over them.
            #expect(pairs == [[10, 1, 1], [500, 1, 92], [20, 2, 1], [600, 3, 92]])
            let categories = try #require(json["categories"] as? [[String: Any]]).compactMap { $0["name"] as? String }
            #expect(categories == ["person", "banner"])
        }
    }

    /// A second input inside the output is protected like the first, under --overwrite: never
    /// replaced (labels.json is written by the route) nor removed as stale (panoptic.json).
    @Test(arguments: [("labels.json", 64), ("panoptic.json", 0)])
    func aSecondInputInsideTheOutputIsKept(name: String, status: Int32) throws {
        try withTemporaryDirectory { work in
            let (things, stuff) = try Self.thingsAndStuff(in: work)
            let output = work.appendingPathComponent("out")
            try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
            let second = output.appendingPathComponent(name)
            try FileManager.default.moveItem(at: stuff, to: second)
            let before = try Data(contentsOf: second)
            let run = try runCococonvert(["coco2png", things.path, second.path, output.path, "--overwrite"])
            #expect(run.status == status, "\(run)")
            if status != 0 { #expect(run.stderr.contains("would replace its own input"), "\(run)") }
            #expect(try Data(contentsOf: second) == before, "the second input was changed or removed: \(run)")
        }
    }

    @Test func sizesMustAgree() throws {
        try withTemporaryDirectory { work in
            let (things, stuff) = try Self.thingsAndStuff(in: work, stuffSize: 5)
            let output = work.appendingPathComponent("out")
            let run = try runCococonvert(["coco2png", things.path, stuff.path, output.path])
            #expect(run.status == 65, "\(run)")
            #expect(run.stderr.contains("stuff.json"), "\(run)")
            #expect(run.stderr.contains("image 1"), "\(run)")
            #expect(run.stderr.contains("5×5") && run.stderr.contains("4×4"), "\(run)")
            #expect(!FileManager.default.fileExists(atPath: output.path), "a failed run left its output")
        }
    }

    @Test func clashingCategoriesNameBothFiles() throws {
        try withTemporaryDirectory { work in
            let (things, stuff) = try Self.thingsAndStuff(in: work, stuffCategory: "human", stuffCategoryID: 1)
            let run = try runCococonvert(["coco2png", things.path, stuff.path, work.appendingPathComponent("out").path])
            #expect(run.status == 65, "\(run)")
            #expect(run.stderr.contains("category id 1"), "\(run)")
            #expect(run.stderr.contains("'person'") && run.stderr.contains("'human'"), "\(run)")
            #expect(run.stderr.contains("things.json") && run.stderr.contains("stuff.json"), "\(run)")
        }
    }

    @Test func clashingAnnotationIDsInOneImageAreAnError() throws {
        try withTemporaryDirectory { work in
            let (things, stuff) = try Self.thingsAndStuff(in: work, stuffAnnotationID: 10)
            let run = try runCococonvert(["coco2png", things.path, stuff.path, work.appendingPathComponent("out").path])
            #expect(run.status == 65, "\(run)")
            #expect(run.stderr.contains("annotation 10") || run.stderr.contains("annotation id 10"), "\(run)")
            #expect(run.stderr.contains("image 1"), "\(run)")
        }
    }

    @Test func aMissingInputIsAUsageErrorThatExplainsTheLastPath() throws {
        try withTemporaryDirectory { work in
            let (things, _) = try Self.thingsAndStuff(in: work)
            let run = try runCococonvert(["coco2png", things.path, work.appendingPathComponent("nope.json").path,
                                          work.appendingPathComponent("out").path])
            #expect(run.status == 64, "\(run)")
            #expect(run.stderr.contains("nope.json") && run.stderr.contains("does not exist"), "\(run)")
            #expect(run.stderr.contains("last"), "\(run)")
        }
    }

    @Test func anUnknownLabelsNameListsThePresets() throws {
        let run = try runCococonvert(["coco2png", CLI.cocoMini.path, "/nonexistent/out", "--labels", "cocostuff"])
        #expect(run.status == 64, "\(run)")
        #expect(run.stderr.contains("did you mean cocostuff182 or cocostuff171?"), "\(run)")
        for preset in ["contiguous", "coco", "cocostuff182", "cocostuff171", "voc21"] {
            #expect(run.stderr.contains("  \(preset): "), "preset \(preset) not listed\n\(run)")
        }
    }

    @Test func aClassOnTheBackgroundValueNeedsAllowCollisions() throws {
        try withTemporaryDirectory { work in
            let (things, _) = try Self.thingsAndStuff(in: work)
            let mapping = try write("1 0 person\n", to: work, as: "mapping.txt")
            let output = work.appendingPathComponent("out")
            let refused = try runCococonvert(["coco2png", things.path, output.path, "--labels", mapping.path])
            #expect(refused.status == 64, "\(refused)")
            #expect(refused.stderr.contains("category 1 'person' → 0") && refused.stderr.contains("--allow-collisions"), "\(refused)")
            #expect(!FileManager.default.fileExists(atPath: output.path))
            let ignore = try runCococonvert(["coco2png", things.path, output.path, "--labels", "coco", "--ignore-index", "1"])
            #expect(ignore.status == 64 && ignore.stderr.contains("the ignore value"), "\(ignore)")
            let allowed = try runCococonvert(["coco2png", things.path, output.path, "--labels", mapping.path, "--allow-collisions"])
            #expect(allowed.status == 0, "\(allowed)")
        }
    }
}
