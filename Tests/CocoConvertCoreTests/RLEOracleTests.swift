import Foundation
import Testing
@testable import CocoConvertCore

/// Reproduces every record of the pycocotools oracle (`oracle_annotations.jsonl`, pycocotools 2.0.11) from
/// the source annotation: the compressed `counts` string, `area` and `toBbox` must match exactly.
@Suite("pycocotools oracle")
struct RLEOracleTests {
    /// A COCO JSON file, parsed once, with annotations by id and images by id.
    final class Source {
        let annotationsByID: [Int64: [String: Any]]
        let annotations: [[String: Any]]
        let imagesByID: [Int64: [String: Any]]
        let panopticByImage: [Int64: [String: Any]]

        init(url: URL) throws {
            let data = try Data(contentsOf: url)
            let json = try JSONSerialization.jsonObject(with: data)
            if let array = json as? [[String: Any]] {  // results file: a bare array
                annotations = array
                imagesByID = [:]
            } else {
                let object = json as? [String: Any] ?? [:]
                annotations = object["annotations"] as? [[String: Any]] ?? []
                var images: [Int64: [String: Any]] = [:]
                for image in object["images"] as? [[String: Any]] ?? [] {
                    if let id = (image["id"] as? NSNumber)?.int64Value { images[id] = image }
                }
                imagesByID = images
            }
            var byID: [Int64: [String: Any]] = [:]
            var byImage: [Int64: [String: Any]] = [:]
            for annotation in annotations {
                if let id = (annotation["id"] as? NSNumber)?.int64Value { byID[id] = annotation }
                if annotation["segments_info"] != nil, let image = (annotation["image_id"] as? NSNumber)?.int64Value {
                    byImage[image] = annotation
                }
            }
            annotationsByID = byID
            panopticByImage = byImage
        }
    }

    enum OracleError: Error, CustomStringConvertible {
        case missing(String)
        var description: String { switch self { case .missing(let s): return s } }
    }

    static func int(_ any: Any?) -> Int? { (any as? NSNumber)?.intValue }

    /// The RLE of a record's source annotation, computed by cococonvert.
    static func computeRLE(_ record: [String: Any], source: Source, directory: URL,
                           panopticCache: inout [String: (Int, Int, [UInt32])]) throws -> RLE {
        let segType = record["seg_type"] as? String ?? ""
        if segType == "panoptic_png" {
            guard let imageID = (record["image_id"] as? NSNumber)?.int64Value,
                  let segmentID = (record["segment_id"] as? NSNumber)?.uint32Value,
                  let annotation = source.panopticByImage[imageID],
                  let fileName = annotation["file_name"] as? String,
                  let file = record["file"] as? String else { throw OracleError.missing("panoptic record") }
            // panoptic_val2017.json → PNGs in panoptic_val2017/
            let pngURL = directory.appendingPathComponent(file).deletingPathExtension().appendingPathComponent(fileName)
            if panopticCache[pngURL.path] == nil {
                let png = try TestPNG.decodeRGB8(Array(try Data(contentsOf: pngURL)))
                var ids = [UInt32](repeating: 0, count: png.width * png.height)
                for i in ids.indices {
                    ids[i] = UInt32(png.rgb[3 * i]) + 256 * UInt32(png.rgb[3 * i + 1]) + 65536 * UInt32(png.rgb[3 * i + 2])
                }
                panopticCache[pngURL.path] = (png.width, png.height, ids)
            }
            guard let (w, h, ids) = panopticCache[pngURL.path] else { throw OracleError.missing("png") }
            let plane = LabelPlane(width: w, height: h, pixels: ids)
            return try Geometry.labelValue(plane, segmentID).rle(height: h, width: w)
        }
        let annotation: [String: Any]
        if let index = int(record["index"]) {
            annotation = source.annotations[index]
        } else if let id = (record["id"] as? NSNumber)?.int64Value, let found = source.annotationsByID[id] {
            annotation = found
        } else {
            throw OracleError.missing("annotation for \(record)")
        }
        let segmentation = annotation["segmentation"]
        switch segType {
        case "polygon":
            guard let imageID = (annotation["image_id"] as? NSNumber)?.int64Value,
                  let image = source.imagesByID[imageID], let h = int(image["height"]), let w = int(image["width"]),
                  let parts = segmentation as? [[NSNumber]] else { throw OracleError.missing("polygon source") }
            let polygons = parts.map { $0.map(\.doubleValue) }
            return try Geometry.polygons(polygons).rle(height: h, width: w)
        case "rle_uncompressed":
            guard let seg = segmentation as? [String: Any], let size = seg["size"] as? [NSNumber],
                  let counts = seg["counts"] as? [NSNumber] else { throw OracleError.missing("uncompressed RLE") }
            let rle = RLE(height: size[0].intValue, width: size[1].intValue, counts: counts.map(\.uint32Value))
            return try Geometry.rle(rle).rle(height: rle.height, width: rle.width)
        case "rle_compressed":
            guard let seg = segmentation as? [String: Any], let size = seg["size"] as? [NSNumber],
                  let counts = seg["counts"] as? String else { throw OracleError.missing("compressed RLE") }
            let compressed = CompressedRLE(height: size[0].intValue, width: size[1].intValue, counts: counts)
            return try Geometry.compressedRLE(compressed).rle(height: compressed.height, width: compressed.width)
        default:
            throw OracleError.missing("unknown seg_type \(segType)")
        }
    }

    @Test("every oracle record reproduced exactly (counts string, area, bbox)")
    func oracle() throws {
        let directory = SharedData.cocoReal
        let text = try String(contentsOf: directory.appendingPathComponent("oracle_annotations.jsonl"), encoding: .utf8)
        var sources: [String: Source] = [:]
        var panopticCache: [String: (Int, Int, [UInt32])] = [:]
        var checked = 0
        var passed = 0
        var perType: [String: Int] = [:]
        for line in text.split(separator: "\n") where !line.isEmpty {
            let record = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] ?? [:]
            guard let file = record["file"] as? String, let oracle = record["rle"] as? [String: Any],
                  let counts = oracle["counts"] as? String, let size = oracle["size"] as? [NSNumber],
                  let area = Self.int(record["area"]), let bbox = record["bbox"] as? [NSNumber] else {
                Issue.record("malformed oracle line: \(line.prefix(200))")
                continue
            }
            if sources[file] == nil { sources[file] = try Source(url: directory.appendingPathComponent(file)) }
            guard let source = sources[file] else { continue }
            checked += 1
            let label = "\(file) \(record["id"] ?? record["index"] ?? record["segment_id"] ?? "?")"
            do {
                let rle = try Self.computeRLE(record, source: source, directory: directory, panopticCache: &panopticCache)
                let ok = rle.compressedString == counts && rle.area == area
                    && rle.boundingBox.array == bbox.map(\.doubleValue)
                    && rle.height == size[0].intValue && rle.width == size[1].intValue
                    && Self.int(record["pixel_sum"]).map { $0 == rle.area } ?? true
                #expect(rle.compressedString == counts, "\(label)")
                #expect(rle.area == area, "\(label)")
                #expect(rle.boundingBox.array == bbox.map(\.doubleValue), "\(label)")
                if ok {
                    passed += 1
                    perType[record["seg_type"] as? String ?? "?", default: 0] += 1
                }
            } catch {
                Issue.record("\(label): \(error)")
            }
        }
        print("pycocotools oracle: \(passed)/\(checked) records reproduced exactly \(perType.sorted { $0.key < $1.key })")
        #expect(checked == 1551)
        #expect(passed == checked)
    }
}
