/// What an input actually holds, counted sample by sample as it streams past, so a route's loss
/// table can be checked against it. Memory: one small set per sample, and the ids of the
/// categories used.
public struct InputFacts: Sendable {
    public var samples = 0
    /// Width × height summed over the samples (label maps grow with it).
    public var pixels: Int64 = 0
    /// Sizes of the image files the samples refer to (counted by `--dry-run` only).
    public var imageBytes: Int64 = 0
    public var instances = 0
    /// Instances with a mask that are not crowds (the ones a semantic map paints as objects).
    public var paintedInstances = 0
    /// Distinct (image, category) pairs among ``paintedInstances``: what a semantic map gives back.
    public var categoryRegions = 0
    public var withAnnotationIDs = 0
    public var crowds = 0
    public var scored = 0
    public var polygons = 0
    public var maskless = 0
    public var withStoredAreaOrBox = 0
    /// Image and annotation records with members cococonvert does not model.
    public var recordsWithExtras = 0
    public var declaredCategories = 0
    public var wideCategories = 0
    public private(set) var usedCategories: Set<Int64> = []
    /// The first few instances each feature touches, named ("annotation 2 (person, image 139)").
    public private(set) var examples: [DatasetFeature: [String]] = [:]
    /// How many instances are named per feature.
    public static let exampleCount = 3
    private let categoryNames: [Int64: String]

    public init(header: DatasetHeader) {
        categoryNames = Dictionary(header.categories.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
        declaredCategories = header.categories.count
        wideCategories = header.categories.filter { $0.id > 255 }.count
    }

    /// Counts one sample.
    public mutating func add(_ sample: Sample) {
        samples += 1
        pixels += Int64(sample.width) * Int64(sample.height)
        if !sample.extra.isEmpty { recordsWithExtras += 1 }
        var firstOfCategory: [Int64: Instance] = [:]
        for instance in sample.instances {
            instances += 1
            if !instance.isCrowd, !instance.geometry.isNone {
                paintedInstances += 1
                if let first = firstOfCategory[instance.categoryID] {
                    note(.separateInstances, instance, in: sample, merging: first)
                } else {
                    firstOfCategory[instance.categoryID] = instance
                    categoryRegions += 1
                }
            }
            if instance.isCrowd { note(.crowds, instance, in: sample) }
            if instance.score != nil { note(.scores, instance, in: sample) }
            if case .none = instance.geometry { note(.masklessInstances, instance, in: sample) }
            usedCategories.insert(instance.categoryID)
            if instance.id != nil { withAnnotationIDs += 1 }
            if instance.isCrowd { crowds += 1 }
            if instance.score != nil { scored += 1 }
            if !instance.extra.isEmpty { recordsWithExtras += 1 }
            if instance.area != nil || instance.bbox != nil { withStoredAreaOrBox += 1 }
            switch instance.geometry {
            case .polygons: polygons += 1
            case .none: maskless += 1
            default: break
            }
        }
    }

    /// Names `instance` as an example of `feature`, while fewer than ``exampleCount`` are named.
    private mutating func note(_ feature: DatasetFeature, _ instance: Instance, in sample: Sample, merging first: Instance? = nil) {
        guard examples[feature, default: []].count < Self.exampleCount else { return }
        func name(_ instance: Instance) -> String { instance.id.map { "annotation \($0)" } ?? "an annotation" }
        let category = categoryNames[instance.categoryID] ?? "category \(instance.categoryID)"
        var text = "\(name(instance)) (\(category), image \(sample.id))"
        if let first { text += " merges into \(name(first))" }
        examples[feature, default: []].append(text)
    }

    /// "; e.g. annotation 2 (person, image 139), …" for the features that name instances.
    private func named(_ feature: DatasetFeature) -> String {
        guard let list = examples[feature], !list.isEmpty else { return "" }
        return " (e.g. " + list.joined(separator: "; ") + ")"
    }

    /// A rough size of a label PNG set for these samples (label maps compress to about one byte per 40 pixels).
    public var labelMapBytes: Int64 { pixels / 40 }

    /// How much of the input has `feature`, or nil when it has none.
    public func extent(of feature: DatasetFeature) -> String? {
        func part(_ count: Int, _ what: String) -> String? {
            count > 0 ? "\(count) of \(instances) instances \(what)" : nil
        }
        switch feature {
        case .separateInstances:
            let merged = paintedInstances - categoryRegions
            return merged > 0 ? "the \(paintedInstances) non-crowd instances with a mask fall into \(categoryRegions) per-image category regions, "
                + "so at most \(categoryRegions) of \(instances) instances come back\(named(.separateInstances))" : nil
        case .annotationIDs: return part(withAnnotationIDs, "have an id")
        case .crowds: return part(crowds, "are crowds").map { $0 + named(.crowds) }
        case .scores: return part(scored, "have a score").map { $0 + named(.scores) }
        case .polygons: return part(polygons, "are polygons")
        case .masklessInstances: return part(maskless, "have no mask").map { $0 + named(.masklessInstances) }
        case .storedAreaAndBox: return part(withStoredAreaOrBox, "have a stored area or bbox")
        case .extraFields:
            return recordsWithExtras > 0 ? "\(recordsWithExtras) image or annotation records have members beyond the model" : nil
        case .unusedCategories:
            let unused = declaredCategories - usedCategories.count
            return unused > 0 && samples > 0 ? "\(unused) of \(declaredCategories) categories have no instance" : nil
        case .wideCategoryIDs:
            return wideCategories > 0 ? "\(wideCategories) categories have ids above 255" : nil
        }
    }

    /// The rows of `table` this input is affected by, in table order.
    public func found(in table: [Loss]) -> [FoundLoss] {
        table.compactMap { loss in extent(of: loss.feature).map { FoundLoss(loss: loss, extent: $0) } }
    }
}

private extension Geometry {
    var isNone: Bool {
        if case .none = self { return true }
        return false
    }
}
