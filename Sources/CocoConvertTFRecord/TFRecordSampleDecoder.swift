import CocoConvertCore
import CocoConvertPNG

/// Turns one record's payload into a sample. Immutable and `Sendable`, so the reader runs it on
/// several threads at once; per-object problems are returned in `reports` (in object order) for
/// the reader to pass to the skip report in sample order.
struct TFRecordSampleDecoder: Sendable {
    let schema: TFRecordSchema
    let limits: Limits
    /// OD without class labels: class text → category id.
    let idForName: [String: Int64]
    let knownCategories: Set<Int64>
    /// DeepLab: pixel value → category; OD: `image/object/class/label` → category.
    let valueToCategory: [UInt32: Int64]
    let background: UInt32
    let ignoreIndex: UInt32
    /// OD objects without a mask get their box as a polygon mask (else they have no geometry).
    let boxMasks: Bool

    /// What decoding one record gave: a sample (or the error that replaces it) and object-level reports.
    struct Outcome: Sendable {
        var sample: Result<Sample, ConversionError>
        var reports: [ConversionError]
    }

    /// Decodes a payload; never throws (errors are in the outcome).
    func decode(_ payload: [UInt8], context: ErrorContext, ordinal: Int) -> Outcome {
        var reports: [ConversionError] = []
        do {
            let example: TFExample
            do {
                example = try TFExample(serialized: payload)
            } catch let error as TFExampleDecodingError {
                throw ConversionError(.malformedInput, "not a tf.train.Example: \(error)", context: context)
            }
            let sample: Sample
            switch schema {
            case .deeplab: sample = try deepLabSample(example, context: context, ordinal: ordinal, reports: &reports)
            case .od: sample = try odSample(example, context: context, ordinal: ordinal, reports: &reports)
            }
            return Outcome(sample: .success(sample), reports: reports)
        } catch let error as ConversionError {
            return Outcome(sample: .failure(error), reports: reports)
        } catch {
            return Outcome(sample: .failure(ConversionError(.malformedInput, "\(error)", context: context)), reports: reports)
        }
    }

    // MARK: DeepLab

    func deepLabSample(_ example: TFExample, context: ErrorContext, ordinal: Int, reports: inout [ConversionError]) throws -> Sample {
        let record = try DeepLabSchema.record(from: example, context: context)
        let plane = try Self.labelPlane(record.labelPNG, width: record.width, height: record.height,
                                        limits: limits, context: ExampleField.at(DeepLabSchema.labelKey, context))
        let id = Self.imageID(record.filename, ordinal: ordinal)
        // Every value's mask in one pass over the plane.
        var encoder = RLELabelEncoder(height: plane.height, width: plane.width)
        plane.pixels.withUnsafeBufferPointer { p in
            for y in 0..<plane.height {
                encoder.appendRow(UnsafeBufferPointer(rebasing: p[(y * plane.width)..<((y + 1) * plane.width)]))
            }
        }
        var instances: [Instance] = []
        for (value, rle) in encoder.finish() where value != background && value != ignoreIndex {
            guard let category = valueToCategory[value] else {
                reports.append(ConversionError(.unknownCategory, "label value \(value) is not in the label map",
                                               context: context.merged(with: ErrorContext(imageID: id)),
                                               hint: "add an item with id \(value) to label_map.pbtxt"))
                continue
            }
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
        let decoded = try decodePNG(png, "label", width: width, height: height, limits: limits, context: context)
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
        // One bit per value below 65,536 (8 KiB, not 64 KiB of Bool: this runs once per sample).
        var seen = [UInt64](repeating: 0, count: 65_536 / 64)
        var large = Set<UInt32>()
        plane.pixels.withUnsafeBufferPointer { p in
            for v in p {
                if v < 65_536 { seen[Int(v >> 6)] |= 1 << UInt64(v & 63) } else { large.insert(v) }
            }
        }
        var values: [UInt32] = []
        for (word, bits) in seen.enumerated() where bits != 0 {
            for bit in 0..<64 where bits & (1 << UInt64(bit)) != 0 { values.append(UInt32(word * 64 + bit)) }
        }
        return values + large.sorted()
    }

    // MARK: OD

    func odSample(_ example: TFExample, context: ErrorContext, ordinal: Int, reports: inout [ConversionError]) throws -> Sample {
        guard ODSchema.matches(example) else {
            throw ConversionError(.malformedInput, "the record has no Object Detection API keys (image/object/*, image/source_id)"
                                  + (DeepLabSchema.matches(example) ? "; it is a DeepLab record" : ""),
                                  context: context, hint: "read it with --schema deeplab")
        }
        let record = try ODSchema.record(from: example, context: context)
        let id = Int64(record.sourceID) ?? Self.imageID(record.filename, ordinal: ordinal)
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
                    let rle = try Self.maskRLE(png, width: record.width, height: record.height, limits: limits,
                                               context: ExampleField.at(ODSchema.maskKey, where_))
                    // COCO's forms: crowds as uncompressed RLE (instances files), other masks as
                    // compressed strings (what pycocotools' encode gives).
                    geometry = object.isCrowd ? .rle(rle)
                        : .compressedRLE(CompressedRLE(height: rle.height, width: rle.width, counts: rle.compressedString))
                }
                let box = BoundingBox(x: Self.pixels(Double(object.xmin) * w), y: Self.pixels(Double(object.ymin) * h),
                                      width: Self.pixels(Double(object.xmax - object.xmin) * w),
                                      height: Self.pixels(Double(object.ymax - object.ymin) * h))
                if case .none = geometry, boxMasks {
                    // The box as a 4-corner polygon: rasterised as pycocotools' frBbox does.
                    let x1 = box.x + box.width, y1 = box.y + box.height
                    geometry = .polygons([[box.x, box.y, box.x, y1, x1, y1, x1, box.y]])
                }
                instances.append(Instance(id: nil, categoryID: category, isCrowd: object.isCrowd, bbox: box,
                                          area: object.area.isNaN ? nil : Double(String(describing: object.area)),
                                          geometry: geometry))
            } catch let error as ConversionError {
                reports.append(error)
            }
        }
        let name = record.filename.isEmpty ? "\(id).\(EncodedImage.fileExtension(forFormat: record.image.format))" : record.filename
        return Sample(id: id, fileName: name, width: record.width, height: record.height,
                      image: .bytes(record.image.bytes), instances: instances)
    }

    private func categoryID(_ object: ODObject, context: ErrorContext) throws -> Int64 {
        if let label = object.label {
            if let value = UInt32(exactly: label), let category = valueToCategory[value] { return category }
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
        let decoded = try decodePNG(png, "mask", width: width, height: height, limits: limits, context: context)
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

    /// Decodes a label or mask PNG and checks that it has the image's size.
    static func decodePNG(_ png: [UInt8], _ what: String, width: Int, height: Int, limits: Limits,
                          context: ErrorContext) throws -> DecodedPNG {
        let decoded: DecodedPNG
        do {
            decoded = try PNGDecoder.decode(png, limits: limits)
        } catch let error as ConversionError {
            throw ConversionError(error.code, "\(what) PNG: \(error.message)", context: context, hint: error.hint)
        }
        guard decoded.width == width, decoded.height == height else {
            throw ConversionError(.sizeMismatch, "\(what) PNG is \(decoded.width)×\(decoded.height) but the image is \(width)×\(height)",
                                  context: context)
        }
        return decoded
    }

    /// The image id: the file name's digits when it is a number (`000000000139` → 139), else the record ordinal.
    static func imageID(_ filename: String, ordinal: Int) -> Int64 {
        let stem = Sample(id: 0, fileName: filename, width: 0, height: 0).stem
        if !stem.isEmpty, stem.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let v = Int64(stem) { return v }
        return Int64(ordinal)
    }
}
