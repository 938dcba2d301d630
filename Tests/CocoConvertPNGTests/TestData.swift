import Foundation

/// Paths into ../shared, found from this file's location (repo root = 3 levels up).
enum TestData {
    static let repoRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let shared: URL = repoRoot.deletingLastPathComponent().appendingPathComponent("shared")
    static let cocoReal: URL = shared.appendingPathComponent("data/coco-real")
    static let oracleSemantic: URL = cocoReal.appendingPathComponent("oracle_semantic")

    /// All oracle PNGs, sorted, as (subdirectory, file URL).
    static func oraclePNGs() throws -> [(String, URL)] {
        var out: [(String, URL)] = []
        let fm = FileManager.default
        for dir in try fm.contentsOfDirectory(atPath: oracleSemantic.path).sorted() {
            let d = oracleSemantic.appendingPathComponent(dir)
            for f in try fm.contentsOfDirectory(atPath: d.path).sorted() where f.hasSuffix(".png") {
                out.append((dir, d.appendingPathComponent(f)))
            }
        }
        return out
    }

    /// A fresh temporary directory.
    static func temporaryDirectory(_ name: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("cococonvert-png-tests-\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

import CocoConvertPNG

/// Oracle label maps as `[UInt16]`.
enum PNGDecoderShim {
    static func oracle(_ directory: String, _ stem: String) throws -> [UInt16] {
        try PNGDecoder.decode(file: TestData.oracleSemantic.appendingPathComponent("\(directory)/\(stem).png").path).samples
    }
}
