import CocoConvertCore

/// The outcome of a whole comparison: counts over every image, and the reports of the images that
/// differ (kept compactly; equal images leave only counts behind).
public struct VerifySummary: Sendable {
    public var labelA: String
    public var labelB: String
    public var tolerance: Double
    public var pairing: PairingKey = .id
    public var walk: WalkMode = .inStep
    public var pairedCount = 0
    public var onlyInA = 0
    public var onlyInB = 0
    public var sizeMismatches = 0
    public var pixels = 0
    public var differingPixels = 0
    public var instancesCompared = 0
    public var instanceFindings: [InstanceDifference: Int] = [:]
    /// Images that differ beyond the tolerance, in arrival order.
    public var differing: [ImageReport] = []
    /// Classes seen on either side.
    public var classNames: [String] = []

    public init(labelA: String, labelB: String, tolerance: Double) {
        self.labelA = labelA
        self.labelB = labelB
        self.tolerance = tolerance
    }

    mutating func add(_ report: ImageReport) {
        switch report.status {
        case .compared:
            pairedCount += 1
            pixels += report.pixels
            differingPixels += report.differingPixels
            instancesCompared += report.instancesCompared
            for f in report.instances { instanceFindings[f.kind, default: 0] += 1 }
        case .onlyInA: onlyInA += 1
        case .onlyInB: onlyInB += 1
        case .sizeMismatch: pairedCount += 1; sizeMismatches += 1
        }
        if report.differs(tolerance: tolerance) {
            var kept = report
            kept.classes = kept.classes.filter { $0.pixelsA != $0.agreeing || $0.pixelsB != $0.agreeing }
            differing.append(kept)
        }
    }

    /// True when nothing differs beyond the tolerance.
    public var isEqual: Bool { differing.isEmpty }

    /// The differing images, worst first.
    public var worstFirst: [ImageReport] {
        differing.sorted { $0.isWorse(than: $1) }
    }

    private var walkText: String {
        switch walk {
        case .inStep: return "walked in step"
        case .indexed(let side, let images):
            return "orders differ: indexed side \(side) (\(images) images) and streamed the other against it"
        }
    }

    /// The table for people: a summary, then the `rows` worst images with their findings.
    public func table(rows: Int) -> String {
        var lines: [String] = []
        lines.append("A: \(labelA)")
        lines.append("B: \(labelB)")
        lines.append("paired by image \(pairing == .stem ? "file stem" : "id"), \(walkText)")
        lines.append("images: \(pairedCount) paired, \(onlyInA) only in A, \(onlyInB) only in B, \(sizeMismatches) of different size")
        let agreement = pixels == 0 ? 1 : Double(pixels - differingPixels) / Double(pixels)
        lines.append("pixels: \(pixels) compared, \(differingPixels) differ (agreement \(Format.fixed(agreement * 100, 4))%)")
        var instanceLine = "instances: \(instancesCompared) compared (owned pixels)"
        let kinds = [InstanceDifference.lost, .invented, .categoryChanged, .maskChanged].compactMap { kind in
            instanceFindings[kind].map { "\($0) \(kind.rawValue)" }
        }
        instanceLine += kinds.isEmpty ? ", none differ" : ": " + kinds.joined(separator: ", ")
        lines.append(instanceLine)
        if isEqual {
            lines.append("result: EQUAL" + (tolerance > 0 ? " within tolerance \(tolerance)" : ""))
            return lines.joined(separator: "\n")
        }
        lines.append("result: DIFFERENT: \(differing.count) image(s) differ" + (tolerance > 0 ? " beyond tolerance \(tolerance)" : ""))
        lines.append("")
        let shown = worstFirst.prefix(rows)
        lines.append(pad("image", 14) + pad("file", 28) + "difference")
        for report in shown {
            lines.append(pad(String(report.imageID), 14) + pad(report.fileName, 28) + report.headline)
            for c in report.confusions.prefix(3) {
                lines.append(String(repeating: " ", count: 42) + "  \(c.pixels) px \(c.from) → \(c.to)")
            }
            for f in report.instances.prefix(5) {
                lines.append(String(repeating: " ", count: 42) + "  " + f.text)
            }
            if report.instances.count > 5 {
                lines.append(String(repeating: " ", count: 42) + "  … \(report.instances.count - 5) more instance findings (--json lists all)")
            }
        }
        if differing.count > shown.count {
            lines.append("… \(differing.count - shown.count) more differing images (--rows N shows more, --json lists all)")
        }
        return lines.joined(separator: "\n")
    }

    private func pad(_ text: String, _ width: Int) -> String {
        let t = text.count > width - 1 ? String(text.prefix(width - 2)) + "…" : text
        return t + String(repeating: " ", count: max(1, width - t.count))
    }

    /// One JSON object with every differing image, worst first.
    public var json: String {
        func box(_ b: BoundingBox?) -> JSONValue {
            b.map { .array([.double($0.x), .double($0.y), .double($0.width), .double($0.height)]) } ?? .null
        }
        func opt(_ i: Int64?) -> JSONValue { i.map { .int($0) } ?? .null }
        func optInt(_ i: Int?) -> JSONValue { i.map { .int(Int64($0)) } ?? .null }
        func optString(_ s: String?) -> JSONValue { s.map { .string($0) } ?? .null }
        let walkJSON: JSONValue
        switch walk {
        case .inStep: walkJSON = .object([("mode", .string("in-step"))])
        case .indexed(let side, let images):
            walkJSON = .object([("mode", .string("indexed")), ("side", .string(side)), ("images", .int(Int64(images)))])
        }
        let images: [JSONValue] = worstFirst.map { r in
            var status = ""
            var members: [(String, JSONValue)] = []
            switch r.status {
            case .compared: status = "compared"
            case .onlyInA: status = "only-in-a"
            case .onlyInB: status = "only-in-b"
            case .sizeMismatch(let wa, let ha, let wb, let hb):
                status = "size-mismatch"
                members.append(("size_a", .array([.int(Int64(wa)), .int(Int64(ha))])))
                members.append(("size_b", .array([.int(Int64(wb)), .int(Int64(hb))])))
            }
            return .object([("image_id", .int(r.imageID)), ("file_name", .string(r.fileName)), ("status", .string(status))]
                + members + [
                ("pixels", .int(Int64(r.pixels))), ("differing_pixels", .int(Int64(r.differingPixels))),
                ("classes", .array(r.classes.map { c in
                    .object([("name", .string(c.name)), ("pixels_a", .int(Int64(c.pixelsA))),
                             ("pixels_b", .int(Int64(c.pixelsB))), ("agreeing", .int(Int64(c.agreeing)))])
                })),
                ("confusion", .array(r.confusions.map { c in
                    .object([("a", .string(c.from)), ("b", .string(c.to)), ("pixels", .int(Int64(c.pixels)))])
                })),
                ("instances_compared", .int(Int64(r.instancesCompared))),
                ("instances", .array(r.instances.map { f in
                    .object([("kind", .string(f.kind.rawValue)), ("annotation_a", opt(f.annotationA)),
                             ("annotation_b", opt(f.annotationB)), ("class_a", optString(f.classA)),
                             ("class_b", optString(f.classB)), ("iou", f.iou.map { .double($0) } ?? .null),
                             ("area_a", optInt(f.areaA)), ("area_b", optInt(f.areaB)),
                             ("bbox_a", box(f.bboxA)), ("bbox_b", box(f.bboxB)),
                             ("bbox_drift", f.bboxDrift.map { .double($0) } ?? .null)])
                })),
            ])
        }
        return JSONValue.object([
            ("a", .string(labelA)), ("b", .string(labelB)), ("equal", .bool(isEqual)), ("tolerance", .double(tolerance)),
            ("pairing", .string(pairing == .stem ? "stem" : "id")), ("walk", walkJSON),
            ("paired", .int(Int64(pairedCount))), ("only_in_a", .int(Int64(onlyInA))), ("only_in_b", .int(Int64(onlyInB))),
            ("size_mismatches", .int(Int64(sizeMismatches))),
            ("pixels", .int(Int64(pixels))), ("differing_pixels", .int(Int64(differingPixels))),
            ("instances_compared", .int(Int64(instancesCompared))),
            ("instance_findings", .object([InstanceDifference.lost, .invented, .categoryChanged, .maskChanged].map {
                ($0.rawValue, .int(Int64(instanceFindings[$0] ?? 0)))
            })),
            ("differing_images", .int(Int64(differing.count))),
            ("images", .array(images)),
        ]).text(pretty: true)
    }
}
