import CocoConvertCore

/// One object of a TF Object Detection API example: a normalised box, a class, and an optional mask.
public struct ODObject: Sendable, Hashable {
    /// Box edges as fractions of the image width/height (`x / width`, `(x + w) / width`, ...).
    public var xmin: Float
    public var xmax: Float
    public var ymin: Float
    public var ymax: Float
    /// `image/object/class/text`: the category name.
    public var text: String
    /// `image/object/class/label`: the class id (the original COCO id by default); nil when absent.
    public var label: Int64?
    public var isCrowd: Bool
    /// `image/object/area`.
    public var area: Float
    /// `image/object/mask`: a 0/1 gray PNG of the image's size.
    public var maskPNG: [UInt8]?

    public init(xmin: Float, xmax: Float, ymin: Float, ymax: Float, text: String, label: Int64?,
                isCrowd: Bool, area: Float, maskPNG: [UInt8]? = nil) {
        self.xmin = xmin
        self.xmax = xmax
        self.ymin = ymin
        self.ymax = ymax
        self.text = text
        self.label = label
        self.isCrowd = isCrowd
        self.area = area
        self.maskPNG = maskPNG
    }
}

/// One TF Object Detection API example (`create_coco_tf_record.py`'s `create_tf_example`).
public struct ODRecord: Sendable, Hashable {
    public var image: EncodedImage
    /// `image/filename`: the COCO `file_name`.
    public var filename: String
    /// `image/source_id`: the COCO image id as text.
    public var sourceID: String
    /// `image/key/sha256`: hex SHA-256 of the encoded image.
    public var sha256: String
    public var height: Int
    public var width: Int
    public var objects: [ODObject]

    public init(image: EncodedImage, filename: String, sourceID: String, sha256: String, height: Int, width: Int,
                objects: [ODObject]) {
        self.image = image
        self.filename = filename
        self.sourceID = sourceID
        self.sha256 = sha256
        self.height = height
        self.width = width
        self.objects = objects
    }
}

/// The TF Object Detection API feature keys and their mapping to ``ODRecord``.
public enum ODSchema {
    public static let heightKey = "image/height"
    public static let widthKey = "image/width"
    public static let filenameKey = "image/filename"
    public static let sourceIDKey = "image/source_id"
    public static let sha256Key = "image/key/sha256"
    public static let encodedKey = "image/encoded"
    public static let formatKey = "image/format"
    public static let xminKey = "image/object/bbox/xmin"
    public static let xmaxKey = "image/object/bbox/xmax"
    public static let yminKey = "image/object/bbox/ymin"
    public static let ymaxKey = "image/object/bbox/ymax"
    public static let textKey = "image/object/class/text"
    public static let labelKey = "image/object/class/label"
    public static let isCrowdKey = "image/object/is_crowd"
    public static let areaKey = "image/object/area"
    public static let maskKey = "image/object/mask"

    /// The example, keys in `create_coco_tf_record.py`'s order. `image/object/class/label` is written
    /// when every object has a label; `image/object/mask` when `masks` is true.
    public static func example(_ record: ODRecord, masks: Bool) -> TFExample {
        var e = TFExample()
        let objects = record.objects
        e[heightKey] = .int64(Int64(record.height))
        e[widthKey] = .int64(Int64(record.width))
        e[filenameKey] = .string(record.filename)
        e[sourceIDKey] = .string(record.sourceID)
        e[sha256Key] = .string(record.sha256)
        e[encodedKey] = .bytes([record.image.bytes])
        e[formatKey] = .string(record.image.format)
        e[xminKey] = .floats(objects.map(\.xmin))
        e[xmaxKey] = .floats(objects.map(\.xmax))
        e[yminKey] = .floats(objects.map(\.ymin))
        e[ymaxKey] = .floats(objects.map(\.ymax))
        e[textKey] = .strings(objects.map(\.text))
        let labels = objects.compactMap(\.label)
        if labels.count == objects.count { e[labelKey] = .int64s(labels) }
        e[isCrowdKey] = .int64s(objects.map { $0.isCrowd ? 1 : 0 })
        e[areaKey] = .floats(objects.map(\.area))
        if masks { e[maskKey] = .bytes(objects.map { $0.maskPNG ?? [] }) }
        return e
    }

    /// Whether an example looks like the OD API's.
    public static func matches(_ example: TFExample) -> Bool {
        example[xminKey] != nil || example[sourceIDKey] != nil || example[textKey] != nil
    }

    /// The record in `example`. Per-object lists must all have the same length (absent lists are
    /// allowed, except the box edges); `context` locates errors.
    public static func record(from example: TFExample, context: ErrorContext) throws -> ODRecord {
        let encoded = try ExampleField.bytes(example, encodedKey, context: context)
        let height = try ExampleField.dimension(example, heightKey, context: context)
        let width = try ExampleField.dimension(example, widthKey, context: context)
        let xmin = try floats(example, xminKey, context)
        let xmax = try floats(example, xmaxKey, context)
        let ymin = try floats(example, yminKey, context)
        let ymax = try floats(example, ymaxKey, context)
        let n = xmin.count
        func optional<T>(_ key: String, _ list: [T]?) throws -> [T]? {
            guard let list else { return nil }
            guard list.count == n else { throw lengthMismatch(key, list.count, n, context) }
            return list
        }
        for (key, list) in [(xmaxKey, xmax), (yminKey, ymin), (ymaxKey, ymax)] where list.count != n {
            throw lengthMismatch(key, list.count, n, context)
        }
        let texts = try optional(textKey, example.bytesList(textKey))
        let labels = try optional(labelKey, example.int64List(labelKey))
        let crowd = try optional(isCrowdKey, example.int64List(isCrowdKey))
        let areas = try optional(areaKey, example.floatList(areaKey))
        let masks = try optional(maskKey, example.bytesList(maskKey))
        guard texts != nil || labels != nil || n == 0 else {
            throw ConversionError(.malformedInput, "objects have neither 'image/object/class/text' nor 'image/object/class/label'",
                                  context: context)
        }
        var objects: [ODObject] = []
        objects.reserveCapacity(n)
        for i in 0..<n {
            objects.append(ODObject(xmin: xmin[i], xmax: xmax[i], ymin: ymin[i], ymax: ymax[i],
                                    text: texts.map { String(decoding: $0[i], as: UTF8.self) } ?? "",
                                    label: labels?[i], isCrowd: (crowd?[i] ?? 0) != 0,
                                    area: areas?[i] ?? Float.nan,
                                    maskPNG: masks?[i]))
        }
        let format = example.string(formatKey) ?? EncodedImage.format(of: encoded, fileName: "")
        return ODRecord(image: EncodedImage(bytes: encoded, format: format),
                        filename: example.string(filenameKey) ?? "",
                        sourceID: example.string(sourceIDKey) ?? "",
                        sha256: example.string(sha256Key) ?? "",
                        height: height, width: width, objects: objects)
    }

    private static func floats(_ e: TFExample, _ key: String, _ context: ErrorContext) throws -> [Float] {
        guard let feature = e[key] else { return [] }
        guard let list = e.floatList(key) else { throw ExampleField.wrong(key, "a float_list", feature, context) }
        return list
    }

    private static func lengthMismatch(_ key: String, _ got: Int, _ expected: Int, _ context: ErrorContext) -> ConversionError {
        ConversionError(.malformedInput, "'\(key)' has \(got) values but there are \(expected) boxes",
                        context: ExampleField.at(key, context), hint: "every image/object/* list needs one value per object")
    }
}
