import CocoConvertCore

/// The `.json` member of a sample: the image record and its annotations, COCO style, with masks
/// as compressed RLE strings (formats/webdataset.md):
///
/// ```json
/// {"key": "000000000139",
///  "image": {"id": 139, "file_name": "000000000139.jpg", "width": 640, "height": 426},
///  "annotations": [{"id": 1, "category_id": 64, "category_name": "potted plant", "iscrowd": 0,
///                   "bbox": [236.98, 142.51, 24.7, 69.5], "area": 1149.0,
///                   "segmentation": {"size": [426, 640], "counts": "Ym`4..."}}]}
/// ```
///
/// Reading also accepts SA-1B's per-image JSON (`image.image_id`), a flat image record at the top
/// level, polygons and uncompressed RLE. Members cococonvert does not model are kept verbatim as
/// extra fields, so COCO output carries them (SA-1B's `predicted_iou`, `stability_score`,
/// `point_coords`, `crop_box`).
public enum SampleJSON {
    /// What a sample's JSON says.
    public struct Decoded {
        public var imageID: Int64?
        public var fileName: String?
        public var width: Int?
        public var height: Int?
        public var imageExtra: [ExtraField]
        public var instances: [Instance]
        /// Category names the annotations give (`category_name`), first seen first.
        public var categoryNames: [(id: Int64, name: String)]
    }

    /// Members of the image record that the model holds.
    static let imageKeys: Set<String> = ["id", "image_id", "file_name", "width", "height"]
    /// Members of an annotation that the model holds (`image_id` is implied by the sample).
    static let annotationKeys: Set<String> = ["id", "image_id", "category_id", "category_name", "iscrowd", "bbox", "area", "score", "segmentation", "instance_value"]

    // MARK: Writing

    /// The JSON text of `sample` under `key`, with `annotations` already made by ``annotation(_:categoryName:bbox:area:mask:)``.
    static func encode(_ sample: Sample, key: String, annotations: [JSONValue]) -> [UInt8] {
        var image: [(String, JSONValue)] = [("id", .int(sample.id)), ("file_name", .string(sample.fileName)),
                                            ("width", .int(sample.width)), ("height", .int(sample.height))]
        image += sample.extra.filter { !imageKeys.contains($0.key) }.map { ($0.key, .raw($0.rawJSON)) }
        let doc = JSONValue.object([("key", .string(key)), ("image", .object(image)), ("annotations", .array(annotations))])
        return Array(doc.text().utf8)
    }

    /// One annotation record.
    static func annotation(_ instance: Instance, categoryName: String?, bbox: BoundingBox?, area: Double?,
                           mask: (height: Int, width: Int, counts: String)?, instanceValue: UInt32? = nil) -> JSONValue {
        var members: [(String, JSONValue)] = []
        if let id = instance.id { members.append(("id", .int(id))) }
        members.append(("category_id", .int(instance.categoryID)))
        if let categoryName { members.append(("category_name", .string(categoryName))) }
        members.append(("iscrowd", .int(instance.isCrowd ? 1 : 0)))
        if let bbox { members.append(("bbox", .array(bbox.array.map(float)))) }
        if let area { members.append(("area", float(area))) }
        if let score = instance.score { members.append(("score", float(score))) }
        if let mask {
            members.append(("segmentation", .object([("size", .array([.int(mask.height), .int(mask.width)])),
                                                     ("counts", .string(mask.counts))])))
        }
        if let instanceValue { members.append(("instance_value", .int(Int64(instanceValue)))) }
        members += instance.extra.filter { !annotationKeys.contains($0.key) }.map { ($0.key, .raw($0.rawJSON)) }
        return .object(members)
    }

    /// A number always written with a fraction or exponent (`61.0`), so JSON readers that infer
    /// column types (Hugging Face `datasets`, Arrow) see floats in every sample; read back exactly.
    static func float(_ value: Double) -> JSONValue {
        value.isFinite ? .raw(String(value)) : .null
    }

    // MARK: Reading

    /// Parses a sample's JSON. `defaultCategory` is the category of annotations without
    /// `category_id` (SA-1B: its single class); without one, such an annotation is an error.
    ///
    /// - Throws: `ConversionError` (`malformedInput` for broken JSON, `invalidValue` for wrong
    ///   types) with `context` and the annotation id when known.
    public static func decode(_ bytes: [UInt8], context: ErrorContext, defaultCategory: Int64? = nil,
                              limits: Limits = .standard) throws -> Decoded {
        let text = String(decoding: bytes, as: UTF8.self)
        let top = try JSONValue.rawMembers(parsing: text, context: context)
        var decoded = Decoded(imageExtra: [], instances: [], categoryNames: [])
        var imageMembers: [(key: String, rawJSON: String)] = []
        var annotationsText: String?
        for member in top {
            switch member.key {
            case "image": imageMembers = try JSONValue.rawMembers(parsing: member.rawJSON, context: field(context, "image"))
            case "annotations": annotationsText = member.rawJSON
            case "key", "__key__", "categories": break
            default: imageMembers.append(member)     // a flat record: the image's members at the top level
            }
        }
        for member in imageMembers {
            let value = try JSONValue(parsing: member.rawJSON, context: field(context, member.key))
            switch member.key {
            case "id", "image_id":
                guard decoded.imageID == nil || member.key == "id" else { continue }
                decoded.imageID = try integer(value, member.key, context)
            case "file_name":
                guard let s = value.stringValue else { throw typeError(member.key, "a string", context) }
                decoded.fileName = s
            case "width", "height":
                let n = try integer(value, member.key, context)
                guard n > 0, n <= Int64(Int32.max) else {
                    throw ConversionError(.invalidValue, "image \(member.key) \(n) is not a positive size", context: field(context, member.key))
                }
                if member.key == "width" { decoded.width = Int(n) } else { decoded.height = Int(n) }
            default:
                decoded.imageExtra.append(ExtraField(key: member.key, rawJSON: member.rawJSON))
            }
        }
        let context = decoded.imageID.map { ErrorContext(imageID: $0).merged(with: context) } ?? context
        guard let annotationsText else { return decoded }
        var seenNames = Set<Int64>()
        for element in try JSONValue.rawElements(parsing: annotationsText, context: field(context, "annotations")) {
            let members = try JSONValue.rawMembers(parsing: element, context: field(context, "annotations"))
            var instance = Instance(id: nil, categoryID: defaultCategory ?? 0, geometry: .none)
            var hasCategory = defaultCategory != nil
            var categoryName: String?
            // The id first, so every later error names the annotation.
            if let idMember = members.first(where: { $0.key == "id" }) {
                instance.id = try integer(try JSONValue(parsing: idMember.rawJSON, context: field(context, "id")), "id", context)
            }
            let annotationContext = ErrorContext(annotationID: instance.id).merged(with: context)
            for member in members where member.key != "id" {
                let memberContext = field(annotationContext, member.key)
                switch member.key {
                case "category_id":
                    instance.categoryID = try integer(try JSONValue(parsing: member.rawJSON, context: memberContext), member.key, annotationContext)
                    hasCategory = true
                case "category_name":
                    categoryName = try JSONValue(parsing: member.rawJSON, context: memberContext).stringValue
                case "iscrowd":
                    let v = try JSONValue(parsing: member.rawJSON, context: memberContext)
                    if let b = v.boolValue { instance.isCrowd = b } else { instance.isCrowd = try integer(v, member.key, annotationContext) != 0 }
                case "bbox":
                    let v = try JSONValue(parsing: member.rawJSON, context: memberContext)
                    guard let a = v.arrayValue, a.count == 4, let x = a[0].doubleValue, let y = a[1].doubleValue,
                          let w = a[2].doubleValue, let h = a[3].doubleValue else {
                        throw typeError(member.key, "an array of 4 numbers", annotationContext)
                    }
                    instance.bbox = BoundingBox(x: x, y: y, width: w, height: h)
                case "area", "score":
                    guard let d = try JSONValue(parsing: member.rawJSON, context: memberContext).doubleValue else {
                        throw typeError(member.key, "a number", annotationContext)
                    }
                    if member.key == "area" { instance.area = d } else { instance.score = d }
                case "segmentation":
                    instance.geometry = try geometry(try JSONValue(parsing: member.rawJSON, context: memberContext),
                                                     context: memberContext, limits: limits)
                case "image_id", "instance_value":
                    // instance_value: where this writer's --instance-map painted it; not carried on.
                    break
                default:
                    instance.extra.append(ExtraField(key: member.key, rawJSON: member.rawJSON))
                }
            }
            guard hasCategory else {
                throw ConversionError(.invalidValue, "the annotation has no category_id", context: field(annotationContext, "category_id"),
                                      hint: "every annotation needs a category_id")
            }
            if let categoryName, seenNames.insert(instance.categoryID).inserted {
                decoded.categoryNames.append((instance.categoryID, categoryName))
            }
            decoded.instances.append(instance)
        }
        return decoded
    }

    /// A COCO `segmentation`: compressed RLE, uncompressed RLE or polygons.
    static func geometry(_ value: JSONValue, context: ErrorContext, limits: Limits) throws -> Geometry {
        if let parts = value.arrayValue {
            var polygons: [[Double]] = []
            for part in parts {
                guard let coords = part.arrayValue else { throw typeError("segmentation", "polygons (arrays of numbers) or an RLE object", context) }
                var flat: [Double] = []
                flat.reserveCapacity(coords.count)
                for c in coords {
                    guard let d = c.doubleValue else { throw typeError("segmentation", "polygons (arrays of numbers)", context) }
                    flat.append(d)
                }
                guard flat.count <= 2 * limits.maxPolygonPoints else {
                    throw ConversionError(.limitExceeded, "a polygon has \(flat.count / 2) points, more than \(limits.maxPolygonPoints)", context: context)
                }
                polygons.append(flat)
            }
            return .polygons(polygons)
        }
        guard value.objectMembers != nil, let size = value["size"]?.arrayValue, size.count == 2,
              let h = size[0].int64Value, let w = size[1].int64Value, h >= 0, w >= 0, h <= Int64(Int32.max), w <= Int64(Int32.max) else {
            throw typeError("segmentation", "an RLE object {\"size\": [h, w], \"counts\": ...} or polygons", context)
        }
        let height = Int(h), width = Int(w)
        _ = try RLE.checkedPixelCount(height: height, width: width, limits: limits)
        switch value["counts"] {
        case .string(let counts)?:
            guard counts.utf8.allSatisfy({ $0 >= 48 && $0 <= 111 }) else {
                throw ConversionError(.invalidMask, "the RLE counts string has characters outside '0'...'o'", context: context,
                                      hint: "compressed RLE uses the characters of pycocotools' encoding only")
            }
            return .compressedRLE(CompressedRLE(height: height, width: width, counts: counts))
        case .array(let items)?:
            var counts: [UInt32] = []
            counts.reserveCapacity(items.count)
            for item in items {
                guard let n = item.int64Value, n >= 0, n <= Int64(UInt32.max) else { throw typeError("counts", "non-negative integers", context) }
                counts.append(UInt32(n))
            }
            return .rle(try RLE(height: height, width: width, counts: counts).validated(limits: limits))
        default:
            throw typeError("counts", "a string (compressed RLE) or an array of integers", context)
        }
    }

    private static func integer(_ value: JSONValue, _ key: String, _ context: ErrorContext) throws -> Int64 {
        guard let n = value.int64Value else { throw typeError(key, "an integer", context) }
        return n
    }

    private static func typeError(_ key: String, _ expected: String, _ context: ErrorContext) -> ConversionError {
        ConversionError(.invalidValue, "'\(key)' must be \(expected)", context: field(context, key))
    }

    private static func field(_ context: ErrorContext, _ name: String) -> ErrorContext {
        ErrorContext(field: name).merged(with: context)
    }
}
