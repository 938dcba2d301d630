import Testing
@testable import CocoConvertYOLO

@Suite struct YOLOCoordinatesTests {
    @Test func formatting() {
        var out: [UInt8] = []
        for k in [0, 1_000_000, 250_000, 123_457, 1, 999_999, 1_200_000, -5] {
            YOLOCoordinates.append(k, to: &out)
            out.append(32)
        }
        #expect(String(decoding: out, as: UTF8.self) == "0 1 0.25 0.123457 0.000001 0.999999 1 0 ")
    }

    @Test("every corner coordinate of every image size up to 2000 px reads back on the same rasteriser step")
    func cornersReadBackOnTheirStep() {
        for size in [1, 7, 333, 427, 480, 640, 1024, 1999] {
            for corner in 0...size {
                for x in [Double(corner), Double(corner) - 0.5, Double(corner) + 0.5] where x >= 0 && x <= Double(size) {
                    let k = YOLOCoordinates.micro(x, size: size)
                    let back = Double(k) / YOLOCoordinates.scale * Double(size)
                    #expect(YOLOCoordinates.rasterStep(back) == YOLOCoordinates.rasterStep(x), "size \(size), x \(x), k \(k)")
                }
            }
        }
    }
}
