/// Normalised YOLO coordinates as whole micro-units (6 decimals), chosen so that the pixel
/// coordinate read back lands where pycocotools' rasteriser needs it.
///
/// pycocotools rounds `5·x + 0.5` down, so every coordinate falls on a step of a ×5 grid, and the
/// mask depends on those steps only. A coordinate `x` of an image `size` pixels long is first moved,
/// within its step, at least a small margin away from the step's edges (8·10⁻⁶ of the size, at
/// most 0.05 px: more than a 32-bit float reader such as Ultralytics' loses), then written as the
/// nearest micro-unit count whose value reads back on the same step (its neighbours are tried when
/// the nearest does not). Corner coordinates of traced rings sit mid-step and are not moved.
enum YOLOCoordinates {
    static let scale = 1_000_000.0

    /// The micro-unit count for pixel coordinate `x` in an image `size` pixels long, clamped to 0…10⁶.
    static func micro(_ x: Double, size: Int) -> Int {
        let length = Double(size)
        let target = rasterStep(x)
        let lower = (Double(target) - 0.5) / 5, upper = (Double(target) + 0.5) / 5
        let margin = min(0.05, max(2 * length / scale, 8e-6 * length))
        let safe = margin * 2 < upper - lower ? min(max(x, lower + margin), upper - margin) : x
        let nearest = Int((safe / length * scale).rounded())
        for k in [nearest, nearest + 1, nearest - 1] where rasterStep(Double(k) / scale * length) == target {
            return min(max(k, 0), Int(scale))
        }
        return min(max(nearest, 0), Int(scale))
    }

    /// The micro-unit count nearest `x / size` (box centres and sizes, which are not rasterised).
    static func nearest(_ x: Double, size: Int) -> Int {
        min(max(Int((x / Double(size) * scale).rounded()), 0), Int(scale))
    }

    /// The ×5 grid step pycocotools puts `x` on.
    static func rasterStep(_ x: Double) -> Int {
        Int((5 * x + 0.5).rounded(.towardZero))
    }

    /// Appends `k / 10⁶` in the shortest decimal form (`0`, `1`, `0.25`, `0.123457`).
    static func append(_ k: Int, to out: inout [UInt8]) {
        if k >= 1_000_000 {
            out.append(UInt8(ascii: "1"))
            return
        }
        if k <= 0 {
            out.append(UInt8(ascii: "0"))
            return
        }
        var digits = [UInt8](repeating: UInt8(ascii: "0"), count: 6)
        var rest = k
        for position in stride(from: 5, through: 0, by: -1) {
            digits[position] = UInt8(ascii: "0") + UInt8(rest % 10)
            rest /= 10
        }
        var end = 6
        while end > 1 && digits[end - 1] == UInt8(ascii: "0") { end -= 1 }
        out.append(contentsOf: [UInt8(ascii: "0"), UInt8(ascii: ".")])
        out.append(contentsOf: digits[0..<end])
    }
}
