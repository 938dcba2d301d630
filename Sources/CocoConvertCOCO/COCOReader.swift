import Foundation
import CocoConvertCore

/// Reads a COCO annotation file (instances, COCO-Stuff, results list or panoptic) as a stream of
/// samples, one image at a time, in the order of the `images` array.
///
/// Construction runs pass 1 (``COCOIndexer``): one sequential read that records the byte range of every
/// image and annotation record, grouped by image, in about 16 bytes per annotation. ``next()`` then reads
/// one image record and its annotations with positional reads and parses them in full. Memory stays flat
/// however large the file is; key order in the file does not matter.
///
/// Every problem is a `ConversionError` naming the file, byte offset and ids. Under
/// `--on-error skip` the bad record is left out and reported to the ``SkipReport``; a bad image
/// record leaves out its annotations too.
///
/// Results files (a bare array) have no images or categories: a sample is made for each `image_id` in
/// order of first appearance, sized by its first RLE (`0×0` without masks), with `fileName` the image id
/// and no image file; the categories are made up from the ids seen (named `category_<id>`).
public final class COCOReader: IndexedDatasetReader {
    /// Kind, categories, `info`, `licenses` and top-level extras; available before ``next()``.
    public let header: DatasetHeader
    /// The annotation file.
    public let path: String
    /// Where sample images are looked up (nil: no image directory).
    public let imagesDirectory: String?

    private let file: ReadOnlyFile
    private(set) var index: COCOIndex
    private let skips: SkipReport
    /// Sees every problem before the skip report does (deep inspection).
    private let onProblem: ((ConversionError) -> Void)?
    private let limits: Limits
    private let parser: COCORecordParser
    private let declaredCategories: Set<Int64>?
    private let imagesExist: Bool
    private var nextImage = 0
    private var recordBuffer: [UInt8] = []
    private var groupBuffer: [UInt8] = []

    /// Opens `path` and indexes it.
    /// - Parameters:
    ///   - imagesDirectory: the images directory; nil for the COCO convention
    ///     (`annotations/instances_val2017.json` → `val2017/` beside `annotations/`), used only if it exists.
    ///   - skips: the error policy; problems found while indexing are reported to it right away.
    /// - Throws: `ConversionError` for unreadable or malformed files, and under `fail` for the first bad record.
    public convenience init(path: String, imagesDirectory: String? = nil, skips: SkipReport, limits: Limits = .standard) throws {
        try self.init(path: path, imagesDirectory: imagesDirectory, skips: skips, limits: limits, onProblem: nil)
    }

    /// As the public initialiser, with a hook that sees each problem before it is reported.
    init(path: String, imagesDirectory: String?, skips: SkipReport, limits: Limits,
         onProblem: ((ConversionError) -> Void)?) throws {
        self.path = path
        self.skips = skips
        self.onProblem = onProblem
        self.limits = limits
        file = try ReadOnlyFile(path: path)
        parser = COCORecordParser(path: path, limits: limits)
        index = try COCOIndexer(file: file, limits: limits, problemCap: skips.policy == .skip ? nil : 10_000).build()

        var categories: [Category] = []
        var problems = ProblemList(cap: nil)
        var info: String?
        var licenses: String?
        var extra: [ExtraField] = []
        for member in index.topLevel {
            switch member.key {
            case "categories": categories = try parser.parseCategories(member, problems: &problems)
            case "info": info = try parser.rawText(member)
            case "licenses": licenses = try parser.rawText(member)
            default: extra.append(ExtraField(key: member.key, rawJSON: try parser.rawText(member)))
            }
        }
        let hasCategories = index.topLevel.contains { $0.key == "categories" }
        if index.kind == .results && !hasCategories {
            categories = index.statistics.perCategory.keys.sorted().map { Category(id: $0, name: "category_\($0)") }
            declaredCategories = nil
        } else {
            declaredCategories = Set(categories.map(\.id))
        }
        let indexProblems = (problems.sortedItems + index.problems).sorted { ($0.context.byteOffset ?? 0) < ($1.context.byteOffset ?? 0) }
        index.problems = []

        if let imagesDirectory {
            self.imagesDirectory = imagesDirectory
            imagesExist = true
        } else if let conventional = COCOLayout.defaultImagesDirectory(forAnnotationFile: path) {
            var isDirectory: ObjCBool = false
            imagesExist = FileManager.default.fileExists(atPath: conventional, isDirectory: &isDirectory) && isDirectory.boolValue
            self.imagesDirectory = imagesExist ? conventional : nil
        } else {
            self.imagesDirectory = nil
            imagesExist = false
        }
        header = DatasetHeader(kind: index.kind, categories: categories, info: info, licenses: licenses, extra: extra,
                               split: COCOLayout.split(ofAnnotationFile: path), sampleCount: index.imageCount)
        for problem in indexProblems {
            try report(problem)
        }
    }

    /// Images consumed so far (positions in the file's image order).
    public var position: Int { nextImage }

    /// Passes over images without parsing them (a partition starting at its block).
    public func skip(to position: Int) {
        nextImage = max(nextImage, min(position, index.imageCount))
    }

    /// The next image with its annotations, or nil after the last image.
    /// - Throws: `ConversionError`; under `skip`, bad records are reported and left out instead.
    public func next() throws -> Sample? {
        while nextImage < index.imageCount {
            let i = nextImage
            nextImage += 1
            do {
                if let sample = try makeSample(i) { return sample }
            } catch let error as ConversionError {
                try report(error)
            }
        }
        return nil
    }

    /// Passes a problem to the hook and the skip report (which rethrows under `fail`).
    func report(_ error: ConversionError) throws {
        onProblem?(error)
        try skips.report(error)
    }

    // MARK: Samples

    func makeSample(_ i: Int) throws -> Sample? {
        let offset = index.imageOffsets[i]
        var image: ImageRecord?
        if offset >= 0 {
            let length = Int(index.imageLengths[i])
            try file.readExactly(length, at: offset, into: &recordBuffer)
            do throws(ConversionError) {
                image = try recordBuffer.withUnsafeBufferPointer { buffer throws(ConversionError) in
                    try parser.parseImage(UnsafeBufferPointer(rebasing: buffer[0..<length]), offset: offset)
                }
            } catch {
                let left = annotationCount(of: i)
                var failed = error
                if left > 0 && failed.hint == nil { failed.hint = "--on-error skip leaves out the image and its \(left) annotation(s)" }
                throw failed
            }
        }
        let imageID = image?.id ?? index.imageIDs[i]
        if index.kind == .panoptic {
            return try makePanopticSample(i, image: image, imageID: imageID)
        }
        var instances: [Instance] = []
        try forEachAnnotation(of: i) { bytes, annotationOffset in
            do throws(ConversionError) {
                instances.append(try parser.parseAnnotation(bytes, offset: annotationOffset, image: image,
                                                            categories: declaredCategories, imageID: imageID))
            } catch {
                try report(error)
            }
        }
        if let image {
            return Sample(id: image.id, fileName: image.fileName, width: image.width, height: image.height,
                          image: imageSource(image.fileName), instances: instances, extra: image.extra)
        }
        // Results file: the image is made up; its size comes from the masks, which must agree.
        var size: (height: Int, width: Int)?
        var kept: [Instance] = []
        for instance in instances {
            var own: (height: Int, width: Int)?
            switch instance.geometry {
            case .rle(let r): own = (r.height, r.width)
            case .compressedRLE(let r): own = (r.height, r.width)
            default: own = nil
            }
            if let own, let known = size, own != known {
                try report(ConversionError(.sizeMismatch, "the mask is \(own.height)×\(own.width) but earlier results for the image are \(known.height)×\(known.width)",
                                                 context: ErrorContext(file: path, imageID: imageID, field: "segmentation")))
                continue
            }
            if size == nil { size = own }
            kept.append(instance)
        }
        return Sample(id: imageID, fileName: String(imageID), width: size?.width ?? 0, height: size?.height ?? 0,
                      image: .none, instances: kept)
    }

    private func makePanopticSample(_ i: Int, image: ImageRecord?, imageID: Int64) throws -> Sample? {
        guard let image else { return nil }
        var record: PanopticAnnotationRecord?
        try forEachAnnotation(of: i) { bytes, annotationOffset in
            record = try parser.parsePanoptic(bytes, offset: annotationOffset, categories: declaredCategories, imageID: imageID)
        }
        var sample = Sample(id: image.id, fileName: image.fileName, width: image.width, height: image.height,
                            image: imageSource(image.fileName), extra: image.extra)
        guard let record else { return sample }
        let pngName = COCOLayout.safeRelativePath(record.fileName) ?? ""
        let pngPath = COCOLayout.panopticDirectory(forAnnotationFile: path) + "/" + pngName
        let plane: LabelPlane
        do {
            plane = try PanopticPlaneLoader.load(path: pngPath, width: image.width, height: image.height, limits: limits)
        } catch var error as ConversionError {
            error = error.adding(ErrorContext(imageID: image.id))
            if error.hint == nil { error.hint = "--on-error skip leaves out the image and its \(record.segments.count) segment(s)" }
            throw error
        }
        sample.instances = record.segments.map { segment in
            var instance = segment
            instance.geometry = .labelValue(plane, UInt32(truncatingIfNeeded: segment.id ?? 0))
            return instance
        }
        sample.panoptic = PanopticRecord(fileName: record.fileName, extra: record.extra)
        return sample
    }

    private func imageSource(_ fileName: String) -> ImageSource {
        guard imagesExist, let directory = imagesDirectory, let relative = COCOLayout.safeRelativePath(fileName) else { return .none }
        return .file(directory + "/" + relative)
    }

    private func annotationCount(of image: Int) -> Int {
        var n = 0
        var k = index.imageFirstAnnotation[image]
        while k >= 0 {
            n += 1
            k = index.annotationNext[Int(k)]
        }
        return n
    }

    /// Reads the annotations of image `image` in file order, coalescing nearby records into one read.
    private func forEachAnnotation(of image: Int, _ body: (UnsafeBufferPointer<UInt8>, Int64) throws -> Void) throws {
        var k = index.imageFirstAnnotation[image]
        while k >= 0 {
            // A group: consecutive annotations (in the list) whose records lie close together in the file.
            let groupStart = index.annotationOffsets[Int(k)]
            var groupEnd = groupStart + Int64(index.annotationLengths[Int(k)])
            var members: [Int32] = [k]
            var j = index.annotationNext[Int(k)]
            while j >= 0 {
                let start = index.annotationOffsets[Int(j)]
                let end = start + Int64(index.annotationLengths[Int(j)])
                guard start >= groupEnd, start - groupEnd <= 65_536, end - groupStart <= 8 << 20 else { break }
                groupEnd = end
                members.append(j)
                j = index.annotationNext[Int(j)]
            }
            let length = Int(groupEnd - groupStart)
            try file.readExactly(length, at: groupStart, into: &groupBuffer)
            try groupBuffer.withUnsafeBufferPointer { buffer in
                for member in members {
                    let offset = index.annotationOffsets[Int(member)]
                    let from = Int(offset - groupStart)
                    let slice = UnsafeBufferPointer(rebasing: buffer[from..<from + Int(index.annotationLengths[Int(member)])])
                    try body(slice, offset)
                }
            }
            k = j
        }
    }
}
