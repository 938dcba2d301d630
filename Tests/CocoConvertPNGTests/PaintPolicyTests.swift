import CocoConvertCOCO
import CocoConvertCore
import Foundation
import Testing

/// Overlap, crowd and mapping policies of ``LabelPainter`` on hand-made samples (expected maps
/// written out by hand) and on the real data.
@Suite("Paint policies")
struct PaintPolicyTests {
    static let categories = [Category(id: 1, name: "a"), Category(id: 2, name: "b"), Category(id: 3, name: "c")]

    /// A rectangle polygon covering pixels x0..<x1, y0..<y1.
    static func box(_ id: Int64, _ category: Int64, _ x0: Int, _ y0: Int, _ x1: Int, _ y1: Int, crowd: Bool = false) -> Instance {
        let (a, b, c, d) = (Double(x0), Double(y0), Double(x1), Double(y1))
        if crowd {
            // Crowds come as uncompressed RLE in COCO; build it from the rectangle.
            var mask = [UInt8](repeating: 0, count: 6 * 4)
            for x in x0..<x1 { for y in y0..<y1 { mask[x * 4 + y] = 1 } }
            return Instance(id: id, categoryID: category, isCrowd: true,
                            geometry: .rle(RLE(encodingColumnMajor: mask, height: 4, width: 6)))
        }
        return Instance(id: id, categoryID: category, geometry: .polygons([[a, b, c, b, c, d, a, d]]))
    }

    static func sample(_ instances: [Instance]) -> Sample {
        Sample(id: 42, fileName: "x.jpg", width: 6, height: 4, instances: instances)
    }

    static func paint(_ instances: [Instance], overlap: OverlapPolicy = .later, crowd: CrowdPolicy = .skip,
                      kind: MapKind = .semantic) throws -> [UInt16] {
        try LabelPainter(options: PaintOptions(schema: .contiguous(categories), crowd: crowd, overlap: overlap, kind: kind))
            .paint(sample(instances)).pixels
    }

    // 6×4 image: big box of class 1 over x 0..<4, y 0..<4 (16 px), small box of class 2 over x 2..<5, y 1..<3 (6 px).
    static let big = box(10, 1, 0, 0, 4, 4)
    static let small = box(20, 2, 2, 1, 5, 3)

    @Test("later: later annotation wins")
    func later() throws {
        #expect(try Self.paint([Self.big, Self.small]) == [
            1, 1, 1, 1, 0, 0,
            1, 1, 2, 2, 2, 0,
            1, 1, 2, 2, 2, 0,
            1, 1, 1, 1, 0, 0,
        ])
        #expect(try Self.paint([Self.small, Self.big]) == [
            1, 1, 1, 1, 0, 0,
            1, 1, 1, 1, 2, 0,
            1, 1, 1, 1, 2, 0,
            1, 1, 1, 1, 0, 0,
        ])
    }

    @Test("smaller: smaller objects on top whatever the file order")
    func smaller() throws {
        let expected: [UInt16] = [
            1, 1, 1, 1, 0, 0,
            1, 1, 2, 2, 2, 0,
            1, 1, 2, 2, 2, 0,
            1, 1, 1, 1, 0, 0,
        ]
        #expect(try Self.paint([Self.big, Self.small], overlap: .smaller) == expected)
        #expect(try Self.paint([Self.small, Self.big], overlap: .smaller) == expected)
        // Equal areas: file order (later on top).
        let twin = Self.box(30, 3, 3, 1, 6, 3)
        #expect(try Self.paint([Self.small, twin], overlap: .smaller)[6 + 3] == 3)
        #expect(try Self.paint([twin, Self.small], overlap: .smaller)[6 + 3] == 2)
    }

    @Test("error: names both annotation ids and the overlapping pixel count")
    func error() throws {
        do {
            _ = try Self.paint([Self.big, Self.small], overlap: .error)
            Issue.record("no overlap error")
        } catch let error as ConversionError {
            #expect(error.code == .overlap)
            #expect(error.message.contains("annotation 10"))
            #expect(error.message.contains("annotation 20"))
            #expect(error.message.contains("4 pixels"))
            #expect(error.context.imageID == 42)
        }
        // Disjoint annotations are fine, and so are same-class overlaps in semantic maps.
        _ = try Self.paint([Self.box(1, 1, 0, 0, 2, 2), Self.box(2, 2, 3, 0, 5, 2)], overlap: .error)
        _ = try Self.paint([Self.box(1, 1, 0, 0, 3, 3), Self.box(2, 1, 1, 1, 4, 4)], overlap: .error)
        // ... but not in instance maps.
        #expect(throws: ConversionError.self) {
            try Self.paint([Self.box(1, 1, 0, 0, 3, 3), Self.box(2, 1, 1, 1, 4, 4)], overlap: .error, kind: .instance)
        }
    }

    @Test("ignore: overlapping pixels get the ignore index")
    func ignore() throws {
        #expect(try Self.paint([Self.big, Self.small], overlap: .ignore) == [
            1, 1, 1, 1, 0, 0,
            1, 1, 255, 255, 2, 0,
            1, 1, 255, 255, 2, 0,
            1, 1, 1, 1, 0, 0,
        ])
        // A third annotation over a contested pixel leaves it ignored.
        let third = Self.box(30, 3, 3, 2, 6, 4)
        #expect(try Self.paint([Self.big, Self.small, third], overlap: .ignore) == [
            1, 1, 1, 1, 0, 0,
            1, 1, 255, 255, 2, 0,
            1, 1, 255, 255, 255, 3,
            1, 1, 1, 255, 3, 3,
        ])
    }

    @Test("crowd: skip, ignore (beneath objects), include")
    func crowd() throws {
        let crowd = Self.box(99, 3, 3, 0, 6, 4, crowd: true)
        let object = Self.box(10, 1, 0, 0, 4, 2)
        #expect(try Self.paint([crowd, object], crowd: .skip) == [
            1, 1, 1, 1, 0, 0,
            1, 1, 1, 1, 0, 0,
            0, 0, 0, 0, 0, 0,
            0, 0, 0, 0, 0, 0,
        ])
        // The crowd comes first in paint order even though it is later in the file.
        #expect(try Self.paint([object, crowd], crowd: .ignore) == [
            1, 1, 1, 1, 255, 255,
            1, 1, 1, 1, 255, 255,
            0, 0, 0, 255, 255, 255,
            0, 0, 0, 255, 255, 255,
        ])
        // Crowd-ignore regions never count as overlaps.
        _ = try Self.paint([object, crowd], overlap: .error, crowd: .ignore)
        #expect(try Self.paint([object, crowd], crowd: .include) == [
            1, 1, 1, 3, 3, 3,
            1, 1, 1, 3, 3, 3,
            0, 0, 0, 3, 3, 3,
            0, 0, 0, 3, 3, 3,
        ])
        // Instance maps: the crowd gets its own number under include, none under ignore.
        #expect(try Self.paint([object, crowd], crowd: .include, kind: .instance)[5] == 2)
        #expect(try Self.paint([object, crowd], crowd: .ignore, kind: .instance)[5] == 255)
    }

    @Test("instance maps number painted annotations 1...K in file order; segments carry area and box")
    func instances() throws {
        let painter = LabelPainter(options: PaintOptions(schema: .contiguous(Self.categories), kind: .instance))
        let result = try painter.paintSegments(Self.sample([Self.big, Self.small]))
        #expect(result.map.pixels[0] == 1 && result.map.pixels[6 + 2] == 2)
        #expect(result.segments.map(\.value) == [1, 2])
        #expect(result.segments.map(\.categoryID) == [1, 2])
        #expect(result.segments.map(\.area) == [12, 6])
        #expect(result.segments[1].bbox == BoundingBox(x: 2, y: 1, width: 3, height: 2))
    }

    @Test("unmapped categories: an error naming the annotation, or left out")
    func unmapped() throws {
        let stranger = Self.box(77, 9, 0, 0, 1, 1)
        do {
            _ = try Self.paint([stranger])
            Issue.record("no error")
        } catch let error as ConversionError {
            #expect(error.code == .unknownCategory)
            #expect(error.context.annotationID == 77)
            #expect(error.hint != nil)
        }
        let lenient = LabelPainter(options: PaintOptions(schema: .contiguous(Self.categories), unmapped: .ignore))
        #expect(try lenient.paint(Self.sample([stranger])).pixels.allSatisfy { $0 == 0 })
    }

    @Test("the comparison with the oracle can fail: crowds included differ from the oracle")
    func oracleSensitivity() throws {
        let path = TestData.cocoReal.appendingPathComponent("instances/annotations/instances_val2017.json").path
        let reader = try COCOReader(path: path, skips: SkipReport(policy: .fail))
        let painter = LabelPainter(options: PaintOptions(schema: .cocoIDs(reader.header.categories), crowd: .include))
        var differingImages = 0
        while let sample = try reader.next() {
            guard sample.instances.contains(where: \.isCrowd) else { continue }
            let oracle = try PNGDecoderShim.oracle("instances_val2017", sample.stem)
            if try painter.paint(sample).pixels != oracle { differingImages += 1 }
        }
        #expect(differingImages > 0)
    }
}
