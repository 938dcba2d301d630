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
    private let problemCap: Int?

    private enum Section { case images, annotations }
    private enum State: Equatable {
        case start
        case member(first: Bool)
        case element(Section, first: Bool)
        case trailing
        case done
    }

    /// - Parameters:
    ///   - problemCap: how many problems to keep in detail (`nil`: all).
    init(file: ReadOnlyFile, limits: Limits = .standard, problemCap: Int? = nil, windowSize: Int = 8 << 20) {
        self.file = file
        self.path = file.path
        self.limits = limits
        // A small file gets a window its size (grown as usual if the file grows while it is read).
        capacity = max(min(windowSize, Int(clamping: file.size) + 1), 64)
        window = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        self.problemCap = problemCap
    }

    deinit {
        window.deallocate()
    }

    /// Scans the whole file and returns the index.
    /// - Throws: `ConversionError` for broken JSON (truncated, bad structure) and read failures.
    func build() throws -> COCOIndex {
        // Everything pass 1 accumulates lives in one struct, passed `inout`: no dynamic exclusivity
        // checks on class properties in the per-record path.
        var accumulator = IndexAccumulator(path: path, limits: limits, problemCap: problemCap)
        accumulator.statistics.fileBytes = file.size
        try refill(keepingFrom: 0)
        var state = State.start
        while state != .done {
            let mark = position
            do throws(JSONSyntaxError) {
                state = try step(state, &accumulator)
            } catch let error {
                if error.isIncomplete && !atEndOfFile {
                    position = mark
                    try refill(keepingFrom: mark)
                    continue
                }
                throw conversionError(error, whileIn: state, resultsArray: accumulator.index.isResultsArray)
            }
        }
        window.deallocate()
        window = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)
        capacity = 1
        filled = 0
        try accumulator.finish()
        return accumulator.index
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

    private func conversionError(_ error: JSONSyntaxError, whileIn state: State, resultsArray: Bool) -> ConversionError {
        let offset = Int(windowOffset) + error.position
        if error.isIncomplete {
            let place: String
            switch state {
            case .element(.images, _): place = "the images array"
            case .element(.annotations, _): place = resultsArray ? "the results array" : "the annotations array"
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

    private func step(_ state: State, _ acc: inout IndexAccumulator) throws(JSONSyntaxError) -> State {
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
                acc.index.isResultsArray = true
                acc.sawAnnotations = true
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
                if isImages ? acc.sawImages : acc.sawAnnotations {
                    throw JSONSyntaxError(position: key.start - 1, message: "the top-level member \"\(name)\" appears twice")
                }
                if isImages { acc.sawImages = true } else { acc.sawAnnotations = true }
                position = i + 1
                return .element(isImages ? .images : .annotations, first: true)
            }
            let end = try FastScan.skipValue(p, i, limit)
            if end >= limit { throw JSONSyntaxError.incomplete(at: limit, "a value") }
            let name = key.decoded
            if acc.index.topLevel.contains(where: { $0.key == name }) {
                throw JSONSyntaxError(position: key.start - 1, message: "the top-level member \"\(name)\" appears twice")
            }
            acc.index.topLevel.append(TopLevelMember(key: name, offset: windowOffset + Int64(i),
                                                 bytes: Array(UnsafeBufferPointer(start: p + i, count: end - i))))
            position = end
            return .member(first: false)

        case .element(let section, let first):
            var i = try FastScan.skipWhitespace(p, position, limit)
            if p[i] == ASCII.closeBracket {
                position = i + 1
                return acc.index.isResultsArray ? .trailing : .member(first: false)
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
                acc.problems.append(ConversionError(.invalidValue, "\(what) must be an object, found \(FastScan.kind(p[i])?.article ?? "something else")",
                                                context: ErrorContext(file: path, byteOffset: Int(windowOffset) + start)))
                position = end
                return .element(section, first: false)
            }
            switch section {
            case .images:
                let (fields, end) = try scanImage(p, start, limit)
                try checkRecordLength(end - start, at: start)
                acc.addImage(fields, offset: windowOffset + Int64(start), length: UInt32(end - start))
                position = end
            case .annotations:
                let (fields, end) = try scanAnnotation(p, start, limit)
                try checkRecordLength(end - start, at: start)
                acc.addAnnotation(fields, offset: windowOffset + Int64(start), length: UInt32(end - start))
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

    private func scanImage(_ p: UnsafePointer<UInt8>, _ start: Int, _ limit: Int) throws(JSONSyntaxError) -> (PassOneImageFields, Int) {
        var fields = PassOneImageFields()
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

    private func scanAnnotation(_ p: UnsafePointer<UInt8>, _ start: Int, _ limit: Int) throws(JSONSyntaxError) -> (PassOneAnnotationFields, Int) {
        var fields = PassOneAnnotationFields()
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
    private func segmentationForm(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> PassOneSegmentationForm {
        switch p[start] {
        case ASCII.openBracket: return .polygons
        case ASCII.openBrace:
            var form = PassOneSegmentationForm.other
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
                              into fields: inout PassOneAnnotationFields) throws(JSONSyntaxError) -> Int {
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

}
