import CocoConvertCore
import CocoConvertPNG
import Foundation

/// Options of ``TFRecordReader``.
public struct TFRecordReaderOptions: Sendable {
    /// nil: detected from the first record (`image/segmentation/class/encoded` → DeepLab, boxes → OD).
    public var schema: TFRecordSchema?
    /// Read only `<split>-*` files of a directory; also the header's split name.
    public var split: String?
    /// A `label_map.pbtxt`; nil: `label_map.pbtxt` beside the records, if there is one.
    public var labelMap: String?
    /// DeepLab: the label value that is not a class (no annotation is made for it).
    public var background: UInt32
    /// DeepLab: the label value for "ignore" (no annotation is made for it).
    public var ignoreIndex: UInt32
    public var limits: Limits

    public init(schema: TFRecordSchema? = nil, split: String? = nil, labelMap: String? = nil,
                background: UInt32 = 0, ignoreIndex: UInt32 = 255, limits: Limits = .standard) {
        self.schema = schema
        self.split = split
        self.labelMap = labelMap
        self.background = background
        self.ignoreIndex = ignoreIndex
        self.limits = limits
    }
}

/// Reads DeepLab or TF Object Detection API TFRecords back into samples.
///
/// The input is one file, a directory (its `*.tfrecord`/`*.record`/`*-NNNNN-of-NNNNN` files, or
/// `<split>-*` with a split), or a glob (`out/train-*`); files are read in name order, one record
/// at a time, every CRC checked.
///
/// - DeepLab: the label PNG is decoded and each class value present (except background and
///   ignore) becomes one annotation whose mask is the pixels of that value (`Geometry.labelValue`).
/// - OD: each object becomes an annotation: its mask PNG as an RLE when there is one (uncompressed
///   for crowds, a compressed string otherwise), else just its box (`Geometry.none`); boxes are
///   de-normalised to pixels.
///
/// Categories come from `label_map.pbtxt`; without one, the records are scanned once first
/// (OD: label ids and class texts; DeepLab: the values in every label PNG).
public final class TFRecordReader: DatasetReader {
    public let header: DatasetHeader
    /// The record files, in reading order.
    public let files: [String]
    public let schema: TFRecordSchema
    private let options: TFRecordReaderOptions
    private let skips: SkipReport
    private var fileIndex = 0
    private var current: TFRecordFileReader?
    private var recordOrdinal = 0
    /// OD without class labels: class text → category id.
    private let idForName: [String: Int64]
    private let knownCategories: Set<Int64>
    private let valueToCategory: [UInt32: Int64]

    /// Opens `path` (file, directory or glob) and reads the label map (or scans the records for categories).
    ///
    /// - Throws: `ConversionError` (`io`) when nothing matches, and the errors of the first record.
    public init(path: String, options: TFRecordReaderOptions = TFRecordReaderOptions(), skips: SkipReport) throws {
        self.options = options
        self.skips = skips
        files = try Self.listFiles(path, split: options.split)
        guard let first = files.first else {
            throw ConversionError(.io, "no TFRecord files found", context: ErrorContext(file: path),
                                  hint: "give a .tfrecord file, a directory of shards, or a glob such as 'out/train-*'")
        }
        // The schema: asked for, or from the first readable record.
        if let schema = options.schema {
            self.schema = schema
        } else {
            self.schema = try Self.detectSchema(files)
        }
        let directory = URL(fileURLWithPath: first).deletingLastPathComponent().path
        let labelMapPath = options.labelMap ?? (directory + "/label_map.pbtxt")
        var labelMap: LabelMapPbtxt?
        if FileManager.default.fileExists(atPath: labelMapPath) {
            let text = try String(contentsOfFile: labelMapPath, encoding: .utf8)
            labelMap = try LabelMapPbtxt(parsing: text, file: labelMapPath)
        } else if options.labelMap != nil {
            throw ConversionError(.io, "label map not found", context: ErrorContext(file: labelMapPath))
        }
        var categories: [Category] = []
        if let labelMap {
            var seen = Set<Int64>()
            for item in labelMap.items where seen.insert(item.id).inserted {
                categories.append(Category(id: item.id, name: item.name))
            }
        } else {
            categories = try Self.scanCategories(files, schema: schema, options: options)
        }
        var names: [String: Int64] = [:]
        for c in categories where names[c.name] == nil { names[c.name] = c.id }
        idForName = names
        knownCategories = Set(categories.map(\.id))
        var values: [UInt32: Int64] = [:]
        var entries: [LabelEntry] = []
        for c in categories where c.id >= 0 && c.id <= Int64(UInt32.max) {
            values[UInt32(c.id)] = c.id
            entries.append(LabelEntry(value: UInt32(c.id), categoryID: c.id, name: c.name))
        }
        valueToCategory = values
        var count: Int? = 0
        for file in files {
            if let n = TFRecordFileReader.countRecords(path: file), let sum = count { count = sum + n } else { count = nil }
        }
        let split = options.split ?? Self.splitName(of: first)
        switch schema {
        case .deeplab:
            header = DatasetHeader(kind: .semantic, categories: categories, split: split, sampleCount: count,
                                   labelSchema: LabelSchema(entries: entries, background: options.background,
                                                            ignoreIndex: options.ignoreIndex))
        case .od:
            header = DatasetHeader(kind: .instances, categories: categories, split: split, sampleCount: count)
        }
    }

    public func next() throws -> Sample? {
        while true {
            if current == nil {
                guard fileIndex < files.count else { return nil }
                current = try TFRecordFileReader(path: files[fileIndex])
                fileIndex += 1
            }
            guard let reader = current else { continue }
            let payload: [UInt8]
            do {
                guard let p = try reader.next() else {
                    current = nil
                    continue
                }
                payload = p
            } catch let error as ConversionError {
                try skips.report(error)
                continue  // a broken file returns nil next, a bad payload CRC moves on
            }
            recordOrdinal += 1
            let context = ErrorContext(file: reader.path, byteOffset: Int(clamping: reader.lastRecordOffset),
                                       field: "record \(reader.recordIndex - 1)")
            do {
                let example: TFExample
                do {
                    example = try TFExample(serialized: payload)
                } catch let error as TFExampleDecodingError {
                    throw ConversionError(.malformedInput, "not a tf.train.Example: \(error)", context: context)
                }
                switch schema {
                case .deeplab: return try deepLabSample(example, context: context)
                case .od: return try odSample(example, context: context)
                }
            } catch let error as ConversionError {
                try skips.report(error)
            }
        }
    }

    // MARK: DeepLab

    private func deepLabSample(_ example: TFExample, context: ErrorContext) throws -> Sample {
        let record = try DeepLabSchema.record(from: example, context: context)
        let plane = try Self.labelPlane(record.labelPNG, width: record.width, height: record.height,
                                        limits: options.limits, context: ExampleField.at(DeepLabSchema.labelKey, context))
        let id = Self.imageID(record.filename, ordinal: recordOrdinal)
        var instances: [Instance] = []
        for value in Self.distinctValues(plane) where value != options.background && value != options.ignoreIndex {
            guard let category = valueToCategory[value] else {
                try skips.report(ConversionError(.unknownCategory, "label value \(value) is not in the label map",
                                                 context: context.merged(with: ErrorContext(imageID: id)),
                                                 hint: "add an item with id \(value) to label_map.pbtxt"))
                continue
            }
            let rle = RLE(labelPlane: plane, equalTo: value)
            instances.append(Instance(id: nil, categoryID: category, isCrowd: false, bbox: rle.boundingBox,
                                      area: Double(rle.area), geometry: .labelValue(plane, value)))
        }
        let stem = record.filename.isEmpty ? String(id) : record.filename
        return Sample(id: id, fileName: stem + "." + EncodedImage.fileExtension(forFormat: record.image.format),
                      width: record.width, height: record.height, image: .bytes(record.image.bytes),
                      instances: instances)
    }

    /// The label PNG as a plane of values (gray or palette index; channel 0 of gray+alpha).
    static func labelPlane(_ png: [UInt8], width: Int, height: Int, limits: Limits, context: ErrorContext) throws -> LabelPlane {
        let decoded: DecodedPNG
        do {
            decoded = try PNGDecoder.decode(png, limits: limits)
        } catch let error as ConversionError {
            throw ConversionError(error.code, "label PNG: \(error.message)", context: context, hint: error.hint)
        }
        guard decoded.width == width, decoded.height == height else {
            throw ConversionError(.sizeMismatch, "label PNG is \(decoded.width)×\(decoded.height) but the image is \(width)×\(height)",
                                  context: context)
        }
        let channels = decoded.channels
        guard channels <= 2 else {
            throw ConversionError(.unsupported, "label PNG has colour channels; DeepLab labels are one-channel index PNGs",
                                  context: context, hint: "convert the colour masks to class indices first")
        }
        var pixels = [UInt32](repeating: 0, count: width * height)
        decoded.samples.withUnsafeBufferPointer { s in
            pixels.withUnsafeMutableBufferPointer { p in
                for i in 0..<p.count { p[i] = UInt32(s[i * channels]) }
            }
        }
        return LabelPlane(width: width, height: height, pixels: pixels)
    }

    /// The values present in the plane, ascending.
    static func distinctValues(_ plane: LabelPlane) -> [UInt32] {
        var seen = [Bool](repeating: false, count: 65_536)
        var large = Set<UInt32>()
        plane.pixels.withUnsafeBufferPointer { p in
            for v in p {
                if v < 65_536 { seen[Int(v)] = true } else { large.insert(v) }
            }
        }
        var values: [UInt32] = []
        for v in 0..<65_536 where seen[v] { values.append(UInt32(v)) }
        return values + large.sorted()
    }

    // MARK: OD

    private func odSample(_ example: TFExample, context: ErrorContext) throws -> Sample {
        guard ODSchema.matches(example) else {
            throw ConversionError(.malformedInput, "the record has no Object Detection API keys (image/object/*, image/source_id)"
                                  + (DeepLabSchema.matches(example) ? "; it is a DeepLab record" : ""),
                                  context: context, hint: "read it with --schema deeplab")
        }
        let record = try ODSchema.record(from: example, context: context)
        let id = Int64(record.sourceID) ?? Self.imageID(record.filename, ordinal: recordOrdinal)
        let w = Double(record.width), h = Double(record.height)
        var instances: [Instance] = []
        instances.reserveCapacity(record.objects.count)
        for (i, object) in record.objects.enumerated() {
            var where_ = context
            where_.imageID = id
            where_.field = "\(context.field ?? "record"), object \(i)"
            do {
                let category = try categoryID(object, context: where_)
                var geometry = Geometry.none
                if let png = object.maskPNG, !png.isEmpty {
                    let rle = try Self.maskRLE(png, width: record.width, height: record.height, limits: options.limits,
                                               context: ExampleField.at(ODSchema.maskKey, where_))
                    // COCO's forms: crowds as uncompressed RLE (instances files), other masks as
                    // compressed strings (what pycocotools' encode gives).
                    geometry = object.isCrowd ? .rle(rle)
                        : .compressedRLE(CompressedRLE(height: rle.height, width: rle.width, counts: rle.compressedString))
                }
                let box = BoundingBox(x: Self.pixels(Double(object.xmin) * w), y: Self.pixels(Double(object.ymin) * h),
                                      width: Self.pixels(Double(object.xmax - object.xmin) * w),
                                      height: Self.pixels(Double(object.ymax - object.ymin) * h))
                instances.append(Instance(id: nil, categoryID: category, isCrowd: object.isCrowd, bbox: box,
                                          area: object.area.isNaN ? nil : Double(String(describing: object.area)),
                                          geometry: geometry))
            } catch let error as ConversionError {
                try skips.report(error)
            }
        }
        let name = record.filename.isEmpty ? "\(id).\(EncodedImage.fileExtension(forFormat: record.image.format))" : record.filename
        return Sample(id: id, fileName: name, width: record.width, height: record.height,
                      image: .bytes(record.image.bytes), instances: instances)
    }

    private func categoryID(_ object: ODObject, context: ErrorContext) throws -> Int64 {
        if let label = object.label {
            guard knownCategories.contains(label) else {
                throw ConversionError(.unknownCategory, "class label \(label) is not in the label map", context: context,
                                      hint: "add an item with id \(label) to label_map.pbtxt")
            }
            return label
        }
        guard let id = idForName[object.text] else {
            throw ConversionError(.unknownCategory, "class '\(object.text)' is not in the label map", context: context,
                                  hint: "add an item named '\(object.text)' to label_map.pbtxt")
        }
        return id
    }

    /// A de-normalised coordinate, rounded to 1/1000 px: float32 storage is good to ~1e-4 px at
    /// COCO sizes, so this restores COCO's usual two decimals exactly instead of showing float noise.
    static func pixels(_ v: Double) -> Double {
        (v * 1000).rounded() / 1000
    }

    /// A 0/1 (any non-zero is foreground) mask PNG as an RLE.
    static func maskRLE(_ png: [UInt8], width: Int, height: Int, limits: Limits, context: ErrorContext) throws -> RLE {
        let decoded: DecodedPNG
        do {
            decoded = try PNGDecoder.decode(png, limits: limits)
        } catch let error as ConversionError {
            throw ConversionError(error.code, "mask PNG: \(error.message)", context: context, hint: error.hint)
        }
        guard decoded.width == width, decoded.height == height else {
            throw ConversionError(.sizeMismatch, "mask PNG is \(decoded.width)×\(decoded.height) but the image is \(width)×\(height)",
                                  context: context)
        }
        let channels = decoded.channels
        var encoder = RLERowEncoder(height: height, width: width)
        if channels == 1 {
            // Gray or palette: encode the background (value 0) straight from the decoded rows and
            // complement it, which for a column-major RLE only shifts where the alternation starts.
            decoded.samples.withUnsafeBufferPointer { s in
                for y in 0..<height {
                    encoder.appendRow(UnsafeBufferPointer(rebasing: s[(y * width)..<((y + 1) * width)]), equalTo: 0)
                }
            }
            var counts = encoder.finish().counts
            if counts.first == 0 { counts.removeFirst() } else { counts.insert(0, at: 0) }
            return RLE(height: height, width: width, counts: counts)
        }
        // Colour masks: any non-zero colour channel is foreground; alpha is ignored.
        let colour = decoded.colorType == .rgb || decoded.colorType == .rgba ? 3 : 1
        var row = [UInt8](repeating: 0, count: width)
        decoded.samples.withUnsafeBufferPointer { s in
            for y in 0..<height {
                let base = y * width * channels
                for x in 0..<width {
                    var on: UInt16 = 0
                    for c in 0..<colour { on |= s[base + x * channels + c] }
                    row[x] = on != 0 ? 1 : 0
                }
                row.withUnsafeBufferPointer { encoder.appendRow($0) }
            }
        }
        return encoder.finish()
    }

    // MARK: Files, schema, categories

    /// The image id: the file name's digits when it is a number (`000000000139` → 139), else the record ordinal.
    static func imageID(_ filename: String, ordinal: Int) -> Int64 {
        let stem = Sample(id: 0, fileName: filename, width: 0, height: 0).stem
        if !stem.isEmpty, stem.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let v = Int64(stem) { return v }
        return Int64(ordinal)
    }

    /// `train-00000-of-00004.tfrecord` → `train`; other names → their stem.
    static func splitName(of path: String) -> String {
        let name = URL(fileURLWithPath: path).lastPathComponent
        if let range = name.range(of: "-[0-9]{5}-of-[0-9]{5}", options: .regularExpression) {
            return String(name[..<range.lowerBound])
        }
        return URL(fileURLWithPath: name).deletingPathExtension().lastPathComponent
    }

    /// The record files named by `path`, sorted.
    static func listFiles(_ path: String, split: String?) throws -> [String] {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        let last = URL(fileURLWithPath: path).lastPathComponent
        if last.contains("*") || last.contains("?") || last.contains("[") {
            let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
            let names = (try? fm.contentsOfDirectory(atPath: directory)) ?? []
            return names.filter { !$0.hasPrefix(".") && POSIX.matches(pattern: last, name: $0) }
                .sorted().map { directory + "/" + $0 }
        }
        guard fm.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ConversionError(.io, "no such file or directory", context: ErrorContext(file: path))
        }
        guard isDirectory.boolValue else { return [path] }
        let names = try fm.contentsOfDirectory(atPath: path)
        return names.filter { name in
            guard !name.hasPrefix(".") else { return false }
            if let split { return name.hasPrefix(split + "-") || name == split + ".tfrecord" || name == split + ".record" }
            return name.hasSuffix(".tfrecord") || name.hasSuffix(".tfrecords") || name.hasSuffix(".record")
                || name.range(of: "-[0-9]{5}-of-[0-9]{5}", options: .regularExpression) != nil
        }.sorted().map { path + "/" + $0 }
    }

    static func detectSchema(_ files: [String]) throws -> TFRecordSchema {
        for file in files {
            let reader = try TFRecordFileReader(path: file)
            guard let payload = try reader.next() else { continue }
            let example: TFExample
            do {
                example = try TFExample(serialized: payload)
            } catch {
                throw ConversionError(.malformedInput, "the first record is not a tf.train.Example: \(error)",
                                      context: ErrorContext(file: file, byteOffset: 0, field: "record 0"))
            }
            if DeepLabSchema.matches(example) { return .deeplab }
            if ODSchema.matches(example) { return .od }
            throw ConversionError(.unsupported, "the records have neither DeepLab nor OD API keys (keys: \(example.keys.sorted().joined(separator: ", ")))",
                                  context: ErrorContext(file: file, byteOffset: 0, field: "record 0"),
                                  hint: "pass --schema deeplab or --schema od")
        }
        return .od  // only empty files: nothing to read either way
    }

    /// Categories from the records themselves (no label map): one full pass.
    static func scanCategories(_ files: [String], schema: TFRecordSchema, options: TFRecordReaderOptions) throws -> [Category] {
        var byID: [Int64: String] = [:]
        var textOrder: [String] = []
        var values = Set<UInt32>()
        for file in files {
            let reader = try TFRecordFileReader(path: file)
            while true {
                let payload: [UInt8]
                do {
                    guard let p = try reader.next() else { break }
                    payload = p
                } catch {
                    if reader.isBroken { break }
                    continue  // reported when the records are read for real
                }
                guard let example = try? TFExample(serialized: payload) else { continue }
                switch schema {
                case .od:
                    let texts = example.bytesList(ODSchema.textKey)?.map { String(decoding: $0, as: UTF8.self) } ?? []
                    if let labels = example.int64List(ODSchema.labelKey) {
                        for (i, label) in labels.enumerated() where byID[label] == nil {
                            byID[label] = i < texts.count ? texts[i] : "class_\(label)"
                        }
                    } else {
                        for t in texts where !textOrder.contains(t) { textOrder.append(t) }
                    }
                case .deeplab:
                    guard let png = example.singleBytes(DeepLabSchema.labelKey),
                          let w = example.int64(DeepLabSchema.widthKey), let h = example.int64(DeepLabSchema.heightKey),
                          w > 0, h > 0, w <= Int64(Int32.max), h <= Int64(Int32.max),
                          let plane = try? labelPlane(png, width: Int(w), height: Int(h), limits: options.limits,
                                                      context: ErrorContext())
                    else { continue }
                    values.formUnion(distinctValues(plane))
                }
            }
        }
        switch schema {
        case .od:
            if !byID.isEmpty {
                var categories = byID.keys.sorted().map { Category(id: $0, name: byID[$0] ?? "class_\($0)") }
                // Texts without labels in other records: give them the next free ids.
                var next = (byID.keys.max() ?? 0) + 1
                for t in textOrder where !categories.contains(where: { $0.name == t }) {
                    categories.append(Category(id: next, name: t))
                    next += 1
                }
                return categories
            }
            return textOrder.enumerated().map { Category(id: Int64($0.offset + 1), name: $0.element) }
        case .deeplab:
            return values.subtracting([options.background, options.ignoreIndex]).sorted()
                .map { Category(id: Int64($0), name: "class_\($0)") }
        }
    }
}
