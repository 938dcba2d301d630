import CocoConvertCore

/// Compares the painted maps of one image pair: class agreement pixel by pixel, then instances.
public enum ImageComparison {
    /// Instances of different classes that overlap at least this much are reported as one instance
    /// whose category changed (rather than one lost and one invented).
    public static let categoryChangeIoU = 0.5

    /// The report for `a` and `b`; `tolerance` is the IoU shortfall (1 − IoU) a matched instance may have.
    public static func compare(_ a: PaintedImage, _ b: PaintedImage, classes: ClassTable, tolerance: Double) -> ImageReport {
        var report = ImageReport(status: .compared, imageID: a.id, fileName: a.fileName)
        guard a.width == b.width, a.height == b.height else {
            report.status = .sizeMismatch(widthA: a.width, heightA: a.height, widthB: b.width, heightB: b.height)
            return report
        }
        let joint = jointCounts(a, b)
        report.pixels = a.width * a.height
        classAgreement(joint, a, b, classes: classes, into: &report)
        if a.hasInstances && b.hasInstances {
            InstanceMatcher(a: a, b: b, joint: joint, classes: classes, tolerance: tolerance).match(into: &report)
        }
        return report
    }

    /// Pixel counts of every (A value, B value) pair, keyed `a << 16 | b`, from one merge of the run lists.
    static func jointCounts(_ a: PaintedImage, _ b: PaintedImage) -> [UInt32: Int] {
        var joint: [UInt32: Int] = [:]
        var i = 0, j = 0, position: UInt32 = 0
        let na = a.runEnds.count, nb = b.runEnds.count
        while i < na && j < nb {
            let endA = a.runEnds[i], endB = b.runEnds[j]
            let end = min(endA, endB)
            let key = UInt32(a.runValues[i]) << 16 | UInt32(b.runValues[j])
            joint[key, default: 0] += Int(end - position)
            position = end
            if endA == end { i += 1 }
            if endB == end { j += 1 }
        }
        return joint
    }

    private static func classAgreement(_ joint: [UInt32: Int], _ a: PaintedImage, _ b: PaintedImage,
                                       classes: ClassTable, into report: inout ImageReport) {
        var perClass: [Int: ClassAgreement] = [:]
        var confusion: [Int: Int] = [:]   // classA << 32 | classB
        func classOf(_ image: PaintedImage, _ value: UInt32) -> Int {
            Int(value) < image.classOfValue.count ? Int(image.classOfValue[Int(value)]) : ClassTable.background
        }
        for (key, count) in joint {
            let ca = classOf(a, key >> 16), cb = classOf(b, key & 0xFFFF)
            perClass[ca, default: ClassAgreement(name: classes.name(ca), pixelsA: 0, pixelsB: 0, agreeing: 0)].pixelsA += count
            perClass[cb, default: ClassAgreement(name: classes.name(cb), pixelsA: 0, pixelsB: 0, agreeing: 0)].pixelsB += count
            if ca == cb {
                perClass[ca]?.agreeing += count
            } else {
                report.differingPixels += count
                confusion[ca << 32 | cb, default: 0] += count
            }
        }
        report.classes = perClass.sorted { $0.key < $1.key }.map(\.value)
        report.confusions = confusion.map { Confusion(from: classes.name($0.key >> 32), to: classes.name($0.key & 0xFFFF_FFFF), pixels: $0.value) }
            .sorted { $0.pixels != $1.pixels ? $0.pixels > $1.pixels : ($0.from, $0.to) < ($1.from, $1.to) }
    }
}

/// Pairs A's instances with B's: by annotation id where both have ids, then by best IoU within a
/// class, then (IoU ≥ ``ImageComparison/categoryChangeIoU``) across classes; the rest are lost or invented.
struct InstanceMatcher {
    let a: PaintedImage
    let b: PaintedImage
    let joint: [UInt32: Int]
    let classes: ClassTable
    let tolerance: Double

    func match(into report: inout ImageReport) {
        var openA = Dictionary(uniqueKeysWithValues: a.regions.map { ($0.value, $0) })
        var openB = Dictionary(uniqueKeysWithValues: b.regions.map { ($0.value, $0) })
        var pairs: [(PaintedRegion, PaintedRegion)] = []

        // 1. Annotation ids.
        var byIDB: [Int64: UInt16] = [:]
        for r in b.regions { if let id = r.annotationID { byIDB[id] = r.value } }
        for r in a.regions.sorted(by: { $0.value < $1.value }) {
            guard let id = r.annotationID, let vb = byIDB[id], let rb = openB[vb] else { continue }
            pairs.append((r, rb))
            openA[r.value] = nil
            openB[vb] = nil
        }

        // 2. and 3. Overlap, best first: same class, then any class.
        var candidates: [(iou: Double, va: UInt16, vb: UInt16, same: Bool)] = []
        for (key, count) in joint {
            let va = UInt16(key >> 16), vb = UInt16(key & 0xFFFF)
            guard let ra = openA[va], let rb = openB[vb] else { continue }
            let iou = Double(count) / Double(ra.area + rb.area - count)
            candidates.append((iou, va, vb, ra.classIndex == rb.classIndex))
        }
        candidates.sort { $0.iou != $1.iou ? $0.iou > $1.iou : ($0.va, $0.vb) < ($1.va, $1.vb) }
        for sameClass in [true, false] {
            for c in candidates where c.same == sameClass {
                guard sameClass || c.iou >= ImageComparison.categoryChangeIoU,
                      let ra = openA[c.va], let rb = openB[c.vb] else { continue }
                pairs.append((ra, rb))
                openA[c.va] = nil
                openB[c.vb] = nil
            }
        }

        report.instancesCompared = pairs.count + openA.count + openB.count
        var findings: [InstanceFinding] = []
        for (ra, rb) in pairs {
            let inter = joint[UInt32(ra.value) << 16 | UInt32(rb.value)] ?? 0
            let iou = Double(inter) / Double(ra.area + rb.area - inter)
            let kind: InstanceDifference
            if ra.classIndex != rb.classIndex {
                kind = .categoryChanged
            } else if iou < 1 - tolerance {
                kind = .maskChanged
            } else {
                continue
            }
            findings.append(finding(kind, ra, rb, iou: iou))
        }
        for ra in openA.values { findings.append(finding(.lost, ra, nil, iou: nil)) }
        for rb in openB.values { findings.append(finding(.invented, nil, rb, iou: nil)) }
        findings.sort { ($0.annotationA ?? $0.annotationB ?? -1, $0.kind.rawValue) < ($1.annotationA ?? $1.annotationB ?? -1, $1.kind.rawValue) }
        report.instances = findings
    }

    private func finding(_ kind: InstanceDifference, _ ra: PaintedRegion?, _ rb: PaintedRegion?, iou: Double?) -> InstanceFinding {
        InstanceFinding(kind: kind, annotationA: ra?.annotationID, annotationB: rb?.annotationID,
                        classA: ra.map { classes.name($0.classIndex) }, classB: rb.map { classes.name($0.classIndex) },
                        iou: iou, areaA: ra?.area, areaB: rb?.area, bboxA: ra?.bbox, bboxB: rb?.bbox)
    }
}
