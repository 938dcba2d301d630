import CocoConvertCore

/// Paints an image's class map and object map together, rasterising each mask once.
///
/// Index k of the object map is the k-th painted instance in annotation order: every non-crowd
/// annotation whose category the schema maps (crowds too under ``VOCCrowdPolicy/include``). Both
/// maps follow one overlap rule, so an instance owns the same pixels in both; the class map is
/// therefore exactly the semantic label map of the same options.
struct VOCPainter: Sendable {
    /// What one annotation became.
    struct Painted: Sendable {
        /// Position in `sample.instances`.
        var instance: Int
        /// Class value (index into labelmap.txt); 255 for crowds painted as void.
        var classValue: UInt32
        /// Pixels of the whole mask (pycocotools `area`).
        var area: Int
        /// Tight box of the whole mask (pycocotools `toBbox`).
        var maskBox: BoundingBox
        /// Pixels it owns in the object map after painting (0 for unindexed ones).
        var owned: Int = 0
    }

    /// The result for one image.
    struct Result: Sendable {
        var classMap: LabelMap
        var objectMap: LabelMap
        /// Object k (1-based) is `indexed[k - 1]`.
        var indexed: [Painted]
        /// Annotations without an index (crowds under ignore/skip), in annotation order.
        var unindexed: [Painted]
    }

    static let void: UInt16 = 255
    /// Object indices 1...254: 0 is "no instance" and 255 void.
    static let maxInstances = 254

    let classValues: [Int64: UInt32]
    let crowd: VOCCrowdPolicy
    let overlap: VOCOverlapPolicy
    let limits: Limits

    init(schema: LabelSchema, crowd: VOCCrowdPolicy, overlap: VOCOverlapPolicy, limits: Limits = .standard) {
        var values: [Int64: UInt32] = [:]
        for entry in schema.entries where values[entry.categoryID] == nil { values[entry.categoryID] = entry.value }
        classValues = values
        self.crowd = crowd
        self.overlap = overlap
        self.limits = limits
    }

    /// Paints `sample`. A mask that cannot be rasterised goes through `skips` (its annotation is
    /// left out under `--on-error skip`).
    ///
    /// - Throws: ``ConversionError`` `unsupported` for more than 254 indexed instances, `overlap`
    ///   under ``VOCOverlapPolicy/error``, and whatever `skips` rethrows.
    func paint(_ sample: Sample, skips: SkipReport) throws -> Result {
        let width = sample.width, height = sample.height
        _ = try RLE.checkedPixelCount(height: height, width: width, limits: limits)
        let context = ErrorContext(imageID: sample.id)

        // 1. Which annotations are painted, with what, and their masks.
        var indexed: [Painted] = []
        var unindexed: [Painted] = []
        var masks: [(painted: Int, isIndexed: Bool, rle: RLE)] = []
        let indexedCount = sample.instances.reduce(0) { n, instance in
            n + ((!instance.isCrowd || crowd == .include) && classValues[instance.categoryID] != nil ? 1 : 0)
        }
        if indexedCount > Self.maxInstances {
            throw ConversionError(.unsupported,
                                  "image has \(indexedCount) instances; a VOC SegmentationObject PNG can index at most \(Self.maxInstances) (255 is void)",
                                  context: context,
                                  hint: "VOC cannot express this image: --on-error skip leaves it out, or write 16-bit instance maps with --to png")
        }
        for (i, instance) in sample.instances.enumerated() {
            guard let classValue = classValues[instance.categoryID] else { continue }
            let rle: RLE
            do {
                rle = try instance.geometry.rle(height: height, width: width, limits: limits)
            } catch let error as ConversionError {
                try skips.report(error.adding(ErrorContext(imageID: sample.id, annotationID: instance.id)))
                continue
            }
            let isIndexed = !instance.isCrowd || crowd == .include
            let painted = Painted(instance: i, classValue: isIndexed ? classValue : UInt32(Self.void),
                                  area: rle.area, maskBox: rle.boundingBox)
            if isIndexed {
                masks.append((indexed.count, true, rle))
                indexed.append(painted)
            } else {
                if crowd == .ignore { masks.append((unindexed.count, false, rle)) }
                unindexed.append(painted)
            }
        }

        // 2. Paint order: file order, or largest first for "smaller" (stable, so ties keep file order).
        if overlap == .smaller {
            let areas = masks.map { $0.rle.area }
            let order = masks.indices.sorted { a, b in areas[a] != areas[b] ? areas[a] > areas[b] : a < b }
            masks = order.map { masks[$0] }
        }

        // Only the object map is painted; the class map follows from it (below), because every
        // pixel's class is decided by the index that owns it (or is void with it).
        var objectMap = LabelMap(width: width, height: height, filledWith: 0)
        var overlapHit: (Int, Int)?
        objectMap.pixels.withUnsafeMutableBufferPointer { obj in
            for mask in masks where overlapHit == nil {
                let objectValue = mask.isIndexed ? UInt16(mask.painted + 1) : Self.void
                let mode = mask.isIndexed ? overlap : .later
                mask.rle.forEachRun { start, length in
                    var x = start / height
                    var y = start - x * height
                    var remaining = length
                    while remaining > 0 {
                        let n = min(height - y, remaining)
                        var p = y * width + x
                        switch mode {
                        case .later, .smaller:
                            for _ in 0..<n {
                                obj[p] = objectValue
                                p += width
                            }
                        case .ignore:
                            for _ in 0..<n {
                                obj[p] = obj[p] == 0 ? objectValue : Self.void
                                p += width
                            }
                        case .error:
                            for _ in 0..<n {
                                let previous = obj[p]
                                if previous != 0 && previous != Self.void && overlapHit == nil {
                                    overlapHit = (Int(previous) - 1, mask.painted)
                                }
                                obj[p] = objectValue
                                p += width
                            }
                        }
                        remaining -= n
                        x += 1
                        y = 0
                    }
                }
            }
        }
        if let (a, b) = overlapHit {
            let first = sample.instances[indexed[a].instance].id.map(String.init) ?? "?"
            let second = sample.instances[indexed[b].instance].id.map(String.init) ?? "?"
            throw ConversionError(.overlap, "annotations \(first) and \(second) overlap", context: context,
                                  hint: "choose --overlap later, smaller or ignore")
        }

        // 3. The class map through a table from index to class (0 → background, 255 → void), and
        // the pixels each index owns.
        var table = [UInt16](repeating: Self.void, count: 256)
        table[0] = 0
        for (k, painted) in indexed.enumerated() { table[k + 1] = UInt16(painted.classValue) }
        // Four counters per value, used in turn, so that a run of equal pixels does not wait on one
        // counter's previous increment.
        var owned = [Int](repeating: 0, count: 256 * 4)
        var classMap = LabelMap(width: width, height: height, filledWith: 0)
        let count = width * height
        objectMap.pixels.withUnsafeBufferPointer { obj in
            classMap.pixels.withUnsafeMutableBufferPointer { cls in
                table.withUnsafeBufferPointer { table in
                    owned.withUnsafeMutableBufferPointer { owned in
                        for p in 0..<count {
                            let v = Int(obj[p] & 0xFF)
                            cls[p] = table[v]
                            owned[v &<< 2 | p & 3] &+= 1
                        }
                    }
                }
            }
        }
        for k in indexed.indices {
            let v = (k + 1) << 2
            indexed[k].owned = owned[v] + owned[v + 1] + owned[v + 2] + owned[v + 3]
        }
        // Every value is at most 255 (class values are checked by the writer); saying 255 makes the
        // PNG encoder write the whole 256-entry palette, as the devkit's files have.
        classMap.maxValue = Self.void
        objectMap.maxValue = Self.void
        return Result(classMap: classMap, objectMap: objectMap, indexed: indexed, unindexed: unindexed)
    }
}
