import CocoConvertCore
import Testing
@testable import CocoConvertVOC

@Suite struct VOCBoxTests {
    @Test func integerBoxesUseOneBasedInclusiveIndices() {
        let box = VOCBox(BoundingBox(x: 0, y: 0, width: 10, height: 10), width: 20, height: 20)
        #expect(box == VOCBox(xmin: 1, ymin: 1, xmax: 10, ymax: 10))
        #expect(box.boundingBox == BoundingBox(x: 0, y: 0, width: 10, height: 10))
    }

    @Test(arguments: [(2.0, 3.0, 5.0, 1.0), (0.0, 0.0, 1.0, 1.0), (7.0, 4.0, 13.0, 16.0)])
    func integerBoxesRoundTrip(x: Double, y: Double, w: Double, h: Double) {
        let b = BoundingBox(x: x, y: y, width: w, height: h)
        #expect(VOCBox(b, width: 20, height: 20).boundingBox == b)
    }

    @Test func fractionalBoxesCoverPixelsWhoseCentresLieInside() {
        // x in [2.3, 7.6]: centres 2.5 ... 7.5 -> columns 2...7 -> 1-based 3...8.
        // y in [1.7, 5.2]: centres 2.5 ... 4.5 -> rows 2...4 -> 1-based 3...5 (pycocotools paints rows 2...4 too).
        let box = VOCBox(BoundingBox(x: 2.3, y: 1.7, width: 5.3, height: 3.5), width: 10, height: 8)
        #expect(box == VOCBox(xmin: 3, ymin: 3, xmax: 8, ymax: 5))
    }

    @Test func clampsToTheImageAndKeepsThinBoxesNonEmpty() {
        #expect(VOCBox(BoundingBox(x: -5, y: -5, width: 100, height: 100), width: 10, height: 8)
                == VOCBox(xmin: 1, ymin: 1, xmax: 10, ymax: 8))
        #expect(VOCBox(BoundingBox(x: 4.1, y: 4.1, width: 0.2, height: 0), width: 10, height: 8)
                == VOCBox(xmin: 5, ymin: 5, xmax: 5, ymax: 5))
        #expect(VOCBox(BoundingBox(x: .nan, y: 0, width: 1, height: 1), width: 10, height: 8).xmax == 10)
    }
}
