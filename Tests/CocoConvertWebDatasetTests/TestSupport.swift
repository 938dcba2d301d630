import CocoConvertCOCO
import CocoConvertCore
import Foundation

enum Paths {
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let shared = repoRoot.deletingLastPathComponent().appendingPathComponent("shared")
    static let cocoReal = shared.appendingPathComponent("data/coco-real")

    static func fixture(_ relative: String) -> String {
        repoRoot.appendingPathComponent("formats/" + relative).path
    }

    static func instances(_ split: String) -> String {
        cocoReal.appendingPathComponent("instances/annotations/instances_\(split).json").path
    }

    /// A fresh temporary directory.
    static func temporaryDirectory(_ name: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("cococonvert-wds-tests-\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }
}

/// Every sample of a reader, in order.
func readAll(_ reader: any DatasetReader) throws -> [Sample] {
    var out: [Sample] = []
    while let s = try reader.next() { out.append(s) }
    return out
}

/// A JSON file parsed with Foundation (an independent reader of goldens and outputs).
func jsonObject(_ path: String) throws -> Any {
    try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path)))
}

/// pycocotools' `annToRLE` counts and size per annotation id of a coco-real file (the oracle).
func oracle(file: String) throws -> [Int64: (counts: String, height: Int, width: Int)] {
    let text = try String(contentsOf: Paths.cocoReal.appendingPathComponent("oracle_annotations.jsonl"), encoding: .utf8)
    var out: [Int64: (String, Int, Int)] = [:]
    for line in text.split(separator: "\n") {
        guard let obj = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
              (obj["file"] as? String) == file, let id = (obj["id"] as? NSNumber)?.int64Value,
              let rle = obj["rle"] as? [String: Any], let counts = rle["counts"] as? String,
              let size = rle["size"] as? [NSNumber], size.count == 2 else { continue }
        out[id] = (counts, size[0].intValue, size[1].intValue)
    }
    return out
}

/// The compressed RLE string of an instance's mask, whatever form the geometry has.
func compressedCounts(_ instance: Instance, _ sample: Sample) throws -> String {
    if case .compressedRLE(let c) = instance.geometry { return c.counts }
    return try instance.geometry.rle(height: sample.height, width: sample.width).compressedString
}

/// Files whose names start with a dot (temporary files left behind), anywhere under `directory`.
func hiddenFiles(in directory: String) -> [String] {
    let names = (FileManager.default.enumerator(atPath: directory)?.allObjects as? [String]) ?? []
    return names.filter { $0.split(separator: "/").contains { $0.hasPrefix(".") } }
}

/// Runs a conversion on `jobs` workers.
func convert(jobs: Int, reader: any DatasetReader, writer: any DatasetWriter, skips: SkipReport) throws {
    _ = try Conversion(jobs: jobs).run(reader: reader, writer: writer, skips: skips)
}
