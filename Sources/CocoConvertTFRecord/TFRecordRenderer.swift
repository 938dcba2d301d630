import CocoConvertCore
import CocoConvertPNG

/// The worker-thread half of ``TFRecordWriter``: reads the image file, paints and PNG-encodes the
/// label map (DeepLab) or the boxes and masks (OD), hashes, serialises and frames the record.
///
/// Immutable once ``TFRecordWriter/begin(_:)`` has made it, and shared by every worker thread.
/// Per-object problems in OD mode go to the ``SkipReport`` (thread-safe) from here.
public struct TFRecordRenderer: SampleRenderer {
    let options: TFRecordWriterOptions
    let skips: SkipReport
    /// DeepLab: the label-map painter, palette and schema decided from the header.
    let labelMaps: LabelMapRenderer?
    /// OD: the class id and name written for each category id.
    let classes: [Int64: (id: Int64, name: String)]

    public func render(_ sample: Sample) throws -> TFRecordWriter.Rendered {
        let image = try EncodedImage.load(sample)
        let example: TFExample
        var instances = 0
        var droppedObjects = 0
        switch options.schema {
        case .deeplab:
            guard let labelMaps else { preconditionFailure("a DeepLab TFRecordRenderer without a label-map painter") }
            let map = try labelMaps.paint(sample)
            guard map.width == sample.width, map.height == sample.height else {
                throw ConversionError(.sizeMismatch, "label map is \(map.width)×\(map.height) but the image is \(sample.width)×\(sample.height)",
                                      context: ErrorContext(imageID: sample.id))
            }
            let png = try PNGEncoder.encode(labelMap: map, palette: labelMaps.palette)
            example = DeepLabSchema.example(DeepLabRecord(image: image, filename: sample.stem, height: sample.height,
                                                          width: sample.width, labelPNG: png))
            instances = sample.instances.count
        case .od:
            var objects: [ODObject] = []
            objects.reserveCapacity(sample.instances.count)
            for instance in sample.instances {
                do {
                    objects.append(try object(instance, in: sample))
                } catch let error as ConversionError {
                    try skips.report(error.adding(ErrorContext(imageID: sample.id, annotationID: instance.id)))
                    droppedObjects += 1
                }
            }
            instances = objects.count
            let record = ODRecord(image: image, filename: sample.fileName, sourceID: String(sample.id),
                                  sha256: SHA256.hexDigest(image.bytes), height: sample.height, width: sample.width,
                                  objects: objects)
            example = ODSchema.example(record, masks: options.masks)
        }
        let frame = TFRecordFraming.frame { example.appendSerialized(to: &$0) }
        return TFRecordWriter.Rendered(frame: frame, instances: instances, droppedObjects: droppedObjects)
    }

    /// One OD object, or a `ConversionError` saying why this instance cannot be one.
    private func object(_ instance: Instance, in sample: Sample) throws -> ODObject {
        guard let cls = classes[instance.categoryID] else {
            throw ConversionError(.unknownCategory, "category \(instance.categoryID) is not in the dataset's categories",
                                  hint: "add the category to the source's categories")
        }
        let hasShape: Bool
        if case .none = instance.geometry { hasShape = false } else { hasShape = true }
        var rle: RLE?
        if hasShape && (options.masks || instance.bbox == nil || instance.area == nil) {
            rle = try instance.geometry.rle(height: sample.height, width: sample.width, limits: options.limits)
        }
        guard let box = instance.bbox ?? rle?.boundingBox else {
            throw ConversionError(.invalidValue, "the annotation has neither a bbox nor a mask", context: ErrorContext(field: "bbox"))
        }
        let w = Double(sample.width), h = Double(sample.height)
        guard box.width > 0, box.height > 0, box.x >= 0, box.y >= 0, box.x + box.width <= w, box.y + box.height <= h else {
            let kind = box.width > 0 && box.height > 0 ? "lies outside" : "is empty in"
            throw ConversionError(.invalidValue,
                                  "bbox [\(box.x), \(box.y), \(box.width), \(box.height)] \(kind) the \(sample.width)×\(sample.height) image",
                                  context: ErrorContext(field: "bbox"),
                                  hint: "the OD API's create_coco_tf_record.py drops such boxes; --on-error skip drops them and lists them in the skip report")
        }
        var mask: [UInt8]?
        if options.masks {
            mask = try TFRecordWriter.maskPNG(rle, width: sample.width, height: sample.height, limits: options.limits)
        }
        return ODObject(xmin: Float(box.x / w), xmax: Float((box.x + box.width) / w),
                        ymin: Float(box.y / h), ymax: Float((box.y + box.height) / h),
                        text: cls.name, label: cls.id, isCrowd: instance.isCrowd,
                        area: Float(instance.area ?? Double(rle?.area ?? 0)), maskPNG: mask)
    }
}
