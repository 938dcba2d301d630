/// The per-sample and per-instance tables of one shard being written, with their write buffers.
final class ShardTables {
    /// Rows buffered per table before a write; bytes of vlen payload buffered before a write.
    static let sampleFlushRows = 1024
    static let instanceFlushRows = 4096
    static let flushBytes = 8 << 20

    private let imageIDs, instanceStart: NumericColumn<Int64>
    private let heights, widths, instanceCount: NumericColumn<Int32>
    private let fileNames, imageExtra: StringColumn
    private let images: BytesColumn?
    private let panopticFileNames, panopticExtra: StringColumn?
    private let instSampleIndex, instID, instCategoryID: NumericColumn<Int64>
    private let instHasID, instIsCrowd, instKind: NumericColumn<UInt8>
    private let instBBox, instArea, instScore: NumericColumn<Double>
    private let instRLESize: NumericColumn<Int32>
    private let instRLE, instExtra: StringColumn
    private let instPolygonsJSON: NumericColumn<UInt8>
    private let instPolygonsEnd: NumericColumn<Int64>
    private var polygonBytes: Int64 = 0
    private let columns: [any ShardColumn]

    /// Creates every table dataset (empty, extendible) in `file`; the panoptic record tables only
    /// when `panoptic`.
    init(file: HDF5File, options: HDF5WriterOptions, panoptic: Bool) throws {
        typealias D = HDF5ShardSchema.Dataset
        let level = options.compression.deflateLevel
        func numeric(_ name: String, _ n: HDF5Numeric, rowShape: [Int] = [], rows: Int) throws -> HDF5Dataset {
            try file.createDataset(name, HDF5DatasetSpec(
                element: .numeric(n), dims: [0] + rowShape, maxDims: [nil] + rowShape.map { $0 }, chunk: [rows] + rowShape,
                shuffle: level != nil && n.size > 1, deflateLevel: level, fill: nil))
        }
        func vlen(_ name: String, _ element: HDF5Element, rows: Int) throws -> HDF5Dataset {
            // Filters on vlen data see only the 16-byte heap references (the strings themselves live
            // in the global heap), but deflate still shrinks them, and the unused rows of the last chunk, to little.
            try file.createDataset(name, HDF5DatasetSpec(element: element, dims: [0], maxDims: [nil], chunk: [rows],
                                                         deflateLevel: level))
        }
        let sRows = min(Self.sampleFlushRows, max(1, options.shardSize)), iRows = Self.instanceFlushRows
        imageIDs = NumericColumn(try numeric(D.imageIDs, .int64, rows: sRows))
        fileNames = StringColumn(try vlen(D.fileNames, .string, rows: sRows))
        heights = NumericColumn(try numeric(D.heights, .int32, rows: sRows))
        widths = NumericColumn(try numeric(D.widths, .int32, rows: sRows))
        instanceStart = NumericColumn(try numeric(D.instanceStart, .int64, rows: sRows))
        instanceCount = NumericColumn(try numeric(D.instanceCount, .int32, rows: sRows))
        imageExtra = StringColumn(try vlen(D.imageExtra, .string, rows: sRows))
        images = options.embedImages ? BytesColumn(try vlen(D.images, .bytes, rows: 16)) : nil
        panopticFileNames = panoptic ? StringColumn(try vlen(D.panopticFileNames, .string, rows: sRows)) : nil
        panopticExtra = panoptic ? StringColumn(try vlen(D.panopticExtra, .string, rows: sRows)) : nil

        instSampleIndex = NumericColumn(try numeric(D.instSampleIndex, .int64, rows: iRows))
        instID = NumericColumn(try numeric(D.instID, .int64, rows: iRows))
        instHasID = NumericColumn(try numeric(D.instHasID, .uint8, rows: iRows))
        instCategoryID = NumericColumn(try numeric(D.instCategoryID, .int64, rows: iRows))
        instIsCrowd = NumericColumn(try numeric(D.instIsCrowd, .uint8, rows: iRows))
        instBBox = NumericColumn(try numeric(D.instBBox, .float64, rowShape: [4], rows: iRows), rowShape: [4])
        instArea = NumericColumn(try numeric(D.instArea, .float64, rows: iRows))
        instScore = NumericColumn(try numeric(D.instScore, .float64, rows: iRows))
        instKind = NumericColumn(try numeric(D.instSegmentationKind, .uint8, rows: iRows))
        instRLE = StringColumn(try vlen(D.instRLE, .string, rows: iRows))
        instRLESize = NumericColumn(try numeric(D.instRLESize, .int32, rowShape: [2], rows: iRows), rowShape: [2])
        // Polygon texts go into one deflated byte stream (vlen strings would sit uncompressed in the heap).
        instPolygonsJSON = NumericColumn(try numeric(D.instPolygonsJSON, .uint8, rows: 1 << 18))
        instPolygonsEnd = NumericColumn(try numeric(D.instPolygonsEnd, .int64, rows: iRows))
        instExtra = StringColumn(try vlen(D.instExtra, .string, rows: iRows))

        var all: [any ShardColumn] = [imageIDs, fileNames, heights, widths, instanceStart, instanceCount, imageExtra,
                                      instSampleIndex, instID, instHasID, instCategoryID, instIsCrowd, instBBox, instArea,
                                      instScore, instKind, instRLE, instRLESize, instPolygonsJSON, instPolygonsEnd, instExtra]
        if let images { all.append(images) }
        if let panopticFileNames, let panopticExtra { all += [panopticFileNames, panopticExtra] }
        columns = all
    }

    /// Buffers the table rows of sample `row`, whose instances start at shard instance `firstInstance`.
    func append(_ r: HDF5ShardWriter.Rendered, row: Int, firstInstance: Int) {
        imageIDs.append(r.imageID)
        fileNames.append(r.fileName)
        heights.append(r.height)
        widths.append(r.width)
        instanceStart.append(Int64(firstInstance))
        instanceCount.append(Int32(clamping: r.instances.count))
        imageExtra.append(r.imageExtra)
        images?.append(r.image ?? [])
        panopticFileNames?.append(r.panoptic?.fileName ?? "")
        panopticExtra?.append(r.panoptic?.extra ?? "")

        for inst in r.instances {
            instSampleIndex.append(Int64(row))
            instID.append(inst.id ?? 0)
            instHasID.append(inst.id == nil ? 0 : 1)
            instCategoryID.append(inst.categoryID)
            instIsCrowd.append(inst.isCrowd ? 1 : 0)
            instBBox.append(contentsOf: inst.bbox)
            instArea.append(inst.area)
            instScore.append(inst.score)
            instKind.append(inst.kind.rawValue)
            instRLE.append(inst.rle)
            instRLESize.append(contentsOf: [inst.rleHeight, inst.rleWidth])
            let text = Array(inst.polygons.utf8)
            instPolygonsJSON.append(contentsOf: text)
            polygonBytes += Int64(text.count)
            instPolygonsEnd.append(polygonBytes)
            instExtra.append(inst.extra)
        }
    }

    /// Whether a buffer passed its threshold.
    var needsFlush: Bool {
        imageIDs.pendingRows >= Self.sampleFlushRows || instID.pendingRows >= Self.instanceFlushRows
            || (images?.pendingBytes ?? 0) >= Self.flushBytes
            || instRLE.pendingBytes + instPolygonsJSON.pendingBytes + instExtra.pendingBytes >= Self.flushBytes
    }

    /// Writes every buffered row.
    func flush() throws {
        for c in columns { try c.flush() }
    }
}
