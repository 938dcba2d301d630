import Foundation
import Testing
import CocoConvertCore
@testable import CocoConvertCOCO

/// coco2coco --segmentation rle against the pycocotools oracle (oracle_annotations.jsonl): every
/// compressed string, and with --recompute every area and box, exactly.
@Suite struct OracleTests {
    struct Record {
        var file: String
        var id: Int64?
        var segmentID: Int64?
        var index: Int?
        var imageID: Int64
        var counts: String
        var size: [Int]
        var area: Double
        var bbox: [Double]
    }

    static let oracle: [Record] = {
        guard let text = try? String(contentsOfFile: TestData.cocoReal + "/oracle_annotations.jsonl", encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { line in
            guard let r = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let rle = r["rle"] as? [String: Any] else { return nil }
            return Record(file: r["file"] as? String ?? "", id: (r["id"] as? NSNumber)?.int64Value,
                          segmentID: (r["segment_id"] as? NSNumber)?.int64Value, index: (r["index"] as? NSNumber)?.intValue,
                          imageID: (r["image_id"] as? NSNumber)?.int64Value ?? -1, counts: rle["counts"] as? String ?? "",
                          size: (rle["size"] as? [NSNumber])?.map(\.intValue) ?? [],
                          area: (r["area"] as? NSNumber)?.doubleValue ?? -1,
                          bbox: (r["bbox"] as? [NSNumber])?.map(\.doubleValue) ?? [])
        }
    }()

    /// The output annotations of `name` converted with `options`, each paired with its oracle record.
    static func pairs(_ name: String, options: COCOWriterOptions) throws -> [(output: [String: Any], oracle: Record)] {
        let input = TestData.cocoReal + "/" + name
        let output = try TestData.temporaryDirectory() + "/out.json"
        try RoundTripTests.convert(input, to: output, options: options)
        let json = try TestData.foundationJSON(output)
        let annotations = (json as? [[String: Any]]) ?? ((json as? [String: Any])?["annotations"] as? [[String: Any]]) ?? []
        let records = oracle.filter { $0.file == name }
        var out: [(output: [String: Any], oracle: Record)] = []
        if name.hasPrefix("results/") {
            // No ids: the k-th result of an image in the output is its k-th result in the input.
            var byImage: [Int64: [Record]] = [:]
            for r in records.sorted(by: { ($0.index ?? 0) < ($1.index ?? 0) }) { byImage[r.imageID, default: []].append(r) }
            var seen: [Int64: Int] = [:]
            for a in annotations {
                let image = (a["image_id"] as? NSNumber)?.int64Value ?? -1
                let k = seen[image, default: 0]
                seen[image] = k + 1
                if let r = byImage[image], k < r.count { out.append((a, r[k])) }
            }
        } else if name == "panoptic/annotations/panoptic_val2017.json" {
            // Segments become annotations in segments_info order, with new ids.
            let source = try #require(try TestData.foundationJSON(input) as? [String: Any])
            var order: [Int64: [Int64]] = [:]
            for record in source["annotations"] as? [[String: Any]] ?? [] {
                let image = (record["image_id"] as? NSNumber)?.int64Value ?? -1
                order[image] = (record["segments_info"] as? [[String: Any]] ?? []).map { ($0["id"] as? NSNumber)?.int64Value ?? -1 }
            }
            var seen: [Int64: Int] = [:]
            for a in annotations {
                let image = (a["image_id"] as? NSNumber)?.int64Value ?? -1
                let k = seen[image, default: 0]
                seen[image] = k + 1
                let segment = order[image].flatMap { k < $0.count ? $0[k] : nil }
                if let r = records.first(where: { $0.imageID == image && $0.segmentID == segment }) { out.append((a, r)) }
            }
        } else {
            let byID = SemanticJSON.byID(annotations)
            for r in records {
                if let id = r.id, let a = byID[id] { out.append((a, r)) }
            }
        }
        #expect(out.count == records.count, "\(name): \(out.count) of \(records.count) oracle records matched")
        #expect(annotations.count == records.count)
        return out
    }

    @Test(arguments: TestData.realFiles)
    func rleReproducesTheOracleStrings(_ name: String) throws {
        for (a, r) in try Self.pairs(name, options: COCOWriterOptions(segmentation: .rle)) {
            let segmentation = a["segmentation"] as? [String: Any]
            #expect(segmentation?["counts"] as? String == r.counts, "\(name) annotation \(r.id ?? r.segmentID ?? -1)")
            #expect((segmentation?["size"] as? [NSNumber])?.map(\.intValue) == r.size)
        }
    }

    @Test(arguments: TestData.realFiles)
    func recomputeReproducesTheOracleAreaAndBox(_ name: String) throws {
        // Results lists compute area and bbox only when asked per field (--recompute-results area,bbox).
        let options = COCOWriterOptions(segmentation: .rle, recompute: true,
                                        recomputeResults: name.hasPrefix("results/") ? [.area, .bbox] : [])
        for (a, r) in try Self.pairs(name, options: options) {
            #expect((a["area"] as? NSNumber)?.doubleValue == r.area, "\(name) annotation \(r.id ?? r.segmentID ?? -1)")
            #expect((a["bbox"] as? [NSNumber])?.map(\.doubleValue) == r.bbox, "\(name) annotation \(r.id ?? r.segmentID ?? -1)")
        }
    }

    /// `--recompute` leaves a results list's records with exactly the fields the source had (pycocotools'
    /// loadRes takes area from a bbox when one is present, which would change COCOeval's numbers), and says so.
    @Test func recomputeLeavesResultsAsTheSourceHadThem() throws {
        let name = "results/instances_val2014_fakesegm100_results.json"
        let source = try #require(try TestData.foundationJSON(TestData.cocoReal + "/" + name) as? [[String: Any]])
        #expect(!source.contains { $0["bbox"] != nil || $0["area"] != nil })  // segm results: mask, score, ids only
        for (recompute, fields) in [(true, Set<ResultField>()), (false, [.area]), (true, [.bbox])] {
            let pairs = try Self.pairs(name, options: COCOWriterOptions(recompute: recompute, recomputeResults: fields))
            #expect(pairs.count == source.count)
            for (a, r) in pairs {
                #expect((a["bbox"] != nil) == fields.contains(.bbox))
                #expect((a["area"] != nil) == fields.contains(.area))
                if fields.contains(.area) { #expect((a["area"] as? NSNumber)?.doubleValue == r.area) }
                if fields.contains(.bbox) { #expect((a["bbox"] as? [NSNumber])?.map(\.doubleValue) == r.bbox) }
            }
        }
    }

    @Test func polygonModeKeepsPolygonsAndCompressesTheRest() throws {
        for (a, r) in try Self.pairs("instances/annotations/instances_val2017.json", options: COCOWriterOptions(segmentation: .polygon)) {
            if (a["iscrowd"] as? NSNumber)?.intValue == 1 {
                #expect((a["segmentation"] as? [String: Any])?["counts"] as? String == r.counts)
            } else {
                #expect(a["segmentation"] is [[NSNumber]])
            }
        }
    }

    /// `--segmentation polygon` traces every non-crowd mask (crowd RLE, stuff RLE, panoptic segments;
    /// results lists keep their RLE); rasterised back with the pycocotools-exact rasteriser, each equals
    /// the oracle's mask.
    @Test(arguments: TestData.realFiles)
    func polygonModeTracesMasksExactly(_ name: String) throws {
        for crowd in [false, true] {
            for (a, r) in try Self.pairs(name, options: COCOWriterOptions(segmentation: .polygon, crowdPolygons: crowd)) {
                let label = "\(name) annotation \(r.id ?? r.segmentID ?? -1)"
                let isCrowd = (a["iscrowd"] as? NSNumber)?.intValue == 1
                // Crowds (unless asked) and results lists keep their RLE: loadRes measures results as RLE.
                if (isCrowd && !crowd) || name.hasPrefix("results/") {
                    #expect((a["segmentation"] as? [String: Any])?["counts"] as? String == r.counts, "\(label)")
                    continue
                }
                guard let parts = a["segmentation"] as? [[NSNumber]] else {
                    Issue.record("not polygons: \(label)")
                    continue
                }
                let back = try RLE(polygons: parts.map { $0.map(\.doubleValue) }, height: r.size[0], width: r.size[1])
                var text: [UInt8] = []
                back.appendCompressed(to: &text)
                #expect(String(decoding: text, as: UTF8.self) == r.counts, "\(label)")
            }
        }
    }

    @Test func oracleIsThere() {
        #expect(Self.oracle.count == 1551)
    }
}
