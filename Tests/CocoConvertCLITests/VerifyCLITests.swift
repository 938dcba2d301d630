import CocoConvertCore
import CocoConvertPNG
import Foundation
import Testing

/// `cococonvert verify`: conversions of genuine COCO data compare equal, and planted differences in a
/// converted copy are each found with the right image, instance and kind.
@Suite(.serialized) struct VerifyCLITests {
    static let valJSON = CLI.cocoReal.appendingPathComponent("instances/annotations/instances_val2017.json")

    /// Runs verify with `--json` and returns the exit status and the parsed report.
    static func verify(_ a: URL, _ b: URL, _ extra: [String] = []) throws -> (CLIRun, [String: Any]) {
        let run = try runCococonvert(["verify", a.path, b.path, "--json"] + extra, timeout: 300)
        let report = try #require(try JSONSerialization.jsonObject(with: run.stdoutData) as? [String: Any], "\(run)")
        return (run, report)
    }

    static func int(_ value: Any?) -> Int? { (value as? NSNumber)?.intValue }

    /// Every writer's default output verifies equal to its input: no pixel and no instance differs.
    /// Instance-capable outputs (VOC, HDF5, YOLO) must actually have compared instances.
    @Test(arguments: [("voc", true), ("png", false), ("hdf5", true), ("tfrecord", false), ("yolo", true)])
    func defaultConversionOfRealCOCOIsEqual(format: String, hasInstances: Bool) throws {
        try withTemporaryDirectory { directory in
            let output = directory.appendingPathComponent(format)
            let convert = try runCococonvert(["coco2\(format)", Self.valJSON.path, output.path, "--quiet"], timeout: 300)
            #expect(convert.status == 0, "\(convert)")
            let (run, report) = try Self.verify(Self.valJSON, output)
            #expect(run.status == 0, "\(run)")
            #expect(report["equal"] as? Bool == true)
            #expect(Self.int(report["paired"]) == 60)
            #expect(Self.int(report["differing_pixels"]) == 0)
            #expect(Self.int(report["pixels"]) == 16_492_804, "60 images' pixels (sum of width × height in the JSON)")
            let compared = Self.int(report["instances_compared"]) ?? 0
            #expect(hasInstances ? compared > 400 : compared == 0, "instances compared: \(compared)")

            let table = try runCococonvert(["verify", Self.valJSON.path, output.path], timeout: 300)
            #expect(table.status == 0)
            #expect(table.stdout.contains("result: EQUAL"), "\(table)")
            #expect(table.stdout.contains("walked in step"), "\(table)")
        }
    }

    @Test func sameFileIsEqualAndComparesEveryInstanceByID() throws {
        let (run, report) = try Self.verify(Self.valJSON, Self.valJSON)
        #expect(run.status == 0, "\(run)")
        #expect(report["equal"] as? Bool == true)
        // Non-crowd annotations with at least one owned pixel (crowds are skipped by default): 523 of the
        // 533, as pycocotools counts them (Tests/interop/verify_owned_check.py derives it from annToMask).
        #expect(Self.int(report["instances_compared"]) == 523)
    }

    // MARK: - Planted differences

    /// One COCO image's non-crowd annotations in file order (VOC instance numbers 1...K follow it).
    struct Object {
        var annotationID: Int64
        var categoryID: Int64
        var area: Double
        var instanceNumber: UInt16
    }

    static func objectsByImage() throws -> (order: [Int64], names: [Int64: String], objects: [Int64: [Object]]) {
        let json = try #require(try foundationJSON(valJSON) as? [String: Any])
        let images = try #require(json["images"] as? [[String: Any]])
        let order = images.compactMap { ($0["id"] as? NSNumber)?.int64Value }
        var names: [Int64: String] = [:]
        for c in json["categories"] as? [[String: Any]] ?? [] {
            if let id = (c["id"] as? NSNumber)?.int64Value { names[id] = c["name"] as? String }
        }
        var objects: [Int64: [Object]] = [:]
        for a in json["annotations"] as? [[String: Any]] ?? [] where (a["iscrowd"] as? NSNumber)?.intValue != 1 {
            guard let image = (a["image_id"] as? NSNumber)?.int64Value, let id = (a["id"] as? NSNumber)?.int64Value,
                  let category = (a["category_id"] as? NSNumber)?.int64Value, let area = (a["area"] as? NSNumber)?.doubleValue else { continue }
            let number = UInt16((objects[image]?.count ?? 0) + 1)
            objects[image, default: []].append(Object(annotationID: id, categoryID: category, area: area, instanceNumber: number))
        }
        return (order, names, objects)
    }

    /// A VOC label PNG as values, and back (palette kept).
    static func readMap(_ url: URL) throws -> (width: Int, height: Int, values: [UInt16]) {
        let png = try PNGDecoder.decode(file: url.path)
        return (png.width, png.height, png.samples)
    }

    static func writeMap(_ url: URL, width: Int, height: Int, values: [UInt16]) throws {
        let bytes = try PNGEncoder.encode(labelMap: LabelMap(width: width, height: height, pixels: values), palette: Palette.voc)
        try Data(bytes).write(to: url)
    }

    @Test func plantedDifferencesInAVOCCopyAreEachFound() throws {
        try withTemporaryDirectory { directory in
            let voc = directory.appendingPathComponent("voc")
            let convert = try runCococonvert(["coco2voc", Self.valJSON.path, voc.path, "--quiet", "--image-mode", "none"], timeout: 300)
            #expect(convert.status == 0, "\(convert)")
            let (order, _, objects) = try Self.objectsByImage()
            // Five different images that have objects, one per perturbation.
            let chosen = order.filter { (objects[$0]?.count ?? 0) >= 2 }.prefix(5)
            try #require(chosen.count == 5)
            let (shifted, deleted, swapped, removed, resized) = (chosen[chosen.startIndex], chosen[chosen.startIndex + 1],
                chosen[chosen.startIndex + 2], chosen[chosen.startIndex + 3], chosen[chosen.startIndex + 4])
            func stem(_ id: Int64) -> String { String(format: "%012lld", id) }
            func paths(_ id: Int64) -> (object: URL, klass: URL) {
                (voc.appendingPathComponent("SegmentationObject/\(stem(id)).png"), voc.appendingPathComponent("SegmentationClass/\(stem(id)).png"))
            }
            func largest(_ id: Int64) -> Object { objects[id]!.max { $0.area < $1.area }! }

            // 1. Shift the largest object of `shifted` one pixel to the right (object and class maps).
            let shiftTarget = largest(shifted)
            do {
                let (o, c) = paths(shifted)
                var obj = try Self.readMap(o), cls = try Self.readMap(c)
                let w = obj.width
                let mine = obj.values.indices.filter { obj.values[$0] == shiftTarget.instanceNumber }
                let klass = cls.values[mine[0]]
                for i in mine { obj.values[i] = 0; cls.values[i] = 0 }
                for i in mine where (i % w) + 1 < w { obj.values[i + 1] = shiftTarget.instanceNumber; cls.values[i + 1] = klass }
                try Self.writeMap(o, width: w, height: obj.height, values: obj.values)
                try Self.writeMap(c, width: w, height: cls.height, values: cls.values)
            }
            // 2. Delete the largest object of `deleted`.
            let deleteTarget = largest(deleted)
            do {
                let (o, c) = paths(deleted)
                var obj = try Self.readMap(o), cls = try Self.readMap(c)
                for i in obj.values.indices where obj.values[i] == deleteTarget.instanceNumber { obj.values[i] = 0; cls.values[i] = 0 }
                try Self.writeMap(o, width: obj.width, height: obj.height, values: obj.values)
                try Self.writeMap(c, width: cls.width, height: cls.height, values: cls.values)
            }
            // 3. Give the largest object of `swapped` another class (the next label value).
            let swapTarget = largest(swapped)
            do {
                let (o, c) = paths(swapped)
                let obj = try Self.readMap(o)
                var cls = try Self.readMap(c)
                for i in obj.values.indices where obj.values[i] == swapTarget.instanceNumber {
                    cls.values[i] = cls.values[i] == 80 ? 1 : cls.values[i] + 1
                }
                try Self.writeMap(c, width: cls.width, height: cls.height, values: cls.values)
            }
            // 4. Remove `removed` from the image lists.
            for list in ["ImageSets/Segmentation/val.txt", "ImageSets/Main/val.txt"] {
                let url = voc.appendingPathComponent(list)
                let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").filter { $0 != stem(removed) }
                try (lines.joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
            }
            // 5. Resize `resized`'s maps: drop the last row (and say so in its XML, which VOC readers check).
            do {
                let (o, c) = paths(resized)
                var height = 0
                for url in [o, c] {
                    let map = try Self.readMap(url)
                    height = map.height
                    try Self.writeMap(url, width: map.width, height: map.height - 1, values: Array(map.values.prefix(map.width * (map.height - 1))))
                }
                let xml = voc.appendingPathComponent("Annotations/\(stem(resized)).xml")
                let text = try String(contentsOf: xml, encoding: .utf8)
                try #require(text.contains("<height>\(height)</height>"))
                try text.replacingOccurrences(of: "<height>\(height)</height>", with: "<height>\(height - 1)</height>")
                    .write(to: xml, atomically: true, encoding: .utf8)
            }

            let (run, report) = try Self.verify(Self.valJSON, voc)
            #expect(run.status == 1, "differences exit 1\n\(run.stderr)")
            #expect(report["equal"] as? Bool == false)
            #expect(Self.int(report["only_in_a"]) == 1)
            #expect(Self.int(report["only_in_b"]) == 0)
            #expect(Self.int(report["size_mismatches"]) == 1)
            let images = try #require(report["images"] as? [[String: Any]])
            func image(_ id: Int64) -> [String: Any]? { images.first { ($0["image_id"] as? NSNumber)?.int64Value == id } }
            func findings(_ id: Int64) -> [[String: Any]] { image(id)?["instances"] as? [[String: Any]] ?? [] }
            func has(_ id: Int64, kind: String, annotation: Int64) -> Bool {
                findings(id).contains { $0["kind"] as? String == kind && ($0["annotation_a"] as? NSNumber)?.int64Value == annotation }
            }
            #expect(image(removed)?["status"] as? String == "only-in-a")
            #expect(image(resized)?["status"] as? String == "size-mismatch")
            #expect(has(shifted, kind: "mask-changed", annotation: shiftTarget.annotationID), "\(findings(shifted))")
            #expect(has(deleted, kind: "lost", annotation: deleteTarget.annotationID), "\(findings(deleted))")
            #expect(has(swapped, kind: "category-changed", annotation: swapTarget.annotationID), "\(findings(swapped))")
            // The deleted object's pixels became background; the swapped one's changed class.
            #expect((Self.int(image(deleted)?["differing_pixels"]) ?? 0) > 0)
            let swappedConfusion = image(swapped)?["confusion"] as? [[String: Any]] ?? []
            #expect(!swappedConfusion.isEmpty)
            // Nothing else differs: exactly the five perturbed images are reported.
            let reported = Set(images.compactMap { ($0["image_id"] as? NSNumber)?.int64Value })
            #expect(reported == Set([shifted, deleted, swapped, removed, resized]), "\(reported)")

            // The table names them too, worst (missing) first, and says how the sides were walked.
            let table = try runCococonvert(["verify", Self.valJSON.path, voc.path], timeout: 300)
            #expect(table.status == 1)
            #expect(table.stdout.contains("result: DIFFERENT: 5 image(s) differ"), "\(table)")
            #expect(table.stdout.contains("only in A"), "\(table)")
            #expect(table.stdout.contains("lost annotation \(deleteTarget.annotationID)"), "\(table)")

            // Overlays: one PNG per differing image (sides present), a real PNG of the image's size plus legend.
            let overlays = directory.appendingPathComponent("overlays")
            let drawn = try runCococonvert(["verify", Self.valJSON.path, voc.path, "--overlays", overlays.path, "--limit", "2"], timeout: 300)
            #expect(drawn.status == 1)
            let files = try FileManager.default.contentsOfDirectory(atPath: overlays.path).sorted()
            #expect(files.count == 2, "\(files)")
            #expect(files.contains("\(removed).png"), "the worst (only in A) comes first: \(files)")
        }
    }

    @Test func orderThatDisagreesFallsBackToAnIndex() throws {
        try withTemporaryDirectory { directory in
            // The same COCO file with its images in reverse order.
            var json = try #require(try foundationJSON(Self.valJSON) as? [String: Any])
            json["images"] = ((json["images"] as? [Any]) ?? []).reversed() as [Any]
            let reversed = directory.appendingPathComponent("reversed.json")
            try JSONSerialization.data(withJSONObject: json).write(to: reversed)
            let run = try runCococonvert(["verify", Self.valJSON.path, reversed.path], timeout: 300)
            #expect(run.status == 0, "\(run)")
            #expect(run.stdout.contains("orders differ: indexed side"), "\(run)")
            #expect(run.stdout.contains("result: EQUAL"), "\(run)")
        }
    }

    @Test func badCommandLinesAndInputsSayWhat() throws {
        let tolerance = try runCococonvert(["verify", Self.valJSON.path, Self.valJSON.path, "--tolerance", "2"])
        #expect(tolerance.status == 64, "\(tolerance)")
        #expect(tolerance.stderr.contains("--tolerance"), "\(tolerance)")
        let missing = try runCococonvert(["verify", Self.valJSON.path, "/nonexistent/labels"])
        #expect(missing.status == 2, "\(missing)")
        #expect(missing.stderr.contains("/nonexistent/labels"), "\(missing)")
        let format = try runCococonvert(["verify", Self.valJSON.path, Self.valJSON.path, "--from-b", "nope"])
        #expect(format.status == 64, "\(format)")
        #expect(format.stderr.contains("--from-b"), "\(format)")
    }
}
