import CocoConvertCore
enum MaskPolygons {
    static func singleRing(_ rle: RLE, simplify: Double) -> [Double] {
        let b = rle.boundingBox
        return [b.x, b.y, b.x + b.width, b.y, b.x + b.width, b.y + b.height, b.x, b.y + b.height]
    }
}
