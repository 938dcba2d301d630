import CocoConvertCOCO
import CocoConvertCore
import CocoConvertPNG
import Foundation
@testable import CocoConvertTFRecord

/// A minimal semantic painter with the oracle's rule (non-crowd annotations in file order, later
/// wins, pixel = category id), standing in for the CLI's LabelPainter in library tests.
func oracleRenderer(_ header: DatasetHeader) -> LabelMapRenderer {
    let schema = LabelSchema(entries: header.categories.map {
        LabelEntry(value: UInt32($0.id), categoryID: $0.id, name: $0.name)
    })
    return LabelMapRenderer(paint: { sample in
        var map = LabelMap(width: sample.width, height: sample.height)
        for instance in sample.instances where !instance.isCrowd {
            let rle = try instance.geometry.rle(height: sample.height, width: sample.width)
            var stream = RLERowStream(rle)
            map.pixels.withUnsafeMutableBufferPointer { p in
                for y in 0..<sample.height {
                    _ = stream.paintNextRow(UnsafeMutableBufferPointer(rebasing: p[(y * sample.width)..<((y + 1) * sample.width)]),
                                            value: UInt16(instance.categoryID))
                }
            }
        }
        map.maxValue = map.computeMaxValue()
        return map
    }, palette: nil, schema: schema)
}

/// Every sample of a reader, in order.
func readAll(_ reader: any DatasetReader) throws -> [Sample] {
    var out: [Sample] = []
    while let s = try reader.next() { out.append(s) }
    return out
}

/// Runs a conversion on two workers.
@discardableResult
func convert(_ reader: any DatasetReader, _ writer: any DatasetWriter, skips: SkipReport) throws -> Conversion.Outcome {
    try Conversion(jobs: 2).run(reader: reader, writer: writer, skips: skips)
}

/// The coco-real instances annotation file of a split (`val2017` or `train2017`).
func cocoRealInstances(_ split: String) -> String {
    Fixtures.shared("data/coco-real/instances/annotations/instances_\(split).json")
}

/// The pycocotools oracle: compressed RLE string per annotation id of an instances file.
func oracleRLEs(file: String) throws -> [Int64: (counts: String, area: Int)] {
    let text = try String(contentsOfFile: Fixtures.shared("data/coco-real/oracle_annotations.jsonl"), encoding: .utf8)
    var out: [Int64: (String, Int)] = [:]
    for line in text.split(separator: "\n") {
        guard let obj = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
              (obj["file"] as? String) == file,
              let id = (obj["id"] as? NSNumber)?.int64Value,
              let rle = obj["rle"] as? [String: Any], let counts = rle["counts"] as? String,
              let area = (obj["area"] as? NSNumber)?.intValue else { continue }
        out[id] = (counts, area)
    }
    return out
}

/// Tiny synthetic samples with in-memory "images" (a JPEG magic number and the index).
func syntheticSamples(_ n: Int, width: Int = 4, height: Int = 3) -> [Sample] {
    var out: [Sample] = []
    for i in 0..<n {
        let square: [Double] = [0, 0, 2, 0, 2, 2, 0, 2]
        let instance = Instance(id: Int64(100 + i), categoryID: 1, bbox: BoundingBox(x: 0, y: 0, width: 2, height: 2),
                                area: 4, geometry: .polygons([square]))
        let image: [UInt8] = [0xFF, 0xD8, 0xFF, UInt8(i & 0xFF)]
        out.append(Sample(id: Int64(i + 1), fileName: "img\(i + 1).jpg", width: width, height: height,
                          image: .bytes(image), instances: [instance]))
    }
    return out
}

/// A reader over samples in memory.
final class ArrayReader: DatasetReader {
    let header: DatasetHeader
    private var samples: [Sample]
    private var index = 0
    init(_ samples: [Sample], categories: [CocoConvertCore.Category] = [Category(id: 1, name: "thing")], count: Int?? = .none,
         split: String = "train") {
        self.samples = samples
        let known: Int? = count ?? samples.count
        header = DatasetHeader(kind: .instances, categories: categories, split: split, sampleCount: known)
    }
    func next() throws -> Sample? {
        guard index < samples.count else { return nil }
        defer { index += 1 }
        return samples[index]
    }
}
