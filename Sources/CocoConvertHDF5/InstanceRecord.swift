import CocoConvertCore

/// One row of the `instances/` table: everything needed to restore an ``Instance`` exactly.
struct InstanceRecord: Sendable, Equatable {
    var id: Int64?
    var categoryID: Int64
    var isCrowd: Bool
    /// `[x, y, w, h]`, NaN when absent.
    var bbox: [Double]
    /// NaN when absent.
    var area: Double
    /// NaN when absent.
    var score: Double
    var kind: HDF5ShardSchema.SegmentationKind
    /// Compressed RLE counts (COCO string), empty when there is no mask.
    var rle: String
    var rleHeight: Int32
    var rleWidth: Int32
    /// Polygons as JSON, only for ``HDF5ShardSchema/SegmentationKind/polygons``.
    var polygons: String
    /// Unmodelled annotation members as a JSON object, or empty.
    var extra: String

    /// Builds the row for `instance` of `sample` (masks encoded as compressed RLE at their own size).
    init(_ instance: Instance, in sample: Sample, limits: Limits) throws {
        id = instance.id
        categoryID = instance.categoryID
        isCrowd = instance.isCrowd
        bbox = instance.bbox?.array ?? [.nan, .nan, .nan, .nan]
        area = instance.area ?? .nan
        score = instance.score ?? .nan
        extra = HeaderJSON.object(from: instance.extra)
        polygons = ""
        let context = ErrorContext(imageID: sample.id, annotationID: instance.id, field: "segmentation")
        do {
            switch instance.geometry {
            case .none:
                kind = .none
                rle = ""
                rleHeight = 0
                rleWidth = 0
            case .compressedRLE(let c):
                kind = .compressedRLE
                rle = c.counts
                (rleHeight, rleWidth) = try Self.size(c.height, c.width, limits: limits)
            case .rle(let r):
                kind = .uncompressedRLE
                (rleHeight, rleWidth) = try Self.size(r.height, r.width, limits: limits)
                rle = try MaskEncoding.compressedCounts(of: instance.geometry, height: r.height, width: r.width, limits: limits)
            case .polygons(let parts):
                kind = .polygons
                (rleHeight, rleWidth) = try Self.size(sample.height, sample.width, limits: limits)
                rle = try MaskEncoding.compressedCounts(of: instance.geometry, height: sample.height, width: sample.width, limits: limits)
                polygons = HeaderJSON.polygons(parts)
            case .labelValue(let plane, _):
                kind = .compressedRLE
                (rleHeight, rleWidth) = try Self.size(plane.height, plane.width, limits: limits)
                rle = try MaskEncoding.compressedCounts(of: instance.geometry, height: plane.height, width: plane.width, limits: limits)
            }
        } catch let error as ConversionError {
            throw error.adding(context)
        }
    }

    /// A row read back from a shard.
    init(id: Int64?, categoryID: Int64, isCrowd: Bool, bbox: [Double], area: Double, score: Double,
         kind: HDF5ShardSchema.SegmentationKind, rle: String, rleHeight: Int32, rleWidth: Int32,
         polygons: String, extra: String) {
        self.id = id
        self.categoryID = categoryID
        self.isCrowd = isCrowd
        self.bbox = bbox
        self.area = area
        self.score = score
        self.kind = kind
        self.rle = rle
        self.rleHeight = rleHeight
        self.rleWidth = rleWidth
        self.polygons = polygons
        self.extra = extra
    }

    static func == (a: InstanceRecord, b: InstanceRecord) -> Bool {
        func same(_ x: [Double], _ y: [Double]) -> Bool {
            x.count == y.count && zip(x, y).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) }
        }
        return a.id == b.id && a.categoryID == b.categoryID && a.isCrowd == b.isCrowd && same(a.bbox, b.bbox)
            && same([a.area, a.score], [b.area, b.score]) && a.kind == b.kind && a.rle == b.rle
            && a.rleHeight == b.rleHeight && a.rleWidth == b.rleWidth && a.polygons == b.polygons && a.extra == b.extra
    }

    private static func size(_ height: Int, _ width: Int, limits: Limits) throws -> (Int32, Int32) {
        guard height >= 0, width >= 0, let h = Int32(exactly: height), let w = Int32(exactly: width),
              height.multipliedReportingOverflow(by: width).partialValue <= limits.maxPixels,
              !height.multipliedReportingOverflow(by: width).overflow else {
            throw ConversionError(.limitExceeded, "mask size \(height)x\(width) is outside the limits",
                                  hint: "a mask may have at most \(limits.maxPixels) pixels")
        }
        return (h, w)
    }
}

extension InstanceRecord {
    /// The instance this row stores, with its original segmentation form.
    func instance(file: String, limits: Limits = .standard) throws -> Instance {
        let context = ErrorContext(file: file, annotationID: id, field: kind == .polygons ? HDF5ShardSchema.Dataset.instPolygonsJSON : HDF5ShardSchema.Dataset.instRLE)
        let geometry: Geometry
        switch kind {
        case .none:
            geometry = .none
        case .polygons:
            let parsed = try HeaderJSON.parse(polygons, field: HDF5ShardSchema.Dataset.instPolygonsJSON, file: file)
            guard let parts = parsed.arrayValue?.map({ $0.arrayValue?.compactMap(\.doubleValue) }),
                  parts.allSatisfy({ $0 != nil }), zip(parts, parsed.arrayValue ?? []).allSatisfy({ $0?.count == $1.arrayValue?.count }) else {
                throw ConversionError(.malformedInput, "polygons is not a list of number lists", context: context)
            }
            geometry = .polygons(parts.compactMap { $0 })
        case .uncompressedRLE, .compressedRLE:
            guard rleHeight >= 0, rleWidth >= 0 else {
                throw ConversionError(.malformedInput, "rle_size \(rleHeight)x\(rleWidth) is negative", context: context)
            }
            let compressed = CompressedRLE(height: Int(rleHeight), width: Int(rleWidth), counts: rle)
            geometry = kind == .uncompressedRLE ? try MaskEncoding.uncompressed(compressed, limits: limits) : .compressedRLE(compressed)
        }
        var extraFields: [ExtraField] = []
        if !extra.isEmpty {
            extraFields = try HeaderJSON.extraFields(extra, field: HDF5ShardSchema.Dataset.instExtra, file: file)
        }
        return Instance(id: id, categoryID: categoryID, isCrowd: isCrowd,
                        bbox: bbox.contains(where: \.isNaN) ? nil : BoundingBox(x: bbox[0], y: bbox[1], width: bbox[2], height: bbox[3]),
                        area: area.isNaN ? nil : area, score: score.isNaN ? nil : score, geometry: geometry, extra: extraFields)
    }
}
