import CocoConvertCore
import CocoConvertPNG

/// The worker-thread half of ``LabelMapDirectoryWriter``: paints a sample's label map, encodes
/// its PNG and formats its `labels.json` (and `panoptic.json`) records.
///
/// Immutable once ``LabelMapDirectoryWriter/begin(_:)`` has made it, and shared by every worker thread.
public struct LabelMapDirectoryRenderer: SampleRenderer {
    /// The paint options decided from the header.
    let paint: PaintOptions
    let painter: LabelPainter
    /// Palette of 8-bit maps, or nil for gray PNGs.
    let palette: [RGB]?
    let compression: PNGCompression

    public func render(_ sample: Sample) throws -> LabelMapDirectoryWriter.Rendered {
        let context = ErrorContext(imageID: sample.id)
        let stem = try SafePath.component(sample.stem, context: context)
        let file = stem + ".png"
        let kind = paint.kind
        let painted: PaintedLabelMap
        do {
            painted = kind == .semantic ? PaintedLabelMap(map: try painter.paint(sample), segments: [])
                : try painter.paintSegments(sample)
        } catch let error as ConversionError {
            throw error.adding(context)
        }
        let map = painted.map
        let png: [UInt8]
        if kind == .panoptic {
            var rgb = [UInt8](repeating: 0, count: map.width * map.height * 3)
            rgb.withUnsafeMutableBufferPointer { out in
                map.pixels.withUnsafeBufferPointer { px in
                    for i in 0..<px.count {
                        let v = px[i]
                        // Background and ignore are VOID (id 0) in panoptic PNGs.
                        if v == 0 || UInt32(v) == paint.schema.background || UInt32(v) == paint.schema.ignoreIndex { continue }
                        out[3 * i] = UInt8(v & 0xff)
                        out[3 * i + 1] = UInt8(v >> 8)
                    }
                }
            }
            png = try PNGEncoder.encodeRGB8(width: map.width, height: map.height, pixels: rgb)
        } else {
            png = try PNGEncoder.encode(labelMap: map, palette: palette, compression: compression)
        }
        var instances: [LabelsFile.InstanceRecord]?
        if kind != .semantic {
            instances = painted.segments.map {
                LabelsFile.InstanceRecord(value: UInt32($0.value), categoryID: $0.categoryID, isCrowd: $0.isCrowd,
                                          annotationID: $0.annotationIDs.first ?? nil)
            }
        }
        let record = LabelsFile.imageText(LabelsFile.ImageRecord(file: file, id: sample.id, fileName: sample.fileName,
                                                                 width: sample.width, height: sample.height,
                                                                 instances: instances))
        var panopticRecord: String?
        var imageJSON = ""
        if kind == .panoptic {
            let segments = painted.segments.filter { $0.area > 0 }.map { s -> JSONValue in
                let b = s.bbox ?? BoundingBox(x: 0, y: 0, width: 0, height: 0)
                return .object([("id", .int(Int64(s.value))), ("category_id", .int(Int64(s.categoryID))), ("area", .int(Int64(s.area))),
                                ("bbox", .array([.int(Int(b.x)), .int(Int(b.y)), .int(Int(b.width)), .int(Int(b.height))])),
                                ("iscrowd", .int(s.isCrowd ? 1 : 0))])
            }
            panopticRecord = JSONValue.object([("image_id", .int(sample.id)), ("file_name", .string(file)),
                                               ("segments_info", .array(segments))]).text()
            imageJSON = JSONValue.object([("id", .int(sample.id)), ("file_name", .string(sample.fileName)),
                                          ("width", .int(sample.width)), ("height", .int(sample.height))]).text()
        }
        var rendered = LabelMapDirectoryWriter.Rendered(file: file, png: png, imageID: sample.id, record: record,
                                                        panopticRecord: panopticRecord, imageRecordJSON: imageJSON,
                                                        instances: kind == .semantic ? sample.instances.count : painted.segments.count,
                                                        sixteenBit: kind != .panoptic && map.maxValue > 255)
        for segment in painted.segments {
            if let index = segment.instanceIndex { rendered.instanceValues[index] = UInt32(segment.value) }
        }
        return rendered
    }
}
