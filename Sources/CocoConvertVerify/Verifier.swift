import CocoConvertCore

/// Compares two datasets image by image, streaming.
///
/// Both readers are walked in step. Images that arrive without their partner wait in a small window
/// (an image missing on one side costs nothing more); when the window overflows, the orders disagree,
/// and the smaller side (by announced sample count) is read to the end into an index of painted runs,
/// against which the other side is then streamed. Memory is one image pair plus the window, or the
/// index in that fallback.
public final class Verifier {
    public let a: VerifySide
    public let b: VerifySide
    public let tolerance: Double
    public let pairing: PairingKey
    /// How many unpaired images may wait before the walk falls back to an index.
    public var window = 32
    /// The classes of both sides.
    public let classes = ClassTable()

    public init(a: VerifySide, b: VerifySide, tolerance: Double = 0, pairing: PairingKey = .auto) {
        self.a = a
        self.b = b
        self.tolerance = tolerance
        self.pairing = pairing
    }

    /// Called for every image report, with the painted images (nil for a side without the image).
    public typealias Visit = (_ report: ImageReport, _ a: PaintedImage?, _ b: PaintedImage?) throws -> Void

    /// Runs the comparison; `visit` sees every image (equal ones too).
    public func run(_ visit: Visit) throws -> VerifySummary {
        var classesA = SideClasses(header: a.reader.header, schema: a.paint.schema, table: classes)
        var classesB = SideClasses(header: b.reader.header, schema: b.paint.schema, table: classes)
        let painterA = LabelPainter(options: a.paint), painterB = LabelPainter(options: b.paint)
        var summary = VerifySummary(labelA: a.label, labelB: b.label, tolerance: tolerance)
        var key = pairing == .auto ? nil : pairing

        // A reader is not asked again once it has said it is at its end.
        var endedA = false, endedB = false
        func nextA() throws -> PaintedImage? {
            guard !endedA, let s = try a.reader.next() else { endedA = true; return nil }
            return try PaintedImage(s, painter: painterA, classes: &classesA)
        }
        func nextB() throws -> PaintedImage? {
            guard !endedB, let s = try b.reader.next() else { endedB = true; return nil }
            return try PaintedImage(s, painter: painterB, classes: &classesB)
        }
        func keyOf(_ image: PaintedImage) -> String {
            key == .stem ? image.stem : String(image.id)
        }
        func pair(_ ia: PaintedImage, _ ib: PaintedImage) throws {
            let report = ImageComparison.compare(ia, ib, classes: classes, tolerance: tolerance)
            summary.add(report)
            try visit(report, ia, ib)
        }
        func alone(_ image: PaintedImage, inA: Bool) throws {
            let report = ImageReport(status: inA ? .onlyInA : .onlyInB, imageID: image.id, fileName: image.fileName)
            summary.add(report)
            try visit(report, inA ? image : nil, inA ? nil : image)
        }

        var waitingA: [String: PaintedImage] = [:], waitingB: [String: PaintedImage] = [:]
        var orderA: [String] = [], orderB: [String] = []   // arrival order of the waiting images
        var ia = try nextA(), ib = try nextB()
        if key == nil, let x = ia, let y = ib {
            key = x.id == y.id || x.stem != y.stem ? .id : .stem
        }
        summary.pairing = key ?? .id

        // In step, with a window for gaps.
        while ia != nil || ib != nil {
            if let x = ia {
                let k = keyOf(x)
                if let partner = waitingB.removeValue(forKey: k) { try pair(x, partner) }
                else if let y = ib, keyOf(y) == k { try pair(x, y); ib = nil }
                else { waitingA[k] = x; orderA.append(k) }
            }
            if let y = ib {
                let k = keyOf(y)
                if let partner = waitingA.removeValue(forKey: k) { try pair(partner, y) }
                else { waitingB[k] = y; orderB.append(k) }
            }
            if waitingA.count + waitingB.count > window { break }
            ia = try nextA()
            ib = try nextB()
        }
        let overflowed = waitingA.count + waitingB.count > window
        if overflowed {
            // Index the smaller side, then stream the other against it.
            let countA = a.reader.header.sampleCount ?? Int.max, countB = b.reader.header.sampleCount ?? Int.max
            let indexA = countA <= countB
            var index = indexA ? waitingA : waitingB
            var other = indexA ? waitingB : waitingA
            var otherOrder = indexA ? orderB : orderA
            var indexOrder = indexA ? orderA : orderB
            var held = index.count
            while let next = try (indexA ? nextA() : nextB()) {
                var compact = next
                if case .bytes = compact.image { compact.image = .none }   // a path is small; embedded bytes are not
                let k = keyOf(compact)
                if let partner = other.removeValue(forKey: k) {
                    try indexA ? pair(next, partner) : pair(partner, next)
                } else {
                    index[k] = compact
                    indexOrder.append(k)
                    held += 1
                }
            }
            summary.walk = .indexed(side: indexA ? "A" : "B", images: held)
            for k in otherOrder { if let x = other.removeValue(forKey: k) { try alone(x, inA: !indexA) } }
            otherOrder = []
            while let next = try (indexA ? nextB() : nextA()) {
                let k = keyOf(next)
                if let partner = index.removeValue(forKey: k) {
                    try indexA ? pair(partner, next) : pair(next, partner)
                } else {
                    try alone(next, inA: !indexA)
                }
            }
            for k in indexOrder { if let x = index.removeValue(forKey: k) { try alone(x, inA: indexA) } }
        } else {
            for k in orderA { if let x = waitingA.removeValue(forKey: k) { try alone(x, inA: true) } }
            for k in orderB { if let x = waitingB.removeValue(forKey: k) { try alone(x, inA: false) } }
        }
        summary.classNames = classes.names
        return summary
    }
}
