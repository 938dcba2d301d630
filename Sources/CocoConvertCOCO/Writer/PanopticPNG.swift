import CocoConvertCore
import CocoConvertPNG

/// Encodes a plane of panoptic segment ids as the RGB PNG panopticapi reads (`id = R + 256·G + 256²·B`).
enum PanopticPNG {
    /// The PNG bytes of `plane`.
    static func encode(_ plane: LabelPlane) throws -> [UInt8] {
        var rgb = [UInt8](repeating: 0, count: plane.pixels.count * 3)
        rgb.withUnsafeMutableBufferPointer { out in
            plane.pixels.withUnsafeBufferPointer { ids in
                for k in 0..<ids.count {
                    let id = ids[k]
                    out[3 * k] = UInt8(truncatingIfNeeded: id)
                    out[3 * k + 1] = UInt8(truncatingIfNeeded: id >> 8)
                    out[3 * k + 2] = UInt8(truncatingIfNeeded: id >> 16)
                }
            }
        }
        return try PNGEncoder.encodeRGB8(width: plane.width, height: plane.height, pixels: rgb)
    }
}
