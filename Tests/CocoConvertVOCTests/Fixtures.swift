import Foundation

/// Paths of the checked-in fixtures and the shared test data, found from this file's location.
enum Fixtures {
    /// The repository root: three levels up from `Tests/CocoConvertVOCTests/Fixtures.swift`.
    static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `formats/voc`, the fixtures written by `formats/voc/make_fixture.py` (Pillow, xml.etree).
    static let voc = repositoryRoot.appendingPathComponent("formats/voc")

    /// `../shared` beside the repository (the real COCO subsets and the pycocotools oracle).
    static let shared = repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared")

    static func bytes(_ url: URL) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: url))
    }

    /// A fresh empty directory under the system temporary directory.
    static func temporaryDirectory(_ label: String = "voc") throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("cococonvert-\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
