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

/// A small deterministic generator (SplitMix64) so fuzz loops are reproducible.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

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
