/// Paints a sample's annotations into a label map.
///
/// Pure and thread-safe: `paint` may run on many threads at once. Masks are never made dense per
/// annotation: RLE runs (column-major) are painted straight into the row-major map, and label-plane
/// geometries (panoptic segments, PNG values) are painted by one scan of their plane.
///
/// Order of painting: crowd regions under `--crowd ignore` first (so objects cover them), then the
/// other annotations in file order, or largest first under ``OverlapPolicy/smaller``.
/// Annotations without a mask (`Geometry.none`) are not painted and get no instance number.
public struct LabelPainter: Sendable {
    public let options: PaintOptions
    private let valueByCategory: [Int64: UInt32]

    public init(options: PaintOptions) {
        self.options = options
        var values: [Int64: UInt32] = [:]
        for entry in options.schema.entries where values[entry.categoryID] == nil {
            values[entry.categoryID] = entry.value
        }
        valueByCategory = values
    }

    /// The label map of `sample`.
    public func paint(_ sample: Sample) throws -> LabelMap {
        try paintCore(sample, wantSegments: false).map
    }

    /// The label map of `sample` and, per painted value, its category, annotations, area and box.
    public func paintSegments(_ sample: Sample) throws -> PaintedLabelMap {
        try paintCore(sample, wantSegments: true)
    }

    // MARK: - Jobs

    private enum Mask {
        case rle(RLE)
        case plane(LabelPlane, UInt32)
    }

    private struct Job {
        var instanceIndex: Int
        var value: UInt16
        var crowdIgnore: Bool
        var mask: Mask
        var area = 0
    }

    private func paintCore(_ sample: Sample, wantSegments: Bool) throws -> PaintedLabelMap {
        let schema = options.schema
        let imageContext = ErrorContext(imageID: sample.id)
        let w = sample.width, h = sample.height
        _ = try RLE.checkedPixelCount(height: h, width: w, limits: options.limits)
        guard let background = UInt16(exactly: schema.background), let ignore = UInt16(exactly: schema.ignoreIndex) else {
            throw ConversionError(.usage, "background \(schema.background) and ignore index \(schema.ignoreIndex) must be 0...65535",
                                  hint: "label maps hold 16-bit values")
        }

        var jobs: [Job] = []
        var segments: [PaintedSegment] = []
        var segmentOfValue: [UInt16: Int] = [:]
        var nextInstance: UInt32 = 1
        jobs.reserveCapacity(sample.instances.count)

        for (index, instance) in sample.instances.enumerated() {
            if case .none = instance.geometry { continue }
            let context = ErrorContext(imageID: sample.id, annotationID: instance.id)
            var crowdIgnore = false
            if instance.isCrowd {
                switch options.crowd {
                case .skip: continue
                case .ignore: crowdIgnore = true
                case .include: break
                }
            }
            var value: UInt16
            if crowdIgnore {
                value = ignore
            } else {
                guard let mapped = valueByCategory[instance.categoryID] else {
                    if options.unmapped == .ignore { continue }
                    throw ConversionError(.unknownCategory, "category \(instance.categoryID) is not in the label mapping",
                                          context: context,
                                          hint: "add the category to the --labels mapping, use --labels coco or contiguous, or --on-error skip")
                }
                switch options.kind {
                case .semantic:
                    guard let v = UInt16(exactly: mapped) else {
                        throw ConversionError(.usage, "label value \(mapped) of category \(instance.categoryID) exceeds 65535",
                                              context: context, hint: "label maps hold 16-bit values; use a smaller mapping")
                    }
                    value = v
                case .instance, .panoptic:
                    while nextInstance == schema.background || nextInstance == schema.ignoreIndex { nextInstance &+= 1 }
                    guard let v = UInt16(exactly: nextInstance) else {
                        throw ConversionError(.limitExceeded, "image has more instances than a 16-bit instance map can number",
                                              context: imageContext, hint: "use --kind semantic, or split the annotations")
                    }
                    value = v
                    nextInstance &+= 1
                }
            }
            let mask: Mask
            do {
                if case .labelValue(let plane, let planeValue) = instance.geometry {
                    try Geometry.checkSize(plane.height, plane.width, h, w, what: "label plane")
                    mask = .plane(plane, planeValue)
                } else {
                    mask = .rle(try instance.geometry.rle(height: h, width: w, limits: options.limits))
                }
            } catch let error as ConversionError {
                throw error.adding(context)
            }
            jobs.append(Job(instanceIndex: index, value: value, crowdIgnore: crowdIgnore, mask: mask))
            if wantSegments && !crowdIgnore {
                if options.kind == .semantic, let s = segmentOfValue[value] {
                    segments[s].annotationIDs.append(instance.id)
                } else {
                    segmentOfValue[value] = segments.count
                    segments.append(PaintedSegment(value: value, categoryID: instance.categoryID,
                                                   annotationIDs: [instance.id], isCrowd: instance.isCrowd,
                                                   instanceIndex: index))
                }
            }
        }

        // Paint order.
        var order = jobs.indices.filter { jobs[$0].crowdIgnore } + jobs.indices.filter { !jobs[$0].crowdIgnore }
        if options.overlap == .smaller {
            computeAreas(&jobs)
            let crowds = order.prefix { jobs[$0].crowdIgnore }
            var rest = Array(order.dropFirst(crowds.count))
            // Largest first; equal areas keep file order (later on top).
            rest = rest.enumerated().sorted { a, b in
                let areaA = jobs[a.element].area, areaB = jobs[b.element].area
                return areaA != areaB ? areaA > areaB : a.offset < b.offset
            }.map(\.element)
            order = Array(crowds) + rest
        }

        var map = LabelMap(width: w, height: h, filledWith: background)
        var maxValue = background
        for job in jobs where job.value > maxValue { maxValue = job.value }
        try paintJobs(jobs, order: order, sample: sample, into: &map, ignore: ignore)
        map.maxValue = maxValue
        if maxValue > 255 { map.maxValue = map.computeMaxValue() }

        if wantSegments {
            let stats = map.valueStatistics()
            var byValue: [UInt16: LabelValueStatistics] = [:]
            for s in stats { byValue[s.value] = s }
            for i in segments.indices {
                if let s = byValue[segments[i].value] {
                    segments[i].area = s.pixelCount
                    segments[i].bbox = s.bbox
                }
            }
            segments.sort { $0.value < $1.value }
        }
        return PaintedLabelMap(map: map, segments: segments)
    }

    private func computeAreas(_ jobs: inout [Job]) {
        var planeCounts: [ObjectIdentifier: [UInt32: Int]] = [:]
        for i in jobs.indices {
            switch jobs[i].mask {
            case .rle(let rle):
                jobs[i].area = rle.area
            case .plane(let plane, let v):
                let key = ObjectIdentifier(plane)
                if planeCounts[key] == nil { planeCounts[key] = Self.histogram(plane) }
                jobs[i].area = planeCounts[key]?[v] ?? 0
            }
        }
    }

    private static func histogram(_ plane: LabelPlane) -> [UInt32: Int] {
        var counts: [UInt32: Int] = [:]
        plane.pixels.withUnsafeBufferPointer { px in
            var i = 0
            let n = px.count
            while i < n {
                let v = px[i]
                var end = i &+ 1
                while end < n && px[end] == v { end &+= 1 }
                counts[v, default: 0] &+= end &- i
                i = end
            }
        }
        return counts
    }

    // MARK: - Painting

    private func paintJobs(_ jobs: [Job], order: [Int], sample: Sample, into map: inout LabelMap, ignore: UInt16) throws {
        let w = map.width, h = map.height
        let policy = options.overlap
        let tracksOwners = policy == .error || policy == .ignore || policy == .ignoreAny
        var owners = [UInt32](repeating: 0, count: tracksOwners ? w * h : 0)
        // Owner ids are 1-based positions in `order`; ownerValue[id] is that job's value.
        var ownerValue = [UInt16](repeating: 0, count: order.count + 1)
        for (k, j) in order.enumerated() { ownerValue[k + 1] = jobs[j].value }
        var overlapError: ConversionError?

        map.pixels.withUnsafeMutableBufferPointer { pixels in
            owners.withUnsafeMutableBufferPointer { ownerBuffer in
                var canvas = Canvas(pixels: pixels, owners: ownerBuffer, ownerValue: ownerValue,
                                    semantic: options.kind == .semantic && policy != .ignoreAny, ignore: ignore)
                var k = 0
                while k < order.count {
                    let job = jobs[order[k]]
                    let mode: Canvas.Mode = (job.crowdIgnore || !tracksOwners) ? .overwrite
                        : (policy == .error ? .countOverlaps : .ignoreOverlaps)
                    switch job.mask {
                    case .rle(let rle):
                        let owner = UInt32(k + 1)
                        Self.forEachColumnSegment(rle, width: w, height: h) { x, y, count in
                            canvas.span(start: y &* w &+ x, count: count, stride: w, value: job.value, owner: owner, mode: mode)
                        }
                        k += 1
                    case .plane(let plane, _):
                        // Consecutive jobs cut from the same plane are disjoint: paint them in one scan (one job at a
                        // time when overlaps are counted, so an error names the right annotation).
                        var lookup: [UInt32: (value: UInt16, owner: UInt32)] = [:]
                        var end = k
                        while end < order.count, mode != .countOverlaps || end == k,
                              case .plane(let p, let v) = jobs[order[end]].mask, p === plane,
                              jobs[order[end]].crowdIgnore == job.crowdIgnore {
                            lookup[v] = (jobs[order[end]].value, UInt32(end + 1))
                            end += 1
                        }
                        Self.scanPlane(plane, lookup: lookup) { start, count, value, owner in
                            canvas.span(start: start, count: count, stride: 1, value: value, owner: owner, mode: mode)
                        }
                        k = end
                    }
                    if mode == .countOverlaps, let (other, count) = canvas.takeFirstOverlap() {
                        let a = jobs[order[Int(other) - 1]], b = job
                        let idA = sample.instances[a.instanceIndex].id, idB = sample.instances[b.instanceIndex].id
                        func name(_ id: Int64?, _ index: Int) -> String { id.map { "annotation \($0)" } ?? "annotation #\(index)" }
                        overlapError = ConversionError(
                            .overlap,
                            "\(name(idA, a.instanceIndex)) and \(name(idB, b.instanceIndex)) overlap in \(count) pixels",
                            context: ErrorContext(imageID: sample.id, annotationID: idB),
                            hint: "choose --overlap later, smaller or ignore, or fix the annotations")
                        return
                    }
                }
            }
        }
        if let overlapError { throw overlapError }
    }

    /// Splits the RLE's foreground runs (column-major) into vertical segments `(x, y, count)`.
    static func forEachColumnSegment(_ rle: RLE, width w: Int, height h: Int,
                                     _ body: (_ x: Int, _ y: Int, _ count: Int) -> Void) {
        guard h > 0, w > 0 else { return }
        rle.forEachRun { start, length in
            var x = start / h
            var y = start &- x &* h
            var remaining = length
            while remaining > 0 && x < w {
                let count = Swift.min(remaining, h &- y)
                body(x, y, count)
                remaining &-= count
                x &+= 1
                y = 0
            }
        }
    }

    /// Calls `body(start, count, value, owner)` for each row-major run of plane pixels whose plane
    /// value is in `lookup`.
    static func scanPlane(_ plane: LabelPlane, lookup: [UInt32: (value: UInt16, owner: UInt32)],
                          _ body: (_ start: Int, _ count: Int, _ value: UInt16, _ owner: UInt32) -> Void) {
        plane.pixels.withUnsafeBufferPointer { px in
            let n = px.count
            var i = 0
            while i < n {
                let v = px[i]
                var end = i &+ 1
                while end < n && px[end] == v { end &+= 1 }
                if let hit = lookup[v] { body(i, end &- i, hit.value, hit.owner) }
                i = end
            }
        }
    }
}

/// The map being painted plus the per-pixel owner bookkeeping the `error` and `ignore` policies need.
private struct Canvas {
    enum Mode { case overwrite, countOverlaps, ignoreOverlaps }

    static let conflict = UInt32.max

    let pixels: UnsafeMutableBufferPointer<UInt16>
    let owners: UnsafeMutableBufferPointer<UInt32>
    let ownerValue: [UInt16]
    let semantic: Bool
    let ignore: UInt16
    /// Overlap pixel counts of the job being painted, keyed by the earlier owner.
    var overlaps: [UInt32: Int] = [:]

    init(pixels: UnsafeMutableBufferPointer<UInt16>, owners: UnsafeMutableBufferPointer<UInt32>,
         ownerValue: [UInt16], semantic: Bool, ignore: UInt16) {
        self.pixels = pixels
        self.owners = owners
        self.ownerValue = ownerValue
        self.semantic = semantic
        self.ignore = ignore
    }

    /// Whether a pixel owned by `other` conflicts with painting `value` there.
    @inline(__always)
    func conflicts(_ other: UInt32, _ owner: UInt32, _ value: UInt16) -> Bool {
        other != 0 && other != owner && (!semantic || ownerValue[Int(other)] != value)
    }

    @inline(__always)
    mutating func span(start: Int, count: Int, stride: Int, value: UInt16, owner: UInt32, mode: Mode) {
        var p = start
        switch mode {
        case .overwrite:
            for _ in 0..<count {
                pixels[p] = value
                p &+= stride
            }
        case .countOverlaps:
            for _ in 0..<count {
                let other = owners[p]
                if conflicts(other, owner, value) { overlaps[other, default: 0] &+= 1 }
                pixels[p] = value
                owners[p] = owner
                p &+= stride
            }
        case .ignoreOverlaps:
            for _ in 0..<count {
                let other = owners[p]
                if other == Canvas.conflict {
                    // Already contested: stays ignore.
                } else if conflicts(other, owner, value) {
                    pixels[p] = ignore
                    owners[p] = Canvas.conflict
                } else {
                    pixels[p] = value
                    owners[p] = owner
                }
                p &+= stride
            }
        }
    }

    /// The earliest-painted annotation the last job overlapped, with the pixel count; clears the tally.
    mutating func takeFirstOverlap() -> (UInt32, Int)? {
        defer { overlaps.removeAll(keepingCapacity: true) }
        guard let first = overlaps.keys.min(), let count = overlaps[first] else { return nil }
        return (first, count)
    }
}
