import CocoConvertCore

/// Pass 2: parses single records (an image, an annotation, the categories) into the canonical model,
/// checking every type, id, size and RLE sum. Unknown members are kept verbatim as ``ExtraField``s.
struct COCORecordParser {
    let path: String
    let limits: Limits

    // MARK: Errors

    /// A `ConversionError` for a scanner error in a buffer that starts at file offset `base`.
    func conversionError(_ error: JSONSyntaxError, base: Int64, imageID: Int64? = nil, annotationID: Int64? = nil,
                         field: String? = nil) -> ConversionError {
        let code: ConversionError.Code = error.isMaskError ? .invalidMask : error.isTypeError ? .invalidValue : .malformedInput
        return ConversionError(code, error.message,
                               context: ErrorContext(file: path, byteOffset: Int(base) + error.position, imageID: imageID,
                                                     annotationID: annotationID, field: field))
    }

    /// The ids of a record that failed to parse, found tolerantly, for the error message.
    private func identify(_ bytes: UnsafeBufferPointer<UInt8>) -> (id: Int64?, imageID: Int64?) {
        guard let p = bytes.baseAddress, bytes.count > 1, p[0] == ASCII.openBrace else { return (nil, nil) }
        var id: Int64?
        var imageID: Int64?
        var cursor = JSONCursor(bytes, baseOffset: 0)
        try? cursor.forEachMember { (c: inout JSONCursor, key: JSONKey) throws(JSONSyntaxError) in
            if key.is("id"), let n = try? c.readNumber() {
                id = n.integralValue
            } else if key.is("image_id"), let n = try? c.readNumber() {
                imageID = n.integralValue
            } else {
                try c.skipValue()
            }
        }
        return (id, imageID)
    }

    // MARK: Top level

    /// Parses and validates a raw top-level value (`info`, `licenses`, extras) and returns its text.
    func rawText(_ member: TopLevelMember) throws -> String {
        try member.bytes.withUnsafeBufferPointer { bytes in
            var cursor = JSONCursor(bytes, baseOffset: member.offset)
            do throws(JSONSyntaxError) {
                let text = try cursor.rawValue()
                try cursor.expectEnd()
                return text
            } catch {
                throw conversionError(error, base: member.offset, field: member.key)
            }
        }
    }

    /// Parses `categories`. Bad or duplicate category records go to `problems` and are left out;
    /// broken JSON throws.
    func parseCategories(_ member: TopLevelMember, problems: inout ProblemList) throws -> [Category] {
        try member.bytes.withUnsafeBufferPointer { bytes in
            var cursor = JSONCursor(bytes, baseOffset: member.offset)
            var categories: [Category] = []
            var seen: [Int64: Int] = [:]
            var found: [ConversionError] = []
            do throws(JSONSyntaxError) {
                guard cursor.peek() == ASCII.openBracket else {
                    throw cursor.typeError("\"categories\"", expected: "an array")
                }
                try cursor.forEachElement { (c: inout JSONCursor) throws(JSONSyntaxError) in
                    let start = c.position
                    do throws(JSONSyntaxError) {
                        let category = try parseCategory(&c)
                        if seen[category.id] != nil {
                            found.append(ConversionError(.duplicateID, "category id \(category.id) appears twice",
                                                         context: ErrorContext(file: path, byteOffset: c.fileOffset(start), field: "categories"),
                                                         hint: "ids must be unique; --on-error skip keeps the first record"))
                        } else {
                            seen[category.id] = categories.count
                            categories.append(category)
                        }
                    } catch where error.isTypeError {
                        found.append(conversionError(error, base: member.offset, field: "categories"))
                        c.position = start
                        try c.skipValue()
                    }
                }
                try cursor.expectEnd()
            } catch {
                throw conversionError(error, base: member.offset, field: "categories")
            }
            for problem in found { problems.append(problem) }
            return categories
        }
    }

    private func parseCategory(_ c: inout JSONCursor) throws(JSONSyntaxError) -> Category {
        guard c.peek() == ASCII.openBrace else { throw c.typeError("a category record", expected: "an object") }
        let start = c.position
        var id: Int64?
        var name: String?
        var supercategory: String?
        var isThing: Bool?
        var color: RGB?
        var extra: [ExtraField] = []
        try c.forEachMember { (c: inout JSONCursor, key: JSONKey) throws(JSONSyntaxError) in
            if key.is("id") {
                id = try c.readInteger("the category \"id\"")
            } else if key.is("name") {
                guard c.peek() == ASCII.quote else { throw c.typeError("the category \"name\"", expected: "a string") }
                name = try c.readString()
            } else if key.is("supercategory"), c.peek() == ASCII.quote {
                supercategory = try c.readString()
            } else if key.is("isthing"), let flag = Self.flag(&c) {
                isThing = flag
            } else if key.is("color"), let rgb = Self.color(&c) {
                color = rgb
            } else {
                extra.append(ExtraField(key: key.decoded, rawJSON: try c.rawValue()))
            }
        }
        guard let id else {
            throw JSONSyntaxError(position: start, message: "a category record has no \"id\"", isTypeError: true)
        }
        guard let name else {
            throw JSONSyntaxError(position: start, message: "category \(id) has no \"name\"", isTypeError: true)
        }
        return Category(id: id, name: name, supercategory: supercategory, isThing: isThing, color: color, extra: extra)
    }

    /// A 0/1 or boolean value, consumed; nil (nothing consumed) for anything else.
    private static func flag(_ c: inout JSONCursor) -> Bool? {
        let start = c.position
        if let value = try? c.readFlag("isthing") { return value }
        c.position = start
        return nil
    }

    /// An `[r, g, b]` array of 0...255 integers, consumed; nil (nothing consumed) for anything else.
    private static func color(_ c: inout JSONCursor) -> RGB? {
        let start = c.position
        var values: [Int64] = []
        let ok = (try? c.forEachElement { (e: inout JSONCursor) throws(JSONSyntaxError) in
            values.append(try e.readInteger("a colour component"))
        }) != nil
        guard ok, values.count == 3, values.allSatisfy({ $0 >= 0 && $0 <= 255 }) else {
            c.position = start
            return nil
        }
        return RGB(UInt8(values[0]), UInt8(values[1]), UInt8(values[2]))
    }

    // MARK: Images

    /// Parses an image record.
    func parseImage(_ bytes: UnsafeBufferPointer<UInt8>, offset: Int64) throws(ConversionError) -> ImageRecord {
        var cursor = JSONCursor(bytes, baseOffset: offset)
        var id: Int64?
        var fileName: String?
        var width: Int64?
        var height: Int64?
        var extra: [ExtraField] = []
        var field: String?
        do throws(JSONSyntaxError) {
            try cursor.forEachMember { (c: inout JSONCursor, key: JSONKey) throws(JSONSyntaxError) in
                if key.is("id") {
                    field = "id"
                    id = try c.readInteger("the image \"id\"")
                } else if key.is("file_name") {
                    field = "file_name"
                    guard c.peek() == ASCII.quote else { throw c.typeError("\"file_name\"", expected: "a string") }
                    fileName = try c.readString()
                } else if key.is("width") {
                    field = "width"
                    width = try c.readInteger("\"width\"")
                } else if key.is("height") {
                    field = "height"
                    height = try c.readInteger("\"height\"")
                } else {
                    field = nil
                    extra.append(ExtraField(key: key.decoded, rawJSON: try c.rawValue()))
                }
            }
            field = nil
            try cursor.expectEnd()
        } catch {
            throw conversionError(error, base: offset, imageID: id ?? identify(bytes).id, field: field)
        }
        let context = ErrorContext(file: path, byteOffset: Int(offset), imageID: id)
        guard let id else {
            throw ConversionError(.invalidValue, "the image record has no \"id\"", context: context)
        }
        guard let width, let height, width > 0, height > 0 else {
            throw ConversionError(.invalidValue, "the image needs positive integer \"width\" and \"height\"", context: context,
                                  hint: "fix the image record")
        }
        guard width <= Int64(Int32.max), height <= Int64(Int32.max),
              width.multipliedReportingOverflow(by: height).partialValue <= Int64(limits.maxPixels) else {
            throw ConversionError(.limitExceeded, "the image is \(width)×\(height), more than the \(limits.maxPixels)-pixel limit",
                                  context: context)
        }
        guard let fileName else {
            throw ConversionError(.invalidValue, "the image record has no \"file_name\"", context: context)
        }
        return ImageRecord(id: id, fileName: fileName, width: Int(width), height: Int(height), extra: extra)
    }

    // MARK: Annotations

    /// Parses an instances/stuff/results annotation.
    /// - Parameters:
    ///   - image: the image the annotation belongs to (mask sizes must match it); nil for results files.
    ///   - categories: declared category ids (nil: do not check, as for results files).
    ///   - imageID: the image id found in pass 1 (for error context).
    func parseAnnotation(_ bytes: UnsafeBufferPointer<UInt8>, offset: Int64, image: ImageRecord?,
                         categories: Set<Int64>?, imageID: Int64) throws(ConversionError) -> Instance {
        var cursor = JSONCursor(bytes, baseOffset: offset)
        var id: Int64?
        var categoryID: Int64?
        var crowd = false
        var area: Double?
        var bbox: BoundingBox?
        var score: Double?
        var geometry = Geometry.none
        var extra: [ExtraField] = []
        var field: String?
        var sizeProblem: ConversionError?
        do throws(JSONSyntaxError) {
            try cursor.forEachMember { (c: inout JSONCursor, key: JSONKey) throws(JSONSyntaxError) in
                switch key.count {
                case 2 where key.is("id"):
                    field = "id"
                    id = try c.readInteger("the annotation \"id\"")
                case 8 where key.is("image_id"):
                    field = "image_id"
                    _ = try c.readInteger("\"image_id\"")
                case 11 where key.is("category_id"):
                    field = "category_id"
                    categoryID = try c.readInteger("\"category_id\"")
                case 7 where key.is("iscrowd"):
                    field = "iscrowd"
                    crowd = try c.readFlag("\"iscrowd\"")
                case 4 where key.is("area"):
                    field = "area"
                    area = try c.readDouble("\"area\"")
                case 4 where key.is("bbox"):
                    field = "bbox"
                    bbox = try Self.readBox(&c)
                case 5 where key.is("score"):
                    field = "score"
                    score = try c.readDouble("\"score\"")
                case 12 where key.is("segmentation"):
                    field = "segmentation"
                    let start = c.position
                    geometry = try readSegmentation(&c)
                    sizeProblem = check(geometry, image: image, at: c.fileOffset(start))
                default:
                    field = nil
                    extra.append(ExtraField(key: key.decoded, rawJSON: try c.rawValue()))
                }
            }
            field = nil
            try cursor.expectEnd()
        } catch {
            throw conversionError(error, base: offset, imageID: imageID, annotationID: id ?? identify(bytes).id, field: field)
        }
        let context = ErrorContext(file: path, byteOffset: Int(offset), imageID: imageID, annotationID: id)
        if let sizeProblem { throw sizeProblem.adding(context) }
        guard let categoryID else {
            throw ConversionError(.invalidValue, "the annotation has no \"category_id\"", context: context)
        }
        if let categories, !categories.contains(categoryID) {
            throw ConversionError(.unknownCategory, "category id \(categoryID) is not in \"categories\"", context: context,
                                  hint: "add the category or use --on-error skip to leave such annotations out")
        }
        return Instance(id: id, categoryID: categoryID, isCrowd: crowd, bbox: bbox, area: area, score: score,
                        geometry: geometry, extra: extra)
    }

    private static func readBox(_ c: inout JSONCursor) throws(JSONSyntaxError) -> BoundingBox {
        guard c.peek() == ASCII.openBracket else { throw c.typeError("\"bbox\"", expected: "an array of 4 numbers") }
        let start = c.position
        var v: (Double, Double, Double, Double) = (0, 0, 0, 0)
        var n = 0
        try c.forEachElement { (e: inout JSONCursor) throws(JSONSyntaxError) in
            let x = try e.readDouble("a \"bbox\" value")
            switch n {
            case 0: v.0 = x
            case 1: v.1 = x
            case 2: v.2 = x
            case 3: v.3 = x
            default: break
            }
            n += 1
        }
        guard n == 4 else {
            throw JSONSyntaxError(position: start, message: "\"bbox\" must have 4 numbers [x, y, width, height], found \(n)", isTypeError: true)
        }
        return BoundingBox(x: v.0, y: v.1, width: v.2, height: v.3)
    }

    /// Reads a `segmentation` value: polygons, RLE with list counts, RLE with string counts, or null.
    private func readSegmentation(_ c: inout JSONCursor) throws(JSONSyntaxError) -> Geometry {
        guard let first = c.peek() else { throw c.unexpectedEnd("a segmentation") }
        switch first {
        case ASCII.openBracket:
            return .polygons(try readPolygons(&c))
        case ASCII.openBrace:
            return try readRLE(&c)
        default:
            if c.consumeNull() { return .none }
            throw c.typeError("\"segmentation\"", expected: "a list of polygons or an RLE object")
        }
    }

    private func readPolygons(_ c: inout JSONCursor) throws(JSONSyntaxError) -> [[Double]] {
        var parts: [[Double]] = []
        let maxValues = limits.maxPolygonPoints * 2
        try c.forEachElement { (e: inout JSONCursor) throws(JSONSyntaxError) in
            guard e.peek() == ASCII.openBracket else {
                throw e.typeError("a polygon", expected: "a list of numbers [x0, y0, x1, y1, ...]")
            }
            let start = e.position
            var part: [Double] = []
            part.reserveCapacity(32)
            try e.forEachElement { (v: inout JSONCursor) throws(JSONSyntaxError) in
                part.append(try v.readDouble("a polygon coordinate"))
            }
            guard part.count <= maxValues else {
                throw JSONSyntaxError(position: start, message: "a polygon has \(part.count / 2) points, more than the limit of \(limits.maxPolygonPoints)")
            }
            guard !part.isEmpty, part.count % 2 == 0 else {
                throw JSONSyntaxError(position: start, message: part.isEmpty ? "a polygon is empty"
                                      : "a polygon has an odd number of coordinates (\(part.count))", isMaskError: true)
            }
            parts.append(part)
        }
        return parts
    }

    private func readRLE(_ c: inout JSONCursor) throws(JSONSyntaxError) -> Geometry {
        let start = c.position
        var height: Int64?
        var width: Int64?
        var listCounts: [UInt32]?
        var listSum: Int64 = 0
        var stringCounts: String?
        var countsStart = start
        try c.forEachMember { (m: inout JSONCursor, key: JSONKey) throws(JSONSyntaxError) in
            if key.is("size") {
                guard m.peek() == ASCII.openBracket else { throw m.typeError("the RLE \"size\"", expected: "[height, width]") }
                let sizeStart = m.position
                var values: [Int64] = []
                try m.forEachElement { (e: inout JSONCursor) throws(JSONSyntaxError) in
                    values.append(try e.readInteger("an RLE size"))
                }
                guard values.count == 2, values[0] >= 0, values[1] >= 0 else {
                    throw JSONSyntaxError(position: sizeStart, message: "the RLE \"size\" must be [height, width] with non-negative integers", isTypeError: true)
                }
                height = values[0]
                width = values[1]
            } else if key.is("counts") {
                countsStart = m.position
                guard let first = m.peek() else { throw m.unexpectedEnd("RLE counts") }
                if first == ASCII.quote {
                    stringCounts = try m.readString()
                } else if first == ASCII.openBracket {
                    var counts: [UInt32] = []
                    var sum: Int64 = 0
                    try m.forEachElement { (e: inout JSONCursor) throws(JSONSyntaxError) in
                        let at = e.position
                        let v = try e.readInteger("an RLE count")
                        guard v >= 0 && v <= Int64(UInt32.max) else {
                            throw JSONSyntaxError(position: at, message: "an RLE count must be between 0 and 2³² − 1, found \(v)", isTypeError: true)
                        }
                        counts.append(UInt32(v))
                        sum &+= v
                    }
                    listCounts = counts
                    listSum = sum
                } else {
                    throw m.typeError("the RLE \"counts\"", expected: "a list of integers or a string")
                }
            } else {
                // pycocotools ignores other members of an RLE object; so do we (they are not kept).
                try m.skipValue()
            }
        }
        guard let height, let width else {
            throw JSONSyntaxError(position: start, message: "the RLE object has no \"size\" [height, width]", isTypeError: true)
        }
        guard height <= Int64(Int32.max), width <= Int64(Int32.max),
              height * width <= Int64(limits.maxPixels) else {
            throw JSONSyntaxError(position: start, message: "the RLE size \(height)×\(width) is over the \(limits.maxPixels)-pixel limit")
        }
        let pixels = height * width
        if let listCounts {
            guard listSum == pixels else {
                throw JSONSyntaxError(position: countsStart, message: "the RLE counts sum to \(listSum), but the mask has \(pixels) pixels (height × width)", isMaskError: true)
            }
            return .rle(RLE(height: Int(height), width: Int(width), counts: listCounts))
        }
        if let stringCounts {
            // Decoded only to check it (alphabet, complete numbers, sum = height × width); kept verbatim.
            do {
                _ = try RLE(compressed: stringCounts, height: Int(height), width: Int(width), limits: limits)
            } catch let error as ConversionError {
                throw JSONSyntaxError(position: countsStart, message: "invalid compressed RLE: \(error.message)", isMaskError: true)
            } catch {
                throw JSONSyntaxError(position: countsStart, message: "invalid compressed RLE", isMaskError: true)
            }
            return .compressedRLE(CompressedRLE(height: Int(height), width: Int(width), counts: stringCounts))
        }
        throw JSONSyntaxError(position: start, message: "the RLE object has no \"counts\"", isTypeError: true)
    }

    /// A size-mismatch error when an RLE's size is not its image's size.
    private func check(_ geometry: Geometry, image: ImageRecord?, at offset: Int) -> ConversionError? {
        guard let image else { return nil }
        let size: (Int, Int)
        switch geometry {
        case .rle(let r): size = (r.height, r.width)
        case .compressedRLE(let r): size = (r.height, r.width)
        default: return nil
        }
        guard size != (image.height, image.width) else { return nil }
        return ConversionError(.sizeMismatch,
                               "the segmentation is \(size.0)×\(size.1) (height×width) but the image is \(image.height)×\(image.width)",
                               context: ErrorContext(file: path, byteOffset: offset, field: "segmentation"),
                               hint: "the annotation belongs to a different image, or the image record is wrong")
    }

    // MARK: Panoptic

    /// Parses a panoptic annotation record (`image_id`, `file_name`, `segments_info`).
    func parsePanoptic(_ bytes: UnsafeBufferPointer<UInt8>, offset: Int64, categories: Set<Int64>?,
                       imageID: Int64) throws(ConversionError) -> PanopticAnnotationRecord {
        var cursor = JSONCursor(bytes, baseOffset: offset)
        var fileName: String?
        var segments: [Instance] = []
        var extra: [ExtraField] = []
        var field: String?
        do throws(JSONSyntaxError) {
            try cursor.forEachMember { (c: inout JSONCursor, key: JSONKey) throws(JSONSyntaxError) in
                if key.is("image_id") {
                    field = "image_id"
                    _ = try c.readInteger("\"image_id\"")
                } else if key.is("file_name") {
                    field = "file_name"
                    guard c.peek() == ASCII.quote else { throw c.typeError("\"file_name\"", expected: "a string") }
                    fileName = try c.readString()
                } else if key.is("segments_info") {
                    field = "segments_info"
                    guard c.peek() == ASCII.openBracket else { throw c.typeError("\"segments_info\"", expected: "an array") }
                    try c.forEachElement { (e: inout JSONCursor) throws(JSONSyntaxError) in
                        segments.append(try parseSegment(&e))
                    }
                } else {
                    field = nil
                    extra.append(ExtraField(key: key.decoded, rawJSON: try c.rawValue()))
                }
            }
            field = nil
            try cursor.expectEnd()
        } catch {
            throw conversionError(error, base: offset, imageID: imageID, field: field)
        }
        let context = ErrorContext(file: path, byteOffset: Int(offset), imageID: imageID)
        guard let fileName else {
            throw ConversionError(.invalidValue, "the panoptic record has no \"file_name\" (the segment PNG)", context: context)
        }
        var seen: Set<Int64> = []
        for segment in segments {
            let id = segment.id ?? 0
            guard seen.insert(id).inserted else {
                throw ConversionError(.duplicateID, "segment id \(id) appears twice in segments_info", context: context)
            }
            if let categories, !categories.contains(segment.categoryID) {
                throw ConversionError(.unknownCategory, "segment \(id) has category id \(segment.categoryID), which is not in \"categories\"",
                                      context: context)
            }
        }
        return PanopticAnnotationRecord(imageID: imageID, fileName: fileName, segments: segments, extra: extra)
    }

    private func parseSegment(_ c: inout JSONCursor) throws(JSONSyntaxError) -> Instance {
        guard c.peek() == ASCII.openBrace else { throw c.typeError("a segment", expected: "an object") }
        let start = c.position
        var id: Int64?
        var categoryID: Int64?
        var crowd = false
        var area: Double?
        var bbox: BoundingBox?
        var extra: [ExtraField] = []
        try c.forEachMember { (m: inout JSONCursor, key: JSONKey) throws(JSONSyntaxError) in
            if key.is("id") {
                let at = m.position
                let v = try m.readInteger("the segment \"id\"")
                guard v > 0 && v < 1 << 24 else {
                    throw JSONSyntaxError(position: at, message: "a segment id must be between 1 and 2²⁴ − 1 (R + 256·G + 256²·B), found \(v)", isTypeError: true)
                }
                id = v
            } else if key.is("category_id") {
                categoryID = try m.readInteger("the segment \"category_id\"")
            } else if key.is("iscrowd") {
                crowd = try m.readFlag("the segment \"iscrowd\"")
            } else if key.is("area") {
                area = try m.readDouble("the segment \"area\"")
            } else if key.is("bbox") {
                bbox = try Self.readBox(&m)
            } else {
                extra.append(ExtraField(key: key.decoded, rawJSON: try m.rawValue()))
            }
        }
        guard let id, let categoryID else {
            throw JSONSyntaxError(position: start, message: "a segment needs an integer \"id\" and \"category_id\"", isTypeError: true)
        }
        return Instance(id: id, categoryID: categoryID, isCrowd: crowd, bbox: bbox, area: area, geometry: .none, extra: extra)
    }
}
