import CocoConvertCore

/// The worker-thread half of ``COCOWriter``: formats a sample's image record and its annotation
/// records (encoding, measuring masks as needed), and a panoptic sample's segment PNG.
///
/// Immutable once ``COCOWriter/begin(_:)`` has made it, and shared by every worker thread. Records
/// whose ids are decided in sample order are left open for the ``COCOSink``.
public struct COCORenderer: SampleRenderer {
    let form: COCOWriter.Form
    /// New annotation ids are given in commit order.
    let renumber: Bool
    let options: COCOWriterOptions
    let limits: Limits

    public func render(_ sample: Sample) throws -> COCOWriter.Rendered {
        var out = COCOWriter.Rendered()
        if form != .results {
            out.image.reserveCapacity(256)
            out.image.appendText("{\"id\":")
            out.image.appendInteger(sample.id)
            out.image.appendText(",\"file_name\":")
            out.image.appendString(sample.fileName)
            out.image.appendText(",\"width\":")
            out.image.appendInteger(Int64(sample.width))
            out.image.appendText(",\"height\":")
            out.image.appendInteger(Int64(sample.height))
            out.image.appendExtras(sample.extra)
            out.image.append(ASCII.closeBrace)
        }
        if form == .panoptic {
            try renderPanoptic(sample, into: &out)
            return out
        }
        out.annotations.reserveCapacity(sample.instances.count * 512)
        let masks = SampleMasks(height: sample.height, width: sample.width, limits: limits)
        // Ids known now (kept ids, or none in the results form): write the final text here.
        out.complete = !renumber && sample.instances.allSatisfy { $0.id != nil || form == .results }
        for (k, instance) in sample.instances.enumerated() {
            if out.complete && k > 0 { out.annotations.append(ASCII.comma) }
            do {
                try renderAnnotation(instance, of: sample, masks: masks, into: &out.annotations)
            } catch let error as ConversionError {
                throw error.adding(ErrorContext(imageID: sample.id, annotationID: instance.id))
            }
            if out.complete {
                if let id = instance.id {
                    out.annotations.appendText(",\"id\":")
                    out.annotations.appendInteger(id)
                    out.highestID = max(out.highestID, id)
                }
                out.annotations.append(ASCII.closeBrace)
            } else {
                out.annotationEnds.append(out.annotations.count)
                out.annotationIDs.append(renumber ? nil : instance.id)
            }
        }
        out.instanceCount = sample.instances.count
        return out
    }

    private func renderAnnotation(_ instance: Instance, of sample: Sample, masks: SampleMasks,
                                  into out: inout [UInt8]) throws {
        out.appendText("{\"image_id\":")
        out.appendInteger(sample.id)
        out.appendText(",\"category_id\":")
        out.appendInteger(instance.categoryID)
        if form != .results || instance.isCrowd {
            out.appendText(",\"iscrowd\":")
            out.append(instance.isCrowd ? UInt8(ascii: "1") : ASCII.zero)
        }
        var area = instance.area
        var box = instance.bbox
        let hasMask: Bool
        if case .none = instance.geometry { hasMask = false } else { hasMask = true }
        // The exact mask, computed at most once per annotation and only when something needs it.
        var cached: RLE?
        func mask() throws -> RLE {
            if let cached { return cached }
            try requireSize(sample)
            let rle = try masks.rle(for: instance.geometry)
            cached = rle
            return rle
        }
        if form == .results {
            // A results list stays evaluable exactly as its source: area and bbox as read, unless asked per field.
            if hasMask && !options.recomputeResults.isEmpty {
                let rle = try mask()
                if options.recomputeResults.contains(.area) { area = Double(rle.area) }
                if options.recomputeResults.contains(.bbox) { box = rle.boundingBox }
            }
        } else if hasMask && (options.recompute || area == nil || box == nil) {
            let rle = try mask()
            if options.recompute {
                area = Double(rle.area)
                box = rle.boundingBox
            } else {
                area = area ?? Double(rle.area)
                box = box ?? rle.boundingBox
            }
        }
        out.appendAreaAndBox(area: area, box: box)
        if let score = instance.score {
            out.appendText(",\"score\":")
            out.appendNumber(score)
        }
        if hasMask {
            out.appendText(",\"segmentation\":")
            try appendSegmentation(instance.geometry, isCrowd: instance.isCrowd, mask: mask, into: &out)
        }
        out.appendExtras(instance.extra)
    }

    private func requireSize(_ sample: Sample) throws {
        guard sample.width > 0 && sample.height > 0 else {
            throw ConversionError(.invalidValue, "the image size is unknown, so the mask cannot be encoded or measured",
                                  context: ErrorContext(imageID: sample.id),
                                  hint: "results files give image sizes only through RLE masks")
        }
    }

    private func appendSegmentation(_ geometry: Geometry, isCrowd: Bool, mask: () throws -> RLE,
                                    into out: inout [UInt8]) throws {
        // Results lists keep their masks: pycocotools' loadRes measures a result's segmentation as
        // RLE, so traced polygons would make the list unevaluable.
        if options.segmentation == .polygon, form != .results, !isCrowd || options.crowdPolygons,
           let parts = try tracedPolygons(geometry, mask: mask) {
            appendPolygons(parts, into: &out)
            return
        }
        switch (options.segmentation, geometry) {
        case (_, .compressedRLE(let r)):
            appendCompressed(height: r.height, width: r.width, counts: Array(r.counts.utf8), into: &out)
        case (.keep, .polygons(let parts)), (.polygon, .polygons(let parts)):
            appendPolygons(parts, into: &out)
        case (.keep, .rle(let r)):
            out.appendText("{\"size\":[")
            out.appendInteger(Int64(r.height))
            out.append(ASCII.comma)
            out.appendInteger(Int64(r.width))
            out.appendText("],\"counts\":[")
            for (k, count) in r.counts.enumerated() {
                if k > 0 { out.append(ASCII.comma) }
                out.appendInteger(Int64(count))
            }
            out.appendText("]}")
        default:
            let rle = try mask()
            var counts: [UInt8] = []
            counts.reserveCapacity(rle.counts.count * 2)
            rle.appendCompressed(to: &counts)
            appendCompressed(height: rle.height, width: rle.width, counts: counts, into: &out)
        }
    }

    /// The mask of a non-polygon geometry traced to polygons, or nil for polygon sources and empty masks
    /// (which stay as they are / compressed RLE). An RLE carries its own size, so results files work too.
    private func tracedPolygons(_ geometry: Geometry, mask: () throws -> RLE) throws -> [[Double]]? {
        let rle: RLE
        switch geometry {
        case .polygons, .none: return nil
        case .compressedRLE(let r): rle = try RLE(r, limits: limits)
        case .rle(let r): rle = try r.validated(limits: limits)
        case .labelValue: rle = try mask()
        }
        let parts = try MaskPolygons.trace(rle, simplify: options.simplify, limits: limits)
        return parts.isEmpty ? nil : parts
    }

    private func appendPolygons(_ parts: [[Double]], into out: inout [UInt8]) {
        out.append(ASCII.openBracket)
        for (k, part) in parts.enumerated() {
            if k > 0 { out.append(ASCII.comma) }
            out.append(ASCII.openBracket)
            for (j, value) in part.enumerated() {
                if j > 0 { out.append(ASCII.comma) }
                out.appendNumber(value)
            }
            out.append(ASCII.closeBracket)
        }
        out.append(ASCII.closeBracket)
    }

    private func appendCompressed(height: Int, width: Int, counts: [UInt8], into out: inout [UInt8]) {
        out.appendText("{\"size\":[")
        out.appendInteger(Int64(height))
        out.append(ASCII.comma)
        out.appendInteger(Int64(width))
        out.appendText("],\"counts\":")
        out.appendRLEString(counts)
        out.append(ASCII.closeBrace)
    }

    private func renderPanoptic(_ sample: Sample, into out: inout COCOWriter.Rendered) throws {
        guard let record = sample.panoptic else { return }
        var plane: LabelPlane?
        var text: [UInt8] = []
        text.appendText("{\"image_id\":")
        text.appendInteger(sample.id)
        text.appendText(",\"file_name\":")
        text.appendString(record.fileName)
        text.appendText(",\"segments_info\":[")
        for (k, segment) in sample.instances.enumerated() {
            guard case .labelValue(let own, let value) = segment.geometry, plane.map({ $0 === own }) ?? true else {
                throw ConversionError(.unsupported, "panoptic output needs every segment of an image cut from one segment-id plane",
                                      context: ErrorContext(imageID: sample.id, annotationID: segment.id),
                                      hint: "use --segmentation rle to write detection-style COCO instead")
            }
            plane = own
            if k > 0 { text.append(ASCII.comma) }
            text.appendText("{\"id\":")
            text.appendInteger(Int64(value))
            text.appendText(",\"category_id\":")
            text.appendInteger(segment.categoryID)
            text.appendText(",\"iscrowd\":")
            text.append(segment.isCrowd ? UInt8(ascii: "1") : ASCII.zero)
            var area = segment.area
            var box = segment.bbox
            if options.recompute || area == nil || box == nil {
                let rle = try segment.geometry.rle(height: sample.height, width: sample.width, limits: limits)
                area = options.recompute ? Double(rle.area) : (area ?? Double(rle.area))
                box = options.recompute ? rle.boundingBox : (box ?? rle.boundingBox)
            }
            text.appendAreaAndBox(area: area, box: box)
            text.appendExtras(segment.extra)
            text.append(ASCII.closeBrace)
        }
        text.append(ASCII.closeBracket)
        text.appendExtras(record.extra)
        out.annotations = text
        out.annotationEnds = [text.count]
        out.annotationIDs = [nil]
        out.instanceCount = sample.instances.count
        if let plane {
            let name = try SafePath.component(record.fileName, context: ErrorContext(imageID: sample.id, field: "file_name"))
            out.png = (name, try PanopticPNG.encode(plane))
        }
    }
}
