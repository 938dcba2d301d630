import CocoConvertCore

/// Everything pass 1 learns, record by record, and the work done once the scan is over: parsing the
/// categories, choosing the kind, finding duplicate ids, and linking annotations to their images.
struct IndexAccumulator {
    /// Marks an annotation id as absent.
    static let noID = Int64.min

    let path: String
    let limits: Limits
    var index = COCOIndex(kind: .instances, isResultsArray: false, topLevel: [], problems: [], problemCount: 0,
                          findings: [], findingCount: 0, statistics: COCOStatistics())
    var problems: ProblemList
    var findings = ProblemList(cap: 1000)
    var statistics = COCOStatistics()

    // Temporaries (freed when linking is done).
    var imageIndexByID: [Int64: Int32] = [:]
    var annotationImageIDs = BlockArray<Int64>()
    var annotationIDs = BlockArray<Int64>()
    var sawImages = false
    var sawAnnotations = false
    var sawSegmentsInfo = false
    /// Category id, first annotation offset and id, for findings about undeclared categories.
    var firstUseOfCategory: [Int64: (offset: Int64, annotationID: Int64?)] = [:]
    /// Category ids below this are counted in flat arrays.
    static let smallCategoryLimit = 4096
    var smallCounts = [Int](repeating: 0, count: smallCategoryLimit)
    var smallCrowdCounts = [Int](repeating: 0, count: smallCategoryLimit)

    init(path: String, limits: Limits, problemCap: Int?) {
        self.path = path
        self.limits = limits
        problems = ProblemList(cap: problemCap)
    }

    mutating func addImage(_ fields: PassOneImageFields, offset: Int64, length: UInt32) {
        statistics.images += 1
        let context = ErrorContext(file: path, byteOffset: Int(offset), imageID: fields.id)
        guard let id = fields.id else {
            let found = fields.idKind.map { "found \($0.article)" } ?? "it is missing"
            problems.append(ConversionError(.invalidValue, "the image record's \"id\" must be an integer; \(found)",
                                            context: context, hint: "fix the image record; --on-error skip leaves out the image and its annotations"))
            return
        }
        if let first = imageIndexByID[id] {
            let firstOffset = index.imageOffsets[Int(first)]
            problems.append(ConversionError(.duplicateID, "image id \(id) appears twice (first record at byte \(firstOffset))",
                                            context: context, hint: "ids must be unique; --on-error skip keeps the first record"))
            return
        }
        if let w = fields.width, let h = fields.height, w > 0, h > 0 {
            statistics.sizes[ImageSize(width: w, height: h), default: 0] += 1
        } else {
            findings.append(ConversionError(.invalidValue, "the image record needs positive integer \"width\" and \"height\"",
                                            context: context))
        }
        imageIndexByID[id] = Int32(truncatingIfNeeded: index.imageOffsets.count)
        index.imageOffsets.append(offset)
        index.imageLengths.append(length)
        index.imageIDs.append(id)
    }

    mutating func addAnnotation(_ fields: PassOneAnnotationFields, offset: Int64, length: UInt32) {
        statistics.annotationRecords += 1
        let context = ErrorContext(file: path, byteOffset: Int(offset), imageID: fields.imageID, annotationID: fields.id)
        if let segments = fields.segments {
            sawSegmentsInfo = true
            for (category, crowd) in segments {
                count(category: category, crowd: crowd, offset: offset, annotationID: nil)
            }
        } else {
            count(category: fields.categoryID, crowd: fields.crowd, offset: offset, annotationID: fields.id)
            switch fields.segmentation {
            case .absent: statistics.noSegmentation += 1
            case .polygons: statistics.polygons += 1
            case .uncompressed: statistics.uncompressedRLE += 1
            case .compressed: statistics.compressedRLE += 1
            case .other: statistics.otherSegmentation += 1
            }
        }
        guard let imageID = fields.imageID else {
            let found = fields.imageIDKind.map { "found \($0.article)" } ?? "it is missing"
            problems.append(ConversionError(.invalidValue, "the annotation's \"image_id\" must be an integer; \(found)",
                                            context: context, hint: "fix the annotation; --on-error skip leaves it out"))
            return
        }
        guard index.annotationOffsets.count < Int(Int32.max) else {
            problems.append(ConversionError(.limitExceeded, "more than 2³¹ − 1 annotations in one file", context: context))
            return
        }
        if index.isResultsArray && imageIndexByID[imageID] == nil {
            // Results files have no image records: images are made up in order of first appearance.
            imageIndexByID[imageID] = Int32(truncatingIfNeeded: index.imageOffsets.count)
            index.imageOffsets.append(-1)
            index.imageLengths.append(0)
            index.imageIDs.append(imageID)
        }
        index.annotationOffsets.append(offset)
        index.annotationLengths.append(length)
        annotationImageIDs.append(imageID)
        annotationIDs.append(fields.id ?? IndexAccumulator.noID)
    }

    private mutating func count(category: Int64?, crowd: Bool, offset: Int64, annotationID: Int64?) {
        statistics.instances += 1
        guard let category else {
            findings.append(ConversionError(.invalidValue, "an annotation has no integer \"category_id\"",
                                            context: ErrorContext(file: path, byteOffset: Int(offset), annotationID: annotationID)))
            return
        }
        if crowd { statistics.crowd += 1 }
        // Small ids (all COCO ids) are counted in flat arrays, others in dictionaries.
        if category >= 0 && category < Int64(Self.smallCategoryLimit) {
            let k = Int(category)
            if smallCounts[k] == 0 { firstUseOfCategory[category] = (offset, annotationID) }
            smallCounts[k] += 1
            if crowd { smallCrowdCounts[k] += 1 }
            return
        }
        let seen = statistics.perCategory[category, default: 0]
        if seen == 0 { firstUseOfCategory[category] = (offset, annotationID) }
        statistics.perCategory[category] = seen + 1
        if crowd { statistics.crowdPerCategory[category, default: 0] += 1 }
    }

    /// Folds the flat per-category counters into the statistics.
    private mutating func foldCategoryCounts() {
        for k in 0..<Self.smallCategoryLimit where smallCounts[k] > 0 {
            statistics.perCategory[Int64(k)] = smallCounts[k]
            if smallCrowdCounts[k] > 0 { statistics.crowdPerCategory[Int64(k)] = smallCrowdCounts[k] }
        }
        smallCounts = []
        smallCrowdCounts = []
    }

    // MARK: Finish

    mutating func finish() throws {
        foldCategoryCounts()
        guard index.isResultsArray || sawImages || sawAnnotations || index.topLevel.contains(where: { $0.key == "categories" }) else {
            throw ConversionError(.unsupported, "the JSON object has no \"images\", \"annotations\" or \"categories\": it is not a COCO file",
                                  context: ErrorContext(file: path, byteOffset: 0))
        }
        // Categories (small) are parsed now, for the kind and the undeclared-category findings.
        var declared: Set<Int64> = []
        var categories: [Category] = []
        if let member = index.topLevel.first(where: { $0.key == "categories" }) {
            var categoryProblems = ProblemList(cap: nil)
            categories = try COCORecordParser(path: path, limits: limits).parseCategories(member, problems: &categoryProblems)
            declared = Set(categories.map(\.id))
        }
        index.kind = Self.kind(isResults: index.isResultsArray, panoptic: sawSegmentsInfo, categories: categories)
        if index.topLevel.contains(where: { $0.key == "categories" }) {
            for (category, use) in firstUseOfCategory.sorted(by: { $0.value.offset < $1.value.offset }) where !declared.contains(category) {
                let uses = statistics.perCategory[category] ?? 0
                findings.append(ConversionError(.unknownCategory, "\(uses) annotation(s) use category id \(category), which is not in \"categories\"",
                                                context: ErrorContext(file: path, byteOffset: Int(use.offset), annotationID: use.annotationID)))
            }
        }
        firstUseOfCategory = [:]

        let excluded = duplicateAnnotations()
        link(excluded: excluded)
        annotationImageIDs.removeAll()
        annotationIDs.removeAll()
        imageIndexByID = [:]

        index.problems = problems.sortedItems
        index.problemCount = problems.count
        index.findings = findings.sortedItems
        index.findingCount = findings.count
        index.statistics = statistics
    }

    /// The dataset kind: a bare array is results; `segments_info` means panoptic; category 183 "other"
    /// or only stuff ids (92 and up) means COCO-Stuff; otherwise instances.
    static func kind(isResults: Bool, panoptic: Bool, categories: [Category]) -> DatasetKind {
        if isResults { return .results }
        if panoptic { return .panoptic }
        if categories.contains(where: { $0.id == 183 && $0.name == "other" }) { return .stuff }
        if let lowest = categories.map(\.id).min(), lowest >= 92 { return .stuff }
        return .instances
    }

    /// Annotations whose id repeats an earlier annotation's id (reported; left out).
    private mutating func duplicateAnnotations() -> Set<Int32> {
        let n = annotationIDs.count
        var sorted: [Int64] = []
        sorted.reserveCapacity(n)
        for k in 0..<n where annotationIDs[k] != IndexAccumulator.noID { sorted.append(annotationIDs[k]) }
        sorted.sort()
        var repeated: Set<Int64> = []
        if sorted.count > 1 {
            for k in 1..<sorted.count where sorted[k] == sorted[k - 1] { repeated.insert(sorted[k]) }
        }
        sorted = []
        guard !repeated.isEmpty else { return [] }
        var firstOffset: [Int64: Int64] = [:]
        var excluded: Set<Int32> = []
        for k in 0..<n {
            let id = annotationIDs[k]
            guard repeated.contains(id) else { continue }
            if let first = firstOffset[id] {
                excluded.insert(Int32(k))
                problems.append(ConversionError(.duplicateID, "annotation id \(id) appears twice (first record at byte \(first))",
                                                context: ErrorContext(file: path, byteOffset: Int(index.annotationOffsets[k]),
                                                                      imageID: annotationImageIDs[k], annotationID: id),
                                                hint: "ids must be unique; --on-error skip keeps the first record"))
            } else {
                firstOffset[id] = index.annotationOffsets[k]
            }
        }
        return excluded
    }

    /// Builds the per-image lists of annotations, in file order.
    private mutating func link(excluded: Set<Int32>) {
        let imageCount = index.imageOffsets.count
        var tails = [Int32](repeating: -1, count: imageCount)
        for _ in 0..<imageCount { index.imageFirstAnnotation.append(-1) }
        let panoptic = index.kind == .panoptic
        for k in 0..<index.annotationOffsets.count {
            index.annotationNext.append(-1)
            let k32 = Int32(truncatingIfNeeded: k)
            if excluded.contains(k32) { continue }
            let imageID = annotationImageIDs[k]
            guard let image = imageIndexByID[imageID] else {
                let id = annotationIDs[k]
                problems.append(ConversionError(.unknownImage, "the annotation refers to image id \(imageID), which is not in \"images\"",
                                                context: ErrorContext(file: path, byteOffset: Int(index.annotationOffsets[k]), imageID: imageID,
                                                                      annotationID: id == IndexAccumulator.noID ? nil : id),
                                                hint: "add the image record, or use --on-error skip to leave such annotations out"))
                continue
            }
            let tail = tails[Int(image)]
            if tail < 0 {
                index.imageFirstAnnotation[Int(image)] = k32
            } else if panoptic {
                problems.append(ConversionError(.duplicateID, "image id \(imageID) has a second panoptic record",
                                                context: ErrorContext(file: path, byteOffset: Int(index.annotationOffsets[k]), imageID: imageID)))
                continue
            } else {
                index.annotationNext[Int(tail)] = k32
            }
            tails[Int(image)] = k32
        }
        statistics.imagesWithoutAnnotations = tails.reduce(0) { $0 + ($1 < 0 ? 1 : 0) }
    }
}

struct PassOneImageFields {
    var id: Int64?
    var idKind: JSONKind?
    var width: Int64?
    var height: Int64?
}

struct PassOneAnnotationFields {
    var id: Int64?
    var imageID: Int64?
    var imageIDKind: JSONKind?
    var categoryID: Int64?
    var crowd = false
    var segmentation: PassOneSegmentationForm = .absent
    /// Panoptic segments: (category id, crowd).
    var segments: [(Int64?, Bool)]? = nil
}

enum PassOneSegmentationForm { case absent, polygons, uncompressed, compressed, other }
