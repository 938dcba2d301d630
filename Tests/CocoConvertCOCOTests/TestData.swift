import Foundation
import CocoConvertCore
@testable import CocoConvertCOCO

/// Paths of the shared test data and of this target's fixtures.
enum TestData {
    /// The repository root (three levels up from this file).
    static let repositoryRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// `../shared/data/coco-real`.
    static let cocoReal = repositoryRoot + "/../shared/data/coco-real"

    /// `formats/coco` (fixtures owned by the COCO format).
    static let fixtures = repositoryRoot + "/formats/coco"

    /// Every COCO JSON file in coco-real, relative to it.
    static let realFiles = [
        "instances/annotations/instances_val2017.json",
        "instances/annotations/instances_train2017.json",
        "stuff/annotations/stuff_train2017.json",
        "panoptic/annotations/panoptic_val2017.json",
        "panoptic/annotations/panoptic_val2017_detection_format.json",
        "results/instances_val2014_fakesegm100_results.json",
    ]

    /// The real files that need no panoptic PNG reading.
    static let realFilesWithoutPNG = realFiles.filter { $0 != "panoptic/annotations/panoptic_val2017.json" }

    /// A fresh temporary directory.
    static func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "coco-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Writes `text` to a new temporary file and returns its path.
    static func write(_ text: String, name: String = "test.json") throws -> String {
        let path = try temporaryDirectory() + "/" + name
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// All samples of a file.
    static func readAll(_ path: String, policy: ErrorPolicy = .fail) throws -> (DatasetHeader, [Sample], SkipReport) {
        let skips = SkipReport(policy: policy)
        let reader = try COCOReader(path: path, skips: skips)
        var samples: [Sample] = []
        while let sample = try reader.next() { samples.append(sample) }
        return (reader.header, samples, skips)
    }

    /// A file parsed with Foundation (tests only), as a dictionary or an array.
    static func foundationJSON(_ path: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path)))
    }
}
