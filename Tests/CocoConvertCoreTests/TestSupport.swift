import Foundation
@testable import CocoConvertCore

/// Locations of the shared test data (`../shared` next to the repository root).
enum SharedData {
    /// `<repo>/../shared/data/coco-real`.
    static var cocoReal: URL {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()  // CocoConvertCoreTests
            .deletingLastPathComponent()  // Tests
            .deletingLastPathComponent()  // repo root
            .deletingLastPathComponent()
            .appendingPathComponent("shared/data/coco-real")
    }
}

/// Property tests use Core's seedable generator, so every failure is reproducible from its seed.
typealias SeededRNG = SplitMix64
/// Dense helpers used as the obviously-correct model in property tests.
enum Dense {
    /// A random column-major 0/1 mask with blobs of varying density.
    static func randomMask(height: Int, width: Int, rng: inout SeededRNG) -> [UInt8] {
        let style = Int.random(in: 0..<4, using: &rng)
        var mask = [UInt8](repeating: 0, count: height * width)
        switch style {
        case 0:  // noise
            let p = Double.random(in: 0...1, using: &rng)
            for i in mask.indices { mask[i] = Double.random(in: 0..<1, using: &rng) < p ? 1 : 0 }
        case 1:  // all ones or all zeros
            let v: UInt8 = Bool.random(using: &rng) ? 1 : 0
            for i in mask.indices { mask[i] = v }
        default:  // a few rectangles
            for _ in 0..<Int.random(in: 0...4, using: &rng) {
                let x0 = Int.random(in: 0..<width, using: &rng), x1 = Int.random(in: x0..<width, using: &rng)
                let y0 = Int.random(in: 0..<height, using: &rng), y1 = Int.random(in: y0..<height, using: &rng)
                for x in x0...x1 { for y in y0...y1 { mask[x * height + y] = 1 } }
            }
        }
        return mask
    }

    /// Column-major → row-major.
    static func transpose(_ mask: [UInt8], height: Int, width: Int) -> [UInt8] {
        var rows = [UInt8](repeating: 0, count: mask.count)
        for x in 0..<width { for y in 0..<height { rows[y * width + x] = mask[x * height + y] } }
        return rows
    }

    /// The pycocotools box of a dense mask for a mask without wrapping runs: [xmin, ymin, w, h].
    static func boundingBox(_ mask: [UInt8], height: Int, width: Int) -> [Double] {
        var xs = Int.max, ys = Int.max, xe = -1, ye = -1
        for x in 0..<width { for y in 0..<height where mask[x * height + y] != 0 {
            xs = min(xs, x); xe = max(xe, x); ys = min(ys, y); ye = max(ye, y)
        } }
        if xe < 0 { return [0, 0, 0, 0] }
        return [Double(xs), Double(ys), Double(xe - xs + 1), Double(ye - ys + 1)]
    }
}
