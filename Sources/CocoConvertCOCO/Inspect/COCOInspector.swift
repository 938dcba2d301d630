import Foundation
import CocoConvertCore

/// The engine of `cococonvert inspect` for COCO files.
public enum COCOInspector {
    /// Options of an inspection.
    public struct Options: Sendable {
        /// Parse and validate every record (as a conversion would), not only index the file.
        public var deep: Bool
        /// The image directory to check in a deep inspection (nil: the COCO convention, if it exists).
        public var imagesDirectory: String?
        /// How many problems to list in detail.
        public var problemLimit: Int
        public var limits: Limits

        public init(deep: Bool = false, imagesDirectory: String? = nil, problemLimit: Int = 100, limits: Limits = .standard) {
            self.deep = deep
            self.imagesDirectory = imagesDirectory
            self.problemLimit = problemLimit
            self.limits = limits
        }
    }

    /// Inspects the COCO file at `path`.
    ///
    /// The quick inspection is one sequential pass (the reader's index pass): counts, sizes, and the
    /// problems that pass can see (broken records, unknown or duplicate ids, undeclared categories,
    /// missing sizes). A deep inspection also parses every record, checking types, masks and sizes.
    /// - Throws: `ConversionError` when the file cannot be read or is not well-formed JSON.
    public static func inspect(path: String, options: Options = Options()) throws -> COCOInspection {
        let started = Date()
        let file = try ReadOnlyFile(path: path)
        let index = try COCOIndexer(file: file, limits: options.limits, problemCap: options.problemLimit).build()
        let parser = COCORecordParser(path: path, limits: options.limits)
        var categoryProblems = ProblemList(cap: options.problemLimit)
        var categories: [Category] = []
        if let member = index.topLevel.first(where: { $0.key == "categories" }) {
            categories = try parser.parseCategories(member, problems: &categoryProblems)
        }
        var problems = categoryProblems.sortedItems + index.problems
        var problemCount = categoryProblems.count + index.problemCount
        // Other top-level members are copied verbatim by conversions, which refuse them when they are
        // not well-formed (too deep, for one): the inspection says so too.
        for member in index.topLevel where member.key != "categories" {
            do {
                _ = try parser.rawText(member)
            } catch let error as ConversionError {
                problems.append(error)
                problemCount += 1
            }
        }
        var seconds = Date().timeIntervalSince(started)

        var imagesDirectory: String?
        var imagesMissing: Int?
        if options.deep {
            // Pass-1 problems are found again by the reader; take its complete list instead.
            let deepStarted = Date()
            let collector = ProblemCollector(limit: options.problemLimit)
            let reader = try COCOReader(path: path, imagesDirectory: options.imagesDirectory,
                                        skips: SkipReport(policy: .skip), limits: options.limits, onProblem: collector.add)
            imagesDirectory = reader.imagesDirectory
            var missing = 0
            while let sample = try reader.next() {
                if case .file(let image) = sample.image, !FileManager.default.fileExists(atPath: image) {
                    missing += 1
                    collector.add(ConversionError(.missingFile, "the image file \(image) does not exist",
                                                  context: ErrorContext(file: path, imageID: sample.id, field: "file_name")))
                }
            }
            imagesMissing = imagesDirectory == nil ? nil : missing
            problems = collector.problems
            problemCount = collector.count
            seconds += Date().timeIntervalSince(deepStarted)
        } else {
            problems = (problems + index.findings).sorted { ($0.context.byteOffset ?? .max) < ($1.context.byteOffset ?? .max) }
            problemCount += index.findingCount
            seconds = Date().timeIntervalSince(started)
        }

        let stats = index.statistics
        let names = Dictionary(categories.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
        let ids = Set(names.keys).union(stats.perCategory.keys).sorted()
        let perCategory = ids.map {
            COCOInspection.CategoryCount(id: $0, name: names[$0], instances: stats.perCategory[$0] ?? 0,
                                         crowd: stats.crowdPerCategory[$0] ?? 0)
        }
        let sizes = stats.sizes.map { COCOInspection.SizeCount(width: $0.key.width, height: $0.key.height, images: $0.value) }
            .sorted { ($0.images, $1.width, $1.height) > ($1.images, $0.width, $0.height) }
        var segmentation: [String: Int] = [:]
        for (name, count) in [("polygons", stats.polygons), ("uncompressed_rle", stats.uncompressedRLE),
                              ("compressed_rle", stats.compressedRLE), ("none", stats.noSegmentation),
                              ("other", stats.otherSegmentation)] where count > 0 {
            segmentation[name] = count
        }
        return COCOInspection(
            path: path, kind: index.kind.rawValue, fileBytes: stats.fileBytes,
            split: COCOLayout.split(ofAnnotationFile: path), images: index.imageCount,
            annotations: stats.annotationRecords, instances: stats.instances, categories: categories.count,
            crowd: stats.crowd, imagesWithoutAnnotations: stats.imagesWithoutAnnotations, segmentation: segmentation,
            perCategory: perCategory, imageSizes: sizes, imagesDirectory: imagesDirectory, imagesMissing: imagesMissing,
            deep: options.deep, problems: Array(problems.prefix(options.problemLimit)).map(COCOInspection.Problem.init),
            problemCount: problemCount, seconds: seconds)
    }
}

/// Collects the problems a reader reports (deep inspection).
private final class ProblemCollector: @unchecked Sendable {
    private let lock = NSLock()
    private let limit: Int
    private(set) var problems: [ConversionError] = []
    private(set) var count = 0

    init(limit: Int) {
        self.limit = limit
    }

    func add(_ error: ConversionError) {
        lock.lock()
        defer { lock.unlock() }
        count += 1
        if problems.count < limit { problems.append(error) }
    }
}
