import CocoConvertCore
import Testing
@testable import CocoConvertVerify

/// The comparison of one image pair on hand-made samples whose answers are counted by hand.
@Suite struct ImageComparisonTests {
    static let categories = [Category(id: 1, name: "cat"), Category(id: 2, name: "dog")]
    static let header = DatasetHeader(kind: .instances, categories: categories)

    /// A `width × height` mask with the rectangle `x..<x+w`, `y..<y+h` set.
    static func box(_ x: Int, _ y: Int, _ w: Int, _ h: Int, width: Int = 10, height: Int = 8) -> Geometry {
        var mask = [UInt8](repeating: 0, count: width * height)   // column-major
        for xx in x..<(x + w) { for yy in y..<(y + h) { mask[xx * height + yy] = 1 } }
        return .rle(RLE(encodingColumnMajor: mask, height: height, width: width))
    }

    static func sample(_ instances: [Instance], id: Int64 = 1, width: Int = 10, height: Int = 8) -> Sample {
        Sample(id: id, fileName: "\(id).jpg", width: width, height: height, instances: instances)
    }

    static func compare(_ a: Sample, _ b: Sample, tolerance: Double = 0) throws -> ImageReport {
        let table = ClassTable()
        let options = PaintOptions(schema: .contiguous(categories), kind: .instance)
        let painter = LabelPainter(options: options)
        var sideA = SideClasses(header: header, schema: options.schema, table: table)
        var sideB = SideClasses(header: header, schema: options.schema, table: table)
        let ia = try PaintedImage(a, painter: painter, classes: &sideA)
        let ib = try PaintedImage(b, painter: painter, classes: &sideB)
        return ImageComparison.compare(ia, ib, classes: table, tolerance: tolerance)
    }

    @Test func identicalSamplesAgreeEverywhere() throws {
        let s = Self.sample([Instance(id: 7, categoryID: 1, geometry: Self.box(1, 1, 3, 2)),
                             Instance(id: 8, categoryID: 2, geometry: Self.box(5, 2, 2, 4))])
        let report = try Self.compare(s, s)
        #expect(report.pixels == 80)
        #expect(report.differingPixels == 0)
        #expect(report.instances.isEmpty)
        #expect(report.instancesCompared == 2)
        #expect(!report.differs(tolerance: 0))
    }

    @Test func aShiftedMaskIsAMaskChangeWithItsDrift() throws {
        let a = Self.sample([Instance(id: 7, categoryID: 1, geometry: Self.box(1, 1, 3, 2))])
        let b = Self.sample([Instance(id: 7, categoryID: 1, geometry: Self.box(2, 1, 3, 2))])
        let report = try Self.compare(a, b)
        // 6 px each, 4 shared: 2 px cat → background, 2 px background → cat.
        #expect(report.differingPixels == 4)
        #expect(Set(report.confusions.map { "\($0.from)>\($0.to):\($0.pixels)" }) == ["cat>background:2", "background>cat:2"])
        let finding = try #require(report.instances.first)
        #expect(report.instances.count == 1)
        #expect(finding.kind == .maskChanged)
        #expect(finding.annotationA == 7)
        #expect(abs((finding.iou ?? 0) - 4.0 / 8.0) < 1e-12)
        #expect(finding.areaDrift == 0)
        #expect(finding.bboxDrift == 1)
        // A tolerance of half the IoU lets it pass.
        #expect(try Self.compare(a, b, tolerance: 0.5).instances.isEmpty)
    }

    @Test func categorySwapWithoutIDsIsFoundByOverlap() throws {
        let a = Self.sample([Instance(id: nil, categoryID: 1, geometry: Self.box(1, 1, 3, 3))])
        let b = Self.sample([Instance(id: nil, categoryID: 2, geometry: Self.box(1, 1, 3, 3))])
        let report = try Self.compare(a, b)
        #expect(report.instances.map(\.kind) == [.categoryChanged])
        #expect(report.instances.first?.classA == "cat")
        #expect(report.instances.first?.classB == "dog")
        #expect(report.confusions.first?.pixels == 9)
    }

    @Test func deletedAndAddedInstancesAreLostAndInvented() throws {
        let a = Self.sample([Instance(id: 1, categoryID: 1, geometry: Self.box(0, 0, 2, 2)),
                             Instance(id: 2, categoryID: 2, geometry: Self.box(5, 5, 2, 2))])
        let b = Self.sample([Instance(id: 2, categoryID: 2, geometry: Self.box(5, 5, 2, 2)),
                             Instance(id: 3, categoryID: 1, geometry: Self.box(8, 0, 2, 2))])
        let report = try Self.compare(a, b)
        #expect(Set(report.instances.map { "\($0.kind.rawValue) \($0.annotationA ?? $0.annotationB ?? -1)" }) == ["lost 1", "invented 3"])
        #expect(report.differingPixels == 8)
    }

    @Test func ownedPixelsAreCompared() throws {
        // B holds what a label map keeps: the later instance's pixels win; A paints the same way.
        let a = Self.sample([Instance(id: 1, categoryID: 1, geometry: Self.box(0, 0, 4, 4)),
                             Instance(id: 2, categoryID: 2, geometry: Self.box(2, 2, 4, 4))])
        var owned = [UInt8](repeating: 0, count: 80)
        for x in 0..<4 { for y in 0..<4 where !(x >= 2 && y >= 2) { owned[x * 8 + y] = 1 } }
        let b = Self.sample([Instance(id: 1, categoryID: 1, geometry: .rle(RLE(encodingColumnMajor: owned, height: 8, width: 10))),
                             Instance(id: 2, categoryID: 2, geometry: Self.box(2, 2, 4, 4))])
        let report = try Self.compare(a, b)
        #expect(report.instances.isEmpty, "\(report.instances.map(\.text))")
        #expect(report.differingPixels == 0)
    }

    @Test func differentSizesAreNotCompared() throws {
        let a = Self.sample([], width: 10, height: 8), b = Self.sample([], width: 10, height: 7)
        let report = try Self.compare(a, b)
        #expect(report.status == .sizeMismatch(widthA: 10, heightA: 8, widthB: 10, heightB: 7))
        #expect(report.differs(tolerance: 1))
    }
}
