import CocoConvertCore

/// One DeepLab training example: an image and its label PNG
/// (`build_data.image_seg_to_tfexample` in tensorflow/models `research/deeplab/datasets`).
public struct DeepLabRecord: Sendable, Hashable {
    /// `image/encoded`: the original image file bytes.
    public var image: EncodedImage
    /// `image/filename`: the image id without extension (`000000000139`).
    public var filename: String
    public var height: Int
    public var width: Int
    /// `image/channels` (DeepLab writes 3).
    public var channels: Int
    /// `image/segmentation/class/encoded`: the label map as PNG bytes.
    public var labelPNG: [UInt8]
    /// `image/segmentation/class/format` (`png`).
    public var labelFormat: String

    public init(image: EncodedImage, filename: String, height: Int, width: Int, channels: Int = 3,
                labelPNG: [UInt8], labelFormat: String = "png") {
        self.image = image
        self.filename = filename
        self.height = height
        self.width = width
        self.channels = channels
        self.labelPNG = labelPNG
        self.labelFormat = labelFormat
    }
}

/// The DeepLab feature keys and their mapping to ``DeepLabRecord``.
public enum DeepLabSchema {
    public static let encodedKey = "image/encoded"
    public static let filenameKey = "image/filename"
    public static let formatKey = "image/format"
    public static let heightKey = "image/height"
    public static let widthKey = "image/width"
    public static let channelsKey = "image/channels"
    public static let labelKey = "image/segmentation/class/encoded"
    public static let labelFormatKey = "image/segmentation/class/format"

    /// The example, keys in the order DeepLab's `image_seg_to_tfexample` lists them.
    public static func example(_ record: DeepLabRecord) -> TFExample {
        var e = TFExample()
        e[encodedKey] = .bytes([record.image.bytes])
        e[filenameKey] = .string(record.filename)
        e[formatKey] = .string(record.image.format)
        e[heightKey] = .int64(Int64(record.height))
        e[widthKey] = .int64(Int64(record.width))
        e[channelsKey] = .int64(Int64(record.channels))
        e[labelKey] = .bytes([record.labelPNG])
        e[labelFormatKey] = .string(record.labelFormat)
        return e
    }

    /// Whether an example looks like DeepLab's (it has the label key).
    public static func matches(_ example: TFExample) -> Bool {
        example[labelKey] != nil
    }

    /// The record in `example`; `context` locates errors.
    ///
    /// - Throws: `ConversionError` (`malformedInput`) naming the key when a required feature is
    ///   missing or has the wrong type or count.
    public static func record(from example: TFExample, context: ErrorContext) throws -> DeepLabRecord {
        let encoded = try ExampleField.bytes(example, encodedKey, context: context)
        let label = try ExampleField.bytes(example, labelKey, context: context)
        let format = example.string(formatKey) ?? EncodedImage.format(of: encoded, fileName: "")
        let height = try ExampleField.dimension(example, heightKey, context: context)
        let width = try ExampleField.dimension(example, widthKey, context: context)
        return DeepLabRecord(image: EncodedImage(bytes: encoded, format: format),
                             filename: example.string(filenameKey) ?? "",
                             height: height, width: width,
                             channels: example.int64(channelsKey).map { Int(clamping: $0) } ?? 3,
                             labelPNG: label, labelFormat: example.string(labelFormatKey) ?? "png")
    }
}

/// Typed, checked access to required features, with errors that name the key.
enum ExampleField {
    static func bytes(_ e: TFExample, _ key: String, context: ErrorContext) throws -> [UInt8] {
        guard let feature = e[key] else { throw missing(key, context) }
        guard case .bytes(let list) = feature, list.count == 1 else {
            throw wrong(key, "one byte string", feature, context)
        }
        return list[0]
    }

    static func dimension(_ e: TFExample, _ key: String, context: ErrorContext) throws -> Int {
        guard let feature = e[key] else { throw missing(key, context) }
        guard case .int64s(let list) = feature, list.count == 1, list[0] > 0, list[0] <= Int64(Int32.max) else {
            throw wrong(key, "one positive int64", feature, context)
        }
        return Int(list[0])
    }

    static func missing(_ key: String, _ context: ErrorContext) -> ConversionError {
        ConversionError(.malformedInput, "feature '\(key)' is missing", context: at(key, context),
                        hint: "pass --schema deeplab or --schema od to match how the file was written")
    }

    static func wrong(_ key: String, _ expected: String, _ feature: TFFeature, _ context: ErrorContext) -> ConversionError {
        ConversionError(.malformedInput, "feature '\(key)' should be \(expected), found a \(feature.kindName) of \(feature.count)",
                        context: at(key, context))
    }

    /// `context` with the key appended to its field (`record 3, image/encoded`).
    static func at(_ key: String, _ context: ErrorContext) -> ErrorContext {
        var c = context
        c.field = context.field.map { "\($0), \(key)" } ?? key
        return c
    }
}
