import CocoConvertCore
import Foundation

/// Paths of the committed fixtures and the shared test data, found from this file's location.
enum Fixtures {
    /// The repository root: three levels up from Tests/CocoConvertTFRecordTests/Fixtures.swift.
    static let repoRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `formats/tfrecord/<relative>`.
    static func tfrecord(_ relative: String) -> String {
        repoRoot.appendingPathComponent("formats/tfrecord").appendingPathComponent(relative).path
    }

    /// `../shared/<relative>` beside the repository.
    static func shared(_ relative: String) -> String {
        repoRoot.deletingLastPathComponent().appendingPathComponent("shared").appendingPathComponent(relative).path
    }

    static func bytes(_ path: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    /// A fresh empty directory under the system temporary directory.
    static func temporaryDirectory(_ name: String = #function) throws -> String {
        let safe = name.filter { $0.isLetter || $0.isNumber }
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("cococonvert-tfrecord-tests-\(safe)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }
}

/// Fuzz loops use Core's seedable generator, so every failure is reproducible from its seed.
typealias SeededGenerator = SplitMix64
func hexBytes(_ hex: String) -> [UInt8] {
    let digits = Array(hex.filter { !$0.isWhitespace }.utf8)
    var out: [UInt8] = []
    var i = 0
    while i + 1 < digits.count {
        out.append(UInt8(String(decoding: digits[i...(i + 1)], as: UTF8.self), radix: 16) ?? 0)
        i += 2
    }
    return out
}
