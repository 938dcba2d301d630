import CocoConvertCore

/// Walks the samples of one shard in order, reading its tables a block of rows at a time.
final class ShardCursor {
    typealias D = HDF5ShardSchema.Dataset

    private let contents: ShardContents
    private let limits: Limits
    private var row = 0
    /// Instances consumed so far; each sample's `instance_start` must equal it.
    private var nextInstance = 0

    private static let sampleBlock = 1024
    private static let instanceBlock = 4096

    private var samples = SampleBlock()
    private var instances = InstanceBlock()

    init(contents: ShardContents, limits: Limits) {
        self.contents = contents
        self.limits = limits
    }

    func close() { contents.close() }

    /// The next sample, or `nil` at the end of the shard.
    func next(skips: SkipReport?) throws -> Sample? {
        guard row < contents.sampleCount else { return nil }
        if !samples.rows.contains(row) { samples = try loadSamples(from: row) }
        let i = row - samples.rows.lowerBound
        let id = samples.ids[i]
        let context = ErrorContext(file: contents.path, imageID: id)
        let height = Int(samples.heights[i]), width = Int(samples.widths[i])
        let start = samples.instanceStart[i], count = Int(samples.instanceCount[i])
        guard height >= 0, width >= 0, !height.multipliedReportingOverflow(by: width).overflow,
              height * width <= limits.maxPixels else {
            throw ConversionError(.limitExceeded, "image size \(height)x\(width) is invalid or over the limit", context: context)
        }
        guard start == Int64(nextInstance), count >= 0, nextInstance + count <= contents.instanceCount else {
            throw ConversionError(.malformedInput, "instance_start/instance_count (\(start), \(count)) do not follow the instances table (next row \(nextInstance) of \(contents.instanceCount))",
                                  context: context.merged(with: ErrorContext(field: D.instanceStart)))
        }
        var sampleInstances: [Instance] = []
        sampleInstances.reserveCapacity(count)
        for r in nextInstance..<(nextInstance + count) {
            if !instances.rows.contains(r) { instances = try loadInstances(from: r) }
            let k = r - instances.rows.lowerBound
            guard instances.sampleIndex[k] == Int64(row) else {
                throw ConversionError(.malformedInput, "instances row \(r) belongs to sample \(instances.sampleIndex[k]), expected \(row)",
                                      context: context.merged(with: ErrorContext(field: D.instSampleIndex)))
            }
            do {
                sampleInstances.append(try instances.record(k).instance(file: contents.path, limits: limits))
            } catch let error as ConversionError {
                let e = error.adding(context)
                if let skips { try skips.report(e) } else { throw e }
            }
        }
        var image = ImageSource.none
        if contents.hasImages {
            let bytes = try contents.dataset(D.images).readByteArrays(rows: row..<(row + 1), maxBytes: 1 << 31)
            if let b = bytes.first, !b.isEmpty { image = .bytes(b) }
        }
        var extra: [ExtraField] = []
        if !samples.extra[i].isEmpty {
            extra = try HeaderJSON.extraFields(samples.extra[i], field: D.imageExtra, file: contents.path)
        }
        var panoptic: PanopticRecord?
        if contents.hasPanoptic, !samples.panopticFileNames[i].isEmpty {
            var recordExtra: [ExtraField] = []
            if !samples.panopticExtra[i].isEmpty {
                recordExtra = try HeaderJSON.extraFields(samples.panopticExtra[i], field: D.panopticExtra, file: contents.path)
            }
            panoptic = PanopticRecord(fileName: samples.panopticFileNames[i], extra: recordExtra)
            sampleInstances = try Self.segmentPlane(sampleInstances, height: height, width: width, limits: limits) ?? sampleInstances
        }
        row += 1
        nextInstance += count
        return Sample(id: id, fileName: samples.fileNames[i], width: width, height: height, image: image,
                      instances: sampleInstances, extra: extra, panoptic: panoptic)
    }

    /// Panoptic segments as cuts of one segment-id plane (value = segment id), the form the panoptic
    /// COCO writer needs; `nil` (keep the RLEs) unless every segment is an image-sized RLE with an id
    /// that fits 32 bits. Panoptic segments do not overlap, so painting them is exact.
    static func segmentPlane(_ instances: [Instance], height: Int, width: Int, limits: Limits) throws -> [Instance]? {
        var rles: [(RLE, UInt32)] = []
        for inst in instances {
            guard case .compressedRLE(let c) = inst.geometry, c.height == height, c.width == width,
                  let id = inst.id, let value = UInt32(exactly: id), value != 0 else { return nil }
            rles.append((try RLE(c, limits: limits), value))
        }
        let total = try RLE.checkedPixelCount(height: height, width: width, limits: limits)
        var pixels = [UInt32](repeating: 0, count: total)
        pixels.withUnsafeMutableBufferPointer { buffer in
            for (rle, value) in rles { rle.paint(into: buffer, value: value) }
        }
        let plane = LabelPlane(width: width, height: height, pixels: pixels)
        return zip(instances, rles).map { inst, pair in
            var copy = inst
            copy.geometry = .labelValue(plane, pair.1)
            return copy
        }
    }

    // MARK: Blocks

    private struct SampleBlock {
        var rows: Range<Int> = 0..<0
        var ids: [Int64] = []
        var fileNames: [String] = []
        var heights: [Int32] = []
        var widths: [Int32] = []
        var instanceStart: [Int64] = []
        var instanceCount: [Int32] = []
        var extra: [String] = []
        var panopticFileNames: [String] = []
        var panopticExtra: [String] = []
    }

    private func loadSamples(from first: Int) throws -> SampleBlock {
        let rows = first..<min(contents.sampleCount, first + Self.sampleBlock)
        var block = SampleBlock(rows: rows, ids: try contents.int64s(D.imageIDs, rows), fileNames: try contents.strings(D.fileNames, rows),
                                heights: try contents.int32s(D.heights, rows), widths: try contents.int32s(D.widths, rows),
                                instanceStart: try contents.int64s(D.instanceStart, rows),
                                instanceCount: try contents.int32s(D.instanceCount, rows), extra: try contents.strings(D.imageExtra, rows))
        if contents.hasPanoptic {
            block.panopticFileNames = try contents.strings(D.panopticFileNames, rows)
            block.panopticExtra = try contents.strings(D.panopticExtra, rows)
        }
        return block
    }

    private struct InstanceBlock {
        var rows: Range<Int> = 0..<0
        var sampleIndex: [Int64] = []
        var ids: [Int64] = []
        var hasID: [UInt8] = []
        var categoryIDs: [Int64] = []
        var isCrowd: [UInt8] = []
        var bbox: [Double] = []
        var area: [Double] = []
        var score: [Double] = []
        var kind: [UInt8] = []
        var rle: [String] = []
        var rleSize: [Int32] = []
        var polygons: [String] = []
        var extra: [String] = []

        func record(_ k: Int) throws -> InstanceRecord {
            guard let kind = HDF5ShardSchema.SegmentationKind(rawValue: kind[k]) else {
                throw ConversionError(.malformedInput, "segmentation_kind \(self.kind[k]) is not 0...3",
                                      context: ErrorContext(annotationID: hasID[k] != 0 ? ids[k] : nil, field: HDF5ShardSchema.Dataset.instSegmentationKind))
            }
            return InstanceRecord(id: hasID[k] != 0 ? ids[k] : nil, categoryID: categoryIDs[k], isCrowd: isCrowd[k] != 0,
                                  bbox: Array(bbox[(4 * k)..<(4 * k + 4)]), area: area[k], score: score[k], kind: kind,
                                  rle: rle[k], rleHeight: rleSize[2 * k], rleWidth: rleSize[2 * k + 1],
                                  polygons: polygons[k], extra: extra[k])
        }
    }

    /// The polygon JSON texts of instance rows `rows` (empty strings for other instances).
    private func polygonTexts(_ rows: Range<Int>) throws -> [String] {
        let ends = try contents.int64s(D.instPolygonsEnd, (rows.lowerBound == 0 ? 0 : rows.lowerBound - 1)..<rows.upperBound)
        let start = rows.lowerBound == 0 ? 0 : ends[0]
        let blockEnds = rows.lowerBound == 0 ? ends : Array(ends.dropFirst())
        let last = blockEnds.last ?? start
        guard start >= 0, last >= start, last <= Int64(contents.polygonBytes),
              zip([start] + blockEnds, blockEnds).allSatisfy({ $0 <= $1 }) else {
            throw ConversionError(.malformedInput, "instances/polygons_end is not a non-decreasing list of offsets into polygons_json (\(contents.polygonBytes) bytes)",
                                  context: ErrorContext(file: contents.path, field: D.instPolygonsEnd))
        }
        let bytes = try contents.dataset(D.instPolygonsJSON).read(UInt8.self, rows: Int(start)..<Int(last))
        var texts: [String] = []
        texts.reserveCapacity(rows.count)
        var from = start
        for end in blockEnds {
            texts.append(String(decoding: bytes[Int(from - start)..<Int(end - start)], as: UTF8.self))
            from = end
        }
        return texts
    }

    private func loadInstances(from first: Int) throws -> InstanceBlock {
        let rows = first..<min(contents.instanceCount, first + Self.instanceBlock)
        return InstanceBlock(
            rows: rows, sampleIndex: try contents.int64s(D.instSampleIndex, rows), ids: try contents.int64s(D.instID, rows),
            hasID: try contents.uint8s(D.instHasID, rows), categoryIDs: try contents.int64s(D.instCategoryID, rows),
            isCrowd: try contents.uint8s(D.instIsCrowd, rows), bbox: try contents.doubles(D.instBBox, rows, rowShape: [4]),
            area: try contents.doubles(D.instArea, rows), score: try contents.doubles(D.instScore, rows),
            kind: try contents.uint8s(D.instSegmentationKind, rows), rle: try contents.strings(D.instRLE, rows),
            rleSize: try contents.int32s(D.instRLESize, rows, rowShape: [2]), polygons: try polygonTexts(rows),
            extra: try contents.strings(D.instExtra, rows))
    }
}
