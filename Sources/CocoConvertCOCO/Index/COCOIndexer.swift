import CocoConvertCore

/// Pass 1: reads a COCO JSON file once, in large pieces, and records where each image and annotation
/// record is, grouped by image, without keeping the records.
///
/// `categories`, `info`, `licenses` and unknown top-level members are kept as bytes (they are small).
/// Keys may come in any order (annotations before images is fine). Problems that make a record
/// unusable (no image id, an unknown image id, a duplicate id) are collected, not thrown, so that the
/// caller can apply its error policy; broken JSON throws.
final class COCOIndexer {
    private let file: ReadOnlyFile
    private let path: String
    private let limits: Limits

    /// The window of the file being scanned: `window[0]` is file offset `windowOffset`.
    private var window: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var windowOffset: Int64 = 0
    private var filled = 0
    private var atEndOfFile = false
    private var position = 0
    /// The largest window accepted for one record or top-level member.
    private let maximumWindow = 1 << 30

    private var index: COCOIndex
    private var problems: ProblemList
    private var findings: ProblemList
    private var statistics = COCOStatistics()

    // Pass-1 temporaries (freed when linking is done).
    private var imageIndexByID: [Int64: Int32] = [:]
    private var annotationImageIDs = BlockArray<Int64>()
    private var annotationIDs = BlockArray<Int64>()
    private var sawImages = false
    private var sawAnnotations = false
    private var sawSegmentsInfo = false
    /// Category id, first annotation offset and id, for findings about undeclared categories.
    private var firstUseOfCategory: [Int64: (offset: Int64, annotationID: Int64?)] = [:]

    private enum Section { case images, annotations }
    private enum State: Equatable {
        case start
        case member(first: Bool)
        case element(Section, first: Bool)
        case trailing
        case done
    }

    /// Marks an annotation id as absent.
    static let noID = Int64.min

    /// - Parameters:
    ///   - problemCap: how many problems to keep in detail (`nil`: all).
    init(file: ReadOnlyFile, limits: Limits = .standard, problemCap: Int? = nil, windowSize: Int = 8 << 20) {
        self.file = file
        self.path = file.path
        self.limits = limits
        capacity = max(windowSize, 64)
        window = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        index = COCOIndex(kind: .instances, isResultsArray: false, topLevel: [], problems: [], problemCount: 0,
                          findings: [], findingCount: 0, statistics: COCOStatistics())
        problems = ProblemList(cap: problemCap)
        findings = ProblemList(cap: 1000)
    }

    deinit {
        window.deallocate()
    }

    /// Scans the whole file and returns the index.
    /// - Throws: `ConversionError` for broken JSON (truncated, bad structure) and read failures.
    func build() throws -> COCOIndex {
        statistics.fileBytes = file.size
        try refill(keepingFrom: 0)
        var state = State.start
        while state != .done {
            let mark = position
            do throws(JSONSyntaxError) {
                state = try step(state)
            } catch let error {
                if error.isIncomplete && !atEndOfFile {
                    position = mark
                    try refill(keepingFrom: mark)
                    continue
                }
                throw conversionError(error, whileIn: state)
            }
        }
        try finish()
        return index
    }

    // MARK: Window

    /// Moves the bytes from `keep` on to the front of the window and reads more after them.
    private func refill(keepingFrom keep: Int) throws {
        let kept = filled - keep
        if keep > 0 && kept > 0 {
            (window).update(from: window + keep, count: kept)
        }
        windowOffset += Int64(keep)
        filled = kept
        position -= keep
        if filled == capacity {
            guard capacity < maximumWindow else {
                throw ConversionError(.limitExceeded, "a single record or top-level member is larger than 1 GiB",
                                      context: ErrorContext(file: path, byteOffset: Int(windowOffset)),
                                      hint: "the file is probably not COCO JSON")
            }
            let larger = min(capacity * 2, maximumWindow)
            let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: larger)
            grown.update(from: window, count: filled)
            window.deallocate()
            window = grown
            capacity = larger
        }
        let got = try file.read(into: window + filled, count: capacity - filled, at: windowOffset + Int64(filled))
        filled += got
        if got == 0 { atEndOfFile = true }
    }

    private func conversionError(_ error: JSONSyntaxError, whileIn state: State) -> ConversionError {
        let offset = Int(windowOffset) + error.position
        if error.isIncomplete {
            let place: String
            switch state {
            case .element(.images, _): place = "the images array"
            case .element(.annotations, _): place = index.isResultsArray ? "the results array" : "the annotations array"
            case .start: place = "the file (it is empty)"
            default: place = "the top-level object"
            }
            return ConversionError(.malformedInput, "the file ends inside \(place): the JSON is truncated",
                                   context: ErrorContext(file: path, byteOffset: offset),
                                   hint: "the file was probably cut short by a failed download or copy")
        }
        return ConversionError(error.isTypeError ? .invalidValue : .malformedInput, error.message,
                               context: ErrorContext(file: path, byteOffset: offset),
                               hint: error.isTypeError ? nil : "the file is not valid JSON")
    }

    // MARK: Top level

    private func step(_ state: State) throws(JSONSyntaxError) -> State {
        let p = UnsafePointer(window)
        let limit = filled
        switch state {
        case .start:
            var i = try FastScan.skipWhitespace(p, position, limit)
            // A UTF-8 byte order mark is tolerated.
            if i + 3 <= limit && p[i] == 0xEF && p[i + 1] == 0xBB && p[i + 2] == 0xBF {
                i = try FastScan.skipWhitespace(p, i + 3, limit)
            }
            switch p[i] {
            case ASCII.openBrace:
                position = i + 1
                return .member(first: true)
            case ASCII.openBracket:
                position = i + 1
                index.isResultsArray = true
                sawAnnotations = true
                return .element(.annotations, first: true)
            default:
                throw JSONSyntaxError(position: i, message: "a COCO file must be a JSON object (or an array of results), found \(ASCII.describe(p[i]))")
            }

        case .member(let first):
            var i = try FastScan.skipWhitespace(p, position, limit)
            if p[i] == ASCII.closeBrace {
                position = i + 1
                return .trailing
            }
            if !first {
                guard p[i] == ASCII.comma else {
                    throw JSONSyntaxError(position: i, message: "expected ',' or '}' after a top-level member, found \(ASCII.describe(p[i]))")
                }
                i = try FastScan.skipWhitespace(p, i + 1, limit)
            }
            let (key, afterKey) = try FastScan.scanKey(p, i, limit)
            i = try FastScan.skipWhitespace(p, afterKey, limit)
            guard p[i] == ASCII.colon else {
                throw JSONSyntaxError(position: i, message: "expected ':' after a member name, found \(ASCII.describe(p[i]))")
            }
            i = try FastScan.skipWhitespace(p, i + 1, limit)
            let isImages = key.is("images")
            if isImages || key.is("annotations") {
                let name = isImages ? "images" : "annotations"
                guard p[i] == ASCII.openBracket else {
                    throw JSONSyntaxError(position: i, message: "\"\(name)\" must be an array, found \(FastScan.kind(p[i])?.article ?? ASCII.describe(p[i]))", isTypeError: true)
                }
                if isImages ? sawImages : sawAnnotations {
                    throw JSONSyntaxError(position: key.start - 1, message: "the top-level member \"\(name)\" appears twice")
                }
                if isImages { sawImages = true } else { sawAnnotations = true }
                position = i + 1
                return .element(isImages ? .images : .annotations, first: true)
            }
            let end = try FastScan.skipValue(p, i, limit)
            if end >= limit { throw JSONSyntaxError.incomplete(at: limit, "a value") }
            let name = key.decoded
            if index.topLevel.contains(where: { $0.key == name }) {
                throw JSONSyntaxError(position: key.start - 1, message: "the top-level member \"\(name)\" appears twice")
            }
            index.topLevel.append(TopLevelMember(key: name, offset: windowOffset + Int64(i),
                                                 bytes: Array(UnsafeBufferPointer(start: p + i, count: end - i))))
            position = end
            return .member(first: false)

        case .element(let section, let first):
            var i = try FastScan.skipWhitespace(p, position, limit)
            if p[i] == ASCII.closeBracket {
                position = i + 1
                return index.isResultsArray ? .trailing : .member(first: false)
            }
            if !first {
                guard p[i] == ASCII.comma else {
                    throw JSONSyntaxError(position: i, message: "expected ',' or ']' between records, found \(ASCII.describe(p[i]))")
                }
                i = try FastScan.skipWhitespace(p, i + 1, limit)
            }
            let start = i
            guard p[i] == ASCII.openBrace else {
                let end = try FastScan.skipValue(p, i, limit)
                if end >= limit { throw JSONSyntaxError.incomplete(at: limit, "a value") }
                let what = section == .images ? "an image record" : "an annotation record"
                problems.append(ConversionError(.invalidValue, "\(what) must be an object, found \(FastScan.kind(p[i])?.article ?? "something else")",
                                                context: ErrorContext(file: path, byteOffset: Int(windowOffset) + start)))
                position = end
                return .element(section, first: false)
            }
            switch section {
            case .images:
                let (fields, end) = try scanImage(p, start, limit)
                try checkRecordLength(end - start, at: start)
                addImage(fields, offset: windowOffset + Int64(start), length: UInt32(end - start))
                position = end
            case .annotations:
                let (fields, end) = try scanAnnotation(p, start, limit)
                try checkRecordLength(end - start, at: start)
                addAnnotation(fields, offset: windowOffset + Int64(start), length: UInt32(end - start))
                position = end
            }
            return .element(section, first: false)

        case .trailing:
            var i = position
            while i < limit && ASCII.isWhitespace(p[i]) { i += 1 }
            position = i
            if i < limit {
                throw JSONSyntaxError(position: i, message: "unexpected \(ASCII.describe(p[i])) after the end of the JSON value")
            }
            if !atEndOfFile { throw JSONSyntaxError.incomplete(at: limit, "whitespace") }
            return .done

        case .done:
            return .done
        }
    }

    private func checkRecordLength(_ length: Int, at start: Int) throws(JSONSyntaxError) {
        if length > Int(UInt32.max) {
            throw JSONSyntaxError(position: start, message: "a record is larger than 4 GiB")
        }
    }

    // MARK: Records

    private struct ImageFields {
        var id: Int64?
        var idKind: JSONKind?
        var width: Int64?
        var height: Int64?
    }

    private struct AnnotationFields {
        var id: Int64?
        var imageID: Int64?
        var imageIDKind: JSONKind?
        var categoryID: Int64?
        var crowd = false
        var segmentation: SegmentationForm = .absent
        /// Panoptic segments: (category id, crowd).
        var segments: [(Int64?, Bool)]? = nil
    }

    private enum SegmentationForm { case absent, polygons, uncompressed, compressed, other }

    /// Calls `body` for each member of the object at `start`; returns the index past the object.
    @inline(__always)
    private func scanMembers(_ p: UnsafePointer<UInt8>, _ start: Int, _ limit: Int,
                             _ body: (JSONKey, Int) throws(JSONSyntaxError) -> Int) throws(JSONSyntaxError) -> Int {
        var i = try FastScan.skipWhitespace(p, start + 1, limit)
        if p[i] == ASCII.closeBrace { return i + 1 }
        while true {
            let (key, afterKey) = try FastScan.scanKey(p, i, limit)
            i = try FastScan.skipWhitespace(p, afterKey, limit)
            guard p[i] == ASCII.colon else {
                throw JSONSyntaxError(position: i, message: "expected ':' after a member name, found \(ASCII.describe(p[i]))")
            }
            i = try FastScan.skipWhitespace(p, i + 1, limit)
            i = try body(key, i)
            i = try FastScan.skipWhitespace(p, i, limit)
            let c = p[i]
            if c == ASCII.closeBrace { return i + 1 }
            guard c == ASCII.comma else {
                throw JSONSyntaxError(position: i, message: "expected ',' or '}' in an object, found \(ASCII.describe(c))")
            }
            i = try FastScan.skipWhitespace(p, i + 1, limit)
        }
    }

    private func scanImage(_ p: UnsafePointer<UInt8>, _ start: Int, _ limit: Int) throws(JSONSyntaxError) -> (ImageFields, Int) {
        var fields = ImageFields()
        let end = try scanMembers(p, start, limit) { (key: JSONKey, i: Int) throws(JSONSyntaxError) -> Int in
            if key.is("id") {
                let (value, kind, end) = try FastScan.integer(p, i, limit)
                fields.id = value
                fields.idKind = kind
                return end
            } else if key.is("width") {
                let (value, _, end) = try FastScan.integer(p, i, limit)
                fields.width = value
                return end
            } else if key.is("height") {
                let (value, _, end) = try FastScan.integer(p, i, limit)
                fields.height = value
                return end
            }
            return try FastScan.skipValue(p, i, limit)
        }
        return (fields, end)
    }

    private func scanAnnotation(_ p: UnsafePointer<UInt8>, _ start: Int, _ limit: Int) throws(JSONSyntaxError) -> (AnnotationFields, Int) {
        var fields = AnnotationFields()
        let end = try scanMembers(p, start, limit) { (key: JSONKey, i: Int) throws(JSONSyntaxError) -> Int in
            switch key.count {
            case 2 where key.is("id"):
                let (value, _, end) = try FastScan.integer(p, i, limit)
                fields.id = value
                return end
            case 8 where key.is("image_id"):
                let (value, kind, end) = try FastScan.integer(p, i, limit)
                fields.imageID = value
                fields.imageIDKind = kind
                return end
            case 11 where key.is("category_id"):
                let (value, _, end) = try FastScan.integer(p, i, limit)
                fields.categoryID = value
                return end
            case 7 where key.is("iscrowd"):
                let (value, _, end) = try FastScan.integer(p, i, limit)
                fields.crowd = value == 1
                if p[i] == UInt8(ascii: "t") { fields.crowd = true }
                return end
            case 12 where key.is("segmentation"):
                let end = try FastScan.skipValue(p, i, limit)
                fields.segmentation = segmentationForm(p, i, end)
                return end
            case 13 where key.is("segments_info"):
                return try scanSegments(p, i, limit, into: &fields)
            default:
                return try FastScan.skipValue(p, i, limit)
            }
        }
        return (fields, end)
    }

    /// The form of a (complete) segmentation value: a list is polygons; an object is RLE whose
    /// `counts` is a list (uncompressed) or a string (compressed).
    private func segmentationForm(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> SegmentationForm {
        switch p[start] {
        case ASCII.openBracket: return .polygons
        case ASCII.openBrace:
            var form = SegmentationForm.other
            _ = try? scanMembers(p, start, end) { (key: JSONKey, i: Int) throws(JSONSyntaxError) -> Int in
                if key.is("counts") {
                    form = p[i] == ASCII.quote ? .compressed : p[i] == ASCII.openBracket ? .uncompressed : .other
                }
                return try FastScan.skipValue(p, i, end)
            }
            return form
        case UInt8(ascii: "n"): return .absent
        default: return .other
        }
    }

    private func scanSegments(_ p: UnsafePointer<UInt8>, _ start: Int, _ limit: Int,
                              into fields: inout AnnotationFields) throws(JSONSyntaxError) -> Int {
        guard p[start] == ASCII.openBracket else { return try FastScan.skipValue(p, start, limit) }
        var segments: [(Int64?, Bool)] = []
        var i = try FastScan.skipWhitespace(p, start + 1, limit)
        if p[i] == ASCII.closeBracket {
            fields.segments = segments
            return i + 1
        }
        while true {
            if p[i] == ASCII.openBrace {
                var category: Int64?
                var crowd = false
                i = try scanMembers(p, i, limit) { (key: JSONKey, j: Int) throws(JSONSyntaxError) -> Int in
                    if key.is("category_id") {
                        let (value, _, end) = try FastScan.integer(p, j, limit)
                        category = value
                        return end
                    } else if key.is("iscrowd") {
                        let (value, _, end) = try FastScan.integer(p, j, limit)
                        crowd = value == 1 || p[j] == UInt8(ascii: "t")
                        return end
                    }
                    return try FastScan.skipValue(p, j, limit)
                }
                segments.append((category, crowd))
            } else {
                i = try FastScan.skipValue(p, i, limit)
            }
            i = try FastScan.skipWhitespace(p, i, limit)
            if p[i] == ASCII.closeBracket {
                fields.segments = segments
                return i + 1
            }
            guard p[i] == ASCII.comma else {
                throw JSONSyntaxError(position: i, message: "expected ',' or ']' in segments_info, found \(ASCII.describe(p[i]))")
            }
            i = try FastScan.skipWhitespace(p, i + 1, limit)
        }
    }

    private func addImage(_ fields: ImageFields, offset: Int64, length: UInt32) {
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

    private func addAnnotation(_ fields: AnnotationFields, offset: Int64, length: UInt32) {
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
        annotationIDs.append(fields.id ?? Self.noID)
    }

    private func count(category: Int64?, crowd: Bool, offset: Int64, annotationID: Int64?) {
        statistics.instances += 1
        guard let category else {
            findings.append(ConversionError(.invalidValue, "an annotation has no integer \"category_id\"",
                                            context: ErrorContext(file: path, byteOffset: Int(offset), annotationID: annotationID)))
            return
        }
        let seen = statistics.perCategory[category, default: 0]
        if seen == 0 { firstUseOfCategory[category] = (offset, annotationID) }
        statistics.perCategory[category] = seen + 1
        if crowd {
            statistics.crowd += 1
            statistics.crowdPerCategory[category, default: 0] += 1
        }
    }

    // MARK: Finish

    private func finish() throws {
        guard index.isResultsArray || sawImages || sawAnnotations || index.topLevel.contains(where: { $0.key == "categories" }) else {
            throw ConversionError(.unsupported, "the JSON object has no \"images\", \"annotations\" or \"categories\": it is not a COCO file",
                                  context: ErrorContext(file: path, byteOffset: 0))
        }
        window.deallocate()
        window = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)
        capacity = 1
        filled = 0

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
    private func duplicateAnnotations() -> Set<Int32> {
        let n = annotationIDs.count
        var sorted: [Int64] = []
        sorted.reserveCapacity(n)
        for k in 0..<n where annotationIDs[k] != Self.noID { sorted.append(annotationIDs[k]) }
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
    private func link(excluded: Set<Int32>) {
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
                                                                      annotationID: id == Self.noID ? nil : id),
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
