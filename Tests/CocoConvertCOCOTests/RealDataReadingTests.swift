import Foundation
import Testing
import CocoConvertCore
@testable import CocoConvertCOCO

/// Reading every real COCO file in ../shared/data/coco-real and comparing with Foundation's view of it.
@Suite struct RealDataReadingTests {
    @Test(arguments: TestData.realFilesWithoutPNG)
    func readsEveryImageAndAnnotation(_ name: String) throws {
        let path = TestData.cocoReal + "/" + name
        let (header, samples, skips) = try TestData.readAll(path)
        #expect(skips.count == 0)
        let json = try TestData.foundationJSON(path)
        if let array = json as? [[String: Any]] {
            #expect(header.kind == .results)
            #expect(samples.reduce(0) { $0 + $1.instances.count } == array.count)
            let imageIDs = Set(array.compactMap { ($0["image_id"] as? NSNumber)?.int64Value })
            #expect(Set(samples.map(\.id)) == imageIDs)
            return
        }
        let object = try #require(json as? [String: Any])
        let images = try #require(object["images"] as? [[String: Any]])
        let annotations = try #require(object["annotations"] as? [[String: Any]])
        let categories = try #require(object["categories"] as? [[String: Any]])
        #expect(samples.count == images.count)
        #expect(samples.map(\.id) == images.map { ($0["id"] as? NSNumber)?.int64Value ?? -1 })
        #expect(header.categories.count == categories.count)
        #expect(samples.reduce(0) { $0 + $1.instances.count } == annotations.count)
        // Annotations come out grouped by image, in file order within the image.
        var expected: [Int64: [Int64]] = [:]
        for a in annotations {
            let image = (a["image_id"] as? NSNumber)?.int64Value ?? -1
            expected[image, default: []].append((a["id"] as? NSNumber)?.int64Value ?? -1)
        }
        for sample in samples {
            #expect(sample.instances.map { $0.id ?? -1 } == (expected[sample.id] ?? []))
        }
    }

    @Test func kindsAreDetected() throws {
        let kinds: [(String, DatasetKind)] = [
            ("instances/annotations/instances_val2017.json", .instances),
            ("stuff/annotations/stuff_train2017.json", .stuff),
            ("results/instances_val2014_fakesegm100_results.json", .results),
            ("panoptic/annotations/panoptic_val2017_detection_format.json", .instances),
        ]
        for (name, kind) in kinds {
            let reader = try COCOReader(path: TestData.cocoReal + "/" + name, skips: SkipReport(policy: .fail))
            #expect(reader.header.kind == kind, "\(name)")
        }
    }

    @Test func geometryFormsAreKeptAsRead() throws {
        let (_, samples, _) = try TestData.readAll(TestData.cocoReal + "/instances/annotations/instances_val2017.json")
        var polygons = 0, uncompressed = 0
        for sample in samples {
            for instance in sample.instances {
                switch instance.geometry {
                case .polygons: polygons += 1; #expect(!instance.isCrowd)
                case .rle(let r):
                    uncompressed += 1
                    #expect(instance.isCrowd)
                    #expect(r.height == sample.height && r.width == sample.width)
                default: Issue.record("unexpected geometry")
                }
            }
        }
        #expect(polygons == 533)
        #expect(uncompressed == 10)
        let (stuffHeader, stuff, _) = try TestData.readAll(TestData.cocoReal + "/stuff/annotations/stuff_train2017.json")
        #expect(stuffHeader.category(id: 183)?.name == "other")
        for instance in stuff.flatMap(\.instances) {
            guard case .compressedRLE = instance.geometry else { Issue.record("stuff is compressed RLE"); continue }
        }
    }

    @Test func imagesFollowTheCOCOConvention() throws {
        let path = TestData.cocoReal + "/instances/annotations/instances_val2017.json"
        let reader = try COCOReader(path: path, skips: SkipReport(policy: .fail))
        let sample = try #require(try reader.next())
        guard case .file(let image) = sample.image else {
            Issue.record("expected an image file")
            return
        }
        #expect(image.hasSuffix("/instances/val2017/" + sample.fileName))
        #expect(FileManager.default.fileExists(atPath: image))
    }
}
