import CocoConvertCore

/// What kind of difference an instance finding is.
public enum InstanceDifference: String, Sendable, Hashable {
    /// In A, nothing in B overlaps it enough (or carries its annotation id).
    case lost
    /// In B, nothing in A matches it.
    case invented
    /// Matched, but its class differs.
    case categoryChanged = "category-changed"
    /// Matched, same class, but its owned pixels differ (IoU below 1 − tolerance).
    case maskChanged = "mask-changed"
}

/// One instance of A and/or B that differs.
public struct InstanceFinding: Sendable, Hashable {
    public var kind: InstanceDifference
    public var annotationA: Int64?
    public var annotationB: Int64?
    public var classA: String?
    public var classB: String?
    /// Intersection over union of the owned pixels (matched instances).
    public var iou: Double?
    public var areaA: Int?
    public var areaB: Int?
    public var bboxA: BoundingBox?
    public var bboxB: BoundingBox?

    /// Largest change of a box edge, in pixels (matched instances).
    public var bboxDrift: Double? {
        guard let a = bboxA, let b = bboxB else { return nil }
        return max(abs(a.x - b.x), abs(a.y - b.y), abs(a.x + a.width - b.x - b.width), abs(a.y + a.height - b.y - b.height))
    }

    /// Owned pixels in B minus in A (matched instances).
    public var areaDrift: Int? {
        guard let a = areaA, let b = areaB else { return nil }
        return b - a
    }

    /// `lost annotation 42 (person)`, `category-changed annotation 7: dog → cat, IoU 1.000`.
    public var text: String {
        let id = annotationA ?? annotationB
        let who = id.map { "annotation \($0)" } ?? "instance"
        switch kind {
        case .lost: return "lost \(who) (\(classA ?? "?"), \(areaA ?? 0) px)"
        case .invented: return "invented \(who) (\(classB ?? "?"), \(areaB ?? 0) px)"
        case .categoryChanged:
            return "category changed, \(who): \(classA ?? "?") → \(classB ?? "?"), IoU \(Format.fixed(iou ?? 0, 3))"
        case .maskChanged:
            return "mask changed, \(who) (\(classA ?? "?")): IoU \(Format.fixed(iou ?? 0, 3)), area \(Format.signed(areaDrift ?? 0)) px, box drift \(Format.fixed(bboxDrift ?? 0, 1)) px"
        }
    }
}

/// How one class fared on one image: pixels painted with it in A, in B, and in both.
public struct ClassAgreement: Sendable, Hashable {
    public var name: String
    public var pixelsA: Int
    public var pixelsB: Int
    public var agreeing: Int
}

/// Pixels that are class `from` in A and class `to` in B (`from != to`).
public struct Confusion: Sendable, Hashable {
    public var from: String
    public var to: String
    public var pixels: Int
}

/// The comparison of one image (or the reason it could not be compared).
public struct ImageReport: Sendable {
    public enum Status: Sendable, Hashable {
        case compared
        case onlyInA
        case onlyInB
        /// The two sides disagree on the image size; pixels are not compared.
        case sizeMismatch(widthA: Int, heightA: Int, widthB: Int, heightB: Int)
    }

    public var status: Status
    /// The image id and file name (A's where the image is in A).
    public var imageID: Int64
    public var fileName: String
    public var pixels = 0
    /// Pixels whose class differs between A and B.
    public var differingPixels = 0
    /// Classes present on either side (background and ignore included), by name.
    public var classes: [ClassAgreement] = []
    /// Class confusions, largest first.
    public var confusions: [Confusion] = []
    /// Instances matched or found on both sides (0 when one side has class regions only).
    public var instancesCompared = 0
    public var instances: [InstanceFinding] = []

    public init(status: Status, imageID: Int64, fileName: String) {
        self.status = status
        self.imageID = imageID
        self.fileName = fileName
    }

    /// Share of pixels whose class differs (1 for images that could not be compared).
    public var differingFraction: Double {
        guard status == .compared else { return 1 }
        return pixels == 0 ? 0 : Double(differingPixels) / Double(pixels)
    }

    /// Whether the image differs beyond `tolerance` (a share of pixels; instance findings always count).
    public func differs(tolerance: Double) -> Bool {
        status != .compared || differingFraction > tolerance || !instances.isEmpty
    }

    /// Ordering key: worse images first.
    var severity: (Int, Double, Int) {
        let rank: Int
        switch status {
        case .compared: rank = 0
        case .sizeMismatch: rank = 1
        case .onlyInA, .onlyInB: rank = 2
        }
        return (rank, differingFraction, instances.count)
    }

    /// Whether `self` is worse than `other` (for worst-first tables and overlays).
    public func isWorse(than other: ImageReport) -> Bool {
        let a = severity, b = other.severity
        if a.0 != b.0 { return a.0 > b.0 }
        if a.1 != b.1 { return a.1 > b.1 }
        if a.2 != b.2 { return a.2 > b.2 }
        return imageID < other.imageID
    }

    /// A one-line statement of what differs.
    public var headline: String {
        switch status {
        case .onlyInA: return "only in A"
        case .onlyInB: return "only in B"
        case .sizeMismatch(let wa, let ha, let wb, let hb): return "size differs: A \(wa)×\(ha), B \(wb)×\(hb)"
        case .compared:
            var parts = ["\(differingPixels) px differ (\(Format.percent(differingFraction)))"]
            var counts: [InstanceDifference: Int] = [:]
            for f in instances { counts[f.kind, default: 0] += 1 }
            for kind in [InstanceDifference.lost, .invented, .categoryChanged, .maskChanged] {
                if let n = counts[kind] { parts.append("\(n) \(kind.rawValue)") }
            }
            return parts.joined(separator: ", ")
        }
    }
}

/// Number formatting without Foundation's locale.
enum Format {
    static func fixed(_ value: Double, _ digits: Int) -> String {
        guard value.isFinite else { return "\(value)" }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        let whole = Int(scaled / scale)
        let fraction = Int(scaled - Double(whole) * scale)
        var text = "\(value < 0 && scaled > 0 ? "-" : "")\(whole)"
        if digits > 0 {
            let f = String(fraction)
            text += "." + String(repeating: "0", count: max(0, digits - f.count)) + f
        }
        return text
    }

    static func percent(_ fraction: Double) -> String {
        fraction > 0 && fraction < 0.0001 ? "<0.01%" : fixed(fraction * 100, 2) + "%"
    }

    static func signed(_ n: Int) -> String { n > 0 ? "+\(n)" : "\(n)" }
}
