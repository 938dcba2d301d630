import CocoConvertCore

/// Paints an image's object map and class map with ``LabelPainter`` and says which annotation
/// became which object index.
///
/// The object map is the painter's instance map: index k is the k-th annotation in file order
/// that has a mask, whose category the schema maps, and that is not a crowd (crowds too under
/// `--crowd include`); crowds under `--crowd ignore` are void (255) beneath the objects. The class
/// map is exactly the painter's semantic map for the same options: under the `later` and `smaller`
/// overlap rules both maps paint the same masks in the same order, so the class map is read off
/// the object map through an index → class table (one rasterisation per mask); under `ignore` and
/// `error`, where the two kinds differ (same-class overlaps conflict only between instances), it
/// is painted separately.
struct VOCPainter: Sendable {
    /// One annotation as listed in the XML.
    struct Object: Sendable {
        /// Position in `sample.instances`.
        var instance: Int
        /// Class value (index into labelmap.txt).
        var classValue: UInt32
        /// Pixels it owns in the object map (0 for unindexed objects).
        var owned = 0
        /// Box of the owned pixels.
        var ownedBox: BoundingBox?
    }

    /// The result for one image.
    struct Result: Sendable {
        var classMap: LabelMap
        var objectMap: LabelMap
        /// Object k (1-based) is `indexed[k - 1]`.
        var indexed: [Object]
        /// Mapped annotations without an index (crowds under skip/ignore, annotations without a
        /// mask), in file order.
        var unindexed: [Object]
    }

    static let void: UInt16 = 255
    /// Object indices 1...254: 0 is "no instance" and 255 void.
    static let maxInstances = 254

    let options: PaintOptions
    private let instancePainter: LabelPainter
    private let semanticPainter: LabelPainter?
    private let classValues: [Int64: UInt32]

    /// - Precondition: the schema's background is 0, its ignore index 255 and every value in
    ///   1...254 (``VOCWriter`` checks this in `begin`).
    init(options: PaintOptions) {
        self.options = options
        var instanceOptions = options
        instanceOptions.kind = .instance
        instancePainter = LabelPainter(options: instanceOptions)
        var semanticOptions = options
        semanticOptions.kind = .semantic
        semanticPainter = options.overlap == .later || options.overlap == .smaller ? nil : LabelPainter(options: semanticOptions)
        var values: [Int64: UInt32] = [:]
        for entry in options.schema.entries where values[entry.categoryID] == nil { values[entry.categoryID] = entry.value }
        classValues = values
    }

    /// The class value of a category, if the schema maps it.
    func classValue(of category: Int64) -> UInt32? { classValues[category] }

    /// Paints `sample`.
    ///
    /// - Throws: ``ConversionError`` `unsupported` for more than 254 indexed instances, and the
    ///   painter's errors (`overlap`, `unknownCategory`, bad masks).
    func paint(_ sample: Sample) throws -> Result {
        // The painter's numbering rule, replayed to know which annotation gets which index.
        var indexed: [Object] = []
        var unindexed: [Object] = []
        for (i, instance) in sample.instances.enumerated() {
            guard let value = classValues[instance.categoryID] else { continue }  // the painter drops or refuses it
            let hasMask: Bool
            if case .none = instance.geometry { hasMask = false } else { hasMask = true }
            if hasMask && (!instance.isCrowd || options.crowd == .include) {
                indexed.append(Object(instance: i, classValue: value))
            } else {
                unindexed.append(Object(instance: i, classValue: value))
            }
        }
        if indexed.count > Self.maxInstances {
            throw ConversionError(.unsupported,
                                  "image has \(indexed.count) instances; a VOC SegmentationObject PNG can index at most \(Self.maxInstances) (255 is void)",
                                  context: ErrorContext(imageID: sample.id),
                                  hint: "VOC cannot express this image: --on-error skip leaves it out, or write 16-bit instance maps with --to png --kind instance")
        }

        let painted = try instancePainter.paintSegments(sample)
        var objectMap = painted.map
        guard painted.segments.count == indexed.count,
              zip(painted.segments, indexed).allSatisfy({ $0.annotationIDs == [sample.instances[$1.instance].id] }) else {
            throw ConversionError(.unsupported, "the painter numbered this image's instances differently from the VOC writer",
                                  context: ErrorContext(imageID: sample.id), hint: "this is a cococonvert bug; please report it")
        }
        for k in indexed.indices {
            indexed[k].owned = painted.segments[k].area
            indexed[k].ownedBox = painted.segments[k].bbox
        }

        var classMap: LabelMap
        if let semanticPainter {
            classMap = try semanticPainter.paint(sample)
        } else {
            var table = [UInt16](repeating: Self.void, count: 256)
            table[0] = 0
            for (k, object) in indexed.enumerated() { table[k + 1] = UInt16(object.classValue) }
            classMap = Self.classMap(of: objectMap, table: table)
        }
        // Every value is at most 255 (the writer checks the schema); saying 255 makes the PNG
        // encoder write the whole 256-entry palette, as the devkit's files have.
        classMap.maxValue = Self.void
        objectMap.maxValue = Self.void
        return Result(classMap: classMap, objectMap: objectMap, indexed: indexed, unindexed: unindexed)
    }

    /// The class map read off the object map: each run of one object index becomes a run of that
    /// object's class (`table[index]`).
    static func classMap(of objectMap: LabelMap, table: [UInt16]) -> LabelMap {
        let w = objectMap.width, h = objectMap.height
        let pixels = [UInt16](unsafeUninitializedCapacity: w * h) { cls, initialized in
            objectMap.pixels.withUnsafeBufferPointer { obj in
                guard let src = obj.baseAddress, let dst = cls.baseAddress else { return }
                for y in 0..<h {
                    let row = src + y &* w, out = dst + y &* w
                    var x = 0
                    while x < w {
                        let v = row[x]
                        let end = LabelRun.end(in: row, from: x &+ 1, to: w, value: v)
                        (out + x).initialize(repeating: table[Int(v & 0xFF)], count: end &- x)
                        x = end
                    }
                }
            }
            initialized = w * h
        }
        return LabelMap(width: w, height: h, pixels: pixels, maxValue: Self.void)
    }
}
