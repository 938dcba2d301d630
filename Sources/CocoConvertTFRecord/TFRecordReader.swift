import CocoConvertCore
import CocoConvertPNG
import Dispatch
import Foundation

/// Options of ``TFRecordReader``.
public struct TFRecordReaderOptions: Sendable {
    /// nil: detected from the first record (`image/segmentation/class/encoded` → DeepLab, boxes → OD).
    public var schema: TFRecordSchema?
    /// Read only `<split>-*` files of a directory; also the header's split name.
    public var split: String?
    /// A `label_map.pbtxt`; nil: `label_map.pbtxt` beside the records, if there is one.
    public var labelMap: String?
    /// DeepLab: the label value that is not a class (no annotation is made for it); nil: from
    /// labels.json, else 0.
    public var background: UInt32?
    /// DeepLab: the label value for "ignore" (no annotation is made for it); nil: from labels.json, else 255.
    public var ignoreIndex: UInt32?
    /// OD: give objects without a mask PNG their box as a polygon mask, so label-map outputs paint
    /// them (default: box-only annotations, which painters leave out).
    public var boxMasks: Bool
    public var limits: Limits

    public init(schema: TFRecordSchema? = nil, split: String? = nil, labelMap: String? = nil,
                background: UInt32? = nil, ignoreIndex: UInt32? = nil, boxMasks: Bool = false,
                limits: Limits = .standard) {
        self.boxMasks = boxMasks
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
///   for crowds, a compressed string otherwise), else just its box (`Geometry.none`, or the box as a
///   polygon with ``TFRecordReaderOptions/boxMasks``); boxes are de-normalised to pixels.
///
/// Categories come from `--label-map`, else cococonvert's `labels.json` beside the records (original
/// category ids), else `label_map.pbtxt`; without any, the records are scanned once first (OD: label
/// ids and class texts; DeepLab: the values in every label PNG).
public final class TFRecordReader: DatasetReader {
    public let header: DatasetHeader
    /// The record files, in reading order.
    public let files: [String]
    public let schema: TFRecordSchema
    private let skips: SkipReport
    private var fileIndex = 0
    private var current: TFRecordFileReader?
    private var recordOrdinal = 0
    private let decoder: TFRecordSampleDecoder
    /// Records decoded ahead, in order (nil once handed out), and the position of the next one.
    private var decoded: [TFRecordSampleDecoder.Outcome?] = []
    private var decodedNext = 0
    private let batchSize: Int

    /// Opens `path` (file, directory or glob) and reads the label map (or scans the records for categories).
    ///
    /// - Throws: `ConversionError` (`io`) when nothing matches, and the errors of the first record.
    public init(path: String, options: TFRecordReaderOptions = TFRecordReaderOptions(), skips: SkipReport) throws {
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
        // Where the classes come from, best first: an explicit --label-map; cococonvert's labels.json
        // (original category ids and label values); label_map.pbtxt; a scan of the records.
        var categories: [Category] = []
        var entries: [LabelEntry] = []
        var background = options.background ?? 0
        var ignoreIndex = options.ignoreIndex ?? 255
        let labelsJSON = directory + "/" + TFRecordLabelsFile.fileName
        let labelMapPath = options.labelMap ?? (directory + "/label_map.pbtxt")
        if options.labelMap == nil, FileManager.default.fileExists(atPath: labelsJSON),
           let file = try TFRecordLabelsFile.read(labelsJSON) {
            categories = file.categories
            entries = file.labelSchema.entries
            if file.schema == .deeplab {
                background = options.background ?? file.labelSchema.background
                ignoreIndex = options.ignoreIndex ?? file.labelSchema.ignoreIndex
            }
        } else if FileManager.default.fileExists(atPath: labelMapPath) {
            let text = try String(contentsOfFile: labelMapPath, encoding: .utf8)
            var seen = Set<Int64>()
            for item in try LabelMapPbtxt(parsing: text, file: labelMapPath).items where seen.insert(item.id).inserted {
                categories.append(Category(id: item.id, name: item.name))
            }
        } else if options.labelMap != nil {
            throw ConversionError(.io, "label map not found", context: ErrorContext(file: labelMapPath))
        } else {
            categories = try Self.scanCategories(files, schema: schema, options: options)
        }
        if entries.isEmpty {
            // pbtxt ids and scanned classes are the label values themselves.
            for c in categories where c.id >= 0 && c.id <= Int64(UInt32.max) {
                entries.append(LabelEntry(value: UInt32(c.id), categoryID: c.id, name: c.name))
            }
        }
        var names: [String: Int64] = [:]
        for c in categories where names[c.name] == nil { names[c.name] = c.id }
        var values: [UInt32: Int64] = [:]
        for e in entries where values[e.value] == nil { values[e.value] = e.categoryID }
        decoder = TFRecordSampleDecoder(schema: schema, limits: options.limits, idForName: names,
                                        knownCategories: Set(categories.map(\.id)), valueToCategory: values,
                                        background: background, ignoreIndex: ignoreIndex, boxMasks: options.boxMasks)
        batchSize = max(8, 4 * ProcessInfo.processInfo.activeProcessorCount)
        var count: Int? = 0
        for file in files {
            if let n = TFRecordFileReader.countRecords(path: file), let sum = count { count = sum + n } else { count = nil }
        }
        let split = options.split ?? Self.splitName(of: first)
        switch schema {
        case .deeplab:
            header = DatasetHeader(kind: .semantic, categories: categories, split: split, sampleCount: count,
                                   labelSchema: LabelSchema(entries: entries, background: background, ignoreIndex: ignoreIndex))
        case .od:
            header = DatasetHeader(kind: .instances, categories: categories, split: split, sampleCount: count)
        }
    }

    /// The next sample. Records are read in order and decoded a batch at a time on all cores
    /// (PNG decoding dominates); problems go to the skip report in record order.
    public func next() throws -> Sample? {
        while true {
            if decodedNext == decoded.count {
                try decodeBatch()
                if decoded.isEmpty { return nil }
            }
            let slot = decodedNext
            decodedNext += 1
            guard let outcome = decoded[slot] else { continue }
            decoded[slot] = nil  // hand the sample's memory over with it
            for report in outcome.reports { try skips.report(report) }
            switch outcome.sample {
            case .success(let sample): return sample
            case .failure(let error): try skips.report(error)
            }
        }
    }

    /// Reads up to `batchSize` records and decodes them concurrently into `decoded`.
    private func decodeBatch() throws {
        decoded = []
        decodedNext = 0
        var batch: [(payload: [UInt8], context: ErrorContext, ordinal: Int)] = []
        while batch.count < batchSize {
            if current == nil {
                guard fileIndex < files.count else { break }
                current = try TFRecordFileReader(path: files[fileIndex])
                fileIndex += 1
            }
            guard let reader = current else { continue }
            do {
                guard let payload = try reader.next() else {
                    current = nil
                    continue
                }
                recordOrdinal += 1
                batch.append((payload, ErrorContext(file: reader.path, byteOffset: Int(clamping: reader.lastRecordOffset),
                                                    field: "record \(reader.recordIndex - 1)"), recordOrdinal))
            } catch let error as ConversionError {
                // Reported in order: after the records read before it.
                if batch.isEmpty { try skips.report(error); continue }
                pendingError = error
                break
            }
        }
        let results = ResultSlots(count: batch.count)
        let decoder = self.decoder
        let work = batch
        DispatchQueue.concurrentPerform(iterations: work.count) { i in
            results.set(i, decoder.decode(work[i].payload, context: work[i].context, ordinal: work[i].ordinal))
        }
        decoded = results.values
        if let error = pendingError {
            pendingError = nil
            decoded.append(TFRecordSampleDecoder.Outcome(sample: .failure(error), reports: []))
        }
    }

    private var pendingError: ConversionError?

    // MARK: Files, schema, categories

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
                          let plane = try? TFRecordSampleDecoder.labelPlane(png, width: Int(w), height: Int(h), limits: options.limits,
                                                      context: ErrorContext())
                    else { continue }
                    values.formUnion(TFRecordSampleDecoder.distinctValues(plane))
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
            return values.subtracting([options.background ?? 0, options.ignoreIndex ?? 255]).sorted()
                .map { Category(id: Int64($0), name: "class_\($0)") }
        }
    }
}

/// Fixed slots filled concurrently, one writer per slot.
private final class ResultSlots: @unchecked Sendable {
    private var slots: [TFRecordSampleDecoder.Outcome?]
    private let lock = NSLock()

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ i: Int, _ value: TFRecordSampleDecoder.Outcome) {
        lock.lock()
        slots[i] = value
        lock.unlock()
    }

    var values: [TFRecordSampleDecoder.Outcome?] {
        lock.lock()
        defer { lock.unlock() }
        return slots
    }
}
