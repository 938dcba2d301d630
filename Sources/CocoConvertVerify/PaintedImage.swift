import CocoConvertCore

/// One painted instance (or class region) of a ``PaintedImage``: the pixels it owns after painting.
public struct PaintedRegion: Sendable, Hashable {
    /// The value it was painted with in the instance map.
    public var value: UInt16
    /// Its class in the comparison's ``ClassTable``.
    public var classIndex: Int
    /// The annotation id, where the format keeps one.
    public var annotationID: Int64?
    public var isCrowd: Bool
    /// Owned pixels: those that kept this instance's value after the later ones were painted.
    public var area: Int
    /// Tight box of the owned pixels (pixel-edge coordinates); nil when `area` is 0.
    public var bbox: BoundingBox?
}

/// A sample reduced to what verify compares: its instance map as row-major runs and the regions the
/// values stand for. Holding runs rather than pixels keeps an index of many images small.
public struct PaintedImage: Sendable {
    public var id: Int64
    public var fileName: String
    public var stem: String
    public var width: Int
    public var height: Int
    /// The picture, for overlays (embedded bytes are dropped when the image is held in an index).
    public var image: ImageSource
    /// Exclusive end of each run in the flattened map (`y * width + x`); the last is `width * height`.
    public var runEnds: [UInt32]
    /// The instance-map value of each run.
    public var runValues: [UInt16]
    /// Regions with at least one owned pixel, by value.
    public var regions: [PaintedRegion]
    /// Class index of every value in the map (background and ignore included), indexed by value.
    public var classOfValue: [Int32]
    /// False when the sample's "instances" are class regions of a semantic label map (one per class):
    /// then only pixels are compared, not instances.
    public var hasInstances: Bool

    /// The region painted with `value`, if any.
    public func region(value: UInt16) -> PaintedRegion? {
        regions.first { $0.value == value }
    }

    /// The class of every pixel, row-major (for overlays; one image at a time).
    public func classMap() -> [Int32] {
        var out = [Int32](repeating: 0, count: width * height)
        var start = 0
        for (end, value) in zip(runEnds, runValues) {
            let c = Int(value) < classOfValue.count ? classOfValue[Int(value)] : 0
            let stop = Int(end)
            if c != 0 { for i in start..<stop { out[i] = c } }
            start = stop
        }
        return out
    }
}

extension PaintedImage {
    /// Paints `sample` as an instance map under `painter` (whose kind must be `.instance`) and
    /// records runs, owned regions and classes.
    init(_ sample: Sample, painter: LabelPainter, classes: inout SideClasses) throws {
        let painted = try painter.paintSegments(sample)
        let map = painted.map
        let schema = painter.options.schema
        var ends: [UInt32] = []
        var values: [UInt16] = []
        map.pixels.withUnsafeBufferPointer { px in
            guard let base = px.baseAddress else { return }
            var i = 0
            let n = px.count
            while i < n {
                let v = px[i]
                let end = LabelRun.end(in: base, from: i &+ 1, to: n, value: v)
                ends.append(UInt32(end))
                values.append(v)
                i = end
            }
        }
        var regions: [PaintedRegion] = []
        var maxValue = Int(map.maxValue)
        for segment in painted.segments { maxValue = max(maxValue, Int(segment.value)) }
        var classOfValue = [Int32](repeating: Int32(ClassTable.background), count: maxValue + 1)
        if Int(schema.ignoreIndex) <= maxValue { classOfValue[Int(schema.ignoreIndex)] = Int32(ClassTable.ignore) }
        for segment in painted.segments {
            let c = classes.index(ofCategory: segment.categoryID)
            classOfValue[Int(segment.value)] = Int32(c)
            guard segment.area > 0 else { continue }
            regions.append(PaintedRegion(value: segment.value, classIndex: c, annotationID: segment.annotationIDs.first ?? nil,
                                         isCrowd: segment.isCrowd, area: segment.area, bbox: segment.bbox))
        }
        self.init(id: sample.id, fileName: sample.fileName, stem: sample.stem, width: sample.width, height: sample.height,
                  image: sample.image, runEnds: ends, runValues: values, regions: regions, classOfValue: classOfValue,
                  hasInstances: !Self.isClassRegions(sample, schema: classes.header.labelSchema))
    }

    /// Whether a sample's instances are the class regions of one semantic map: no ids, one per
    /// category, each the pixels of one plane equal to its category's label value. (An instance map
    /// whose instance numbers happen to equal their classes' values looks the same; such an image is
    /// then compared by pixels only.)
    static func isClassRegions(_ sample: Sample, schema: LabelSchema?) -> Bool {
        guard let schema, !sample.instances.isEmpty else { return false }
        var plane: LabelPlane?
        var seen = Set<Int64>()
        for instance in sample.instances {
            guard instance.id == nil, seen.insert(instance.categoryID).inserted,
                  case .labelValue(let p, let v) = instance.geometry, plane == nil || plane === p,
                  schema.value(forCategory: instance.categoryID) == v else { return false }
            plane = p
        }
        return true
    }
}
