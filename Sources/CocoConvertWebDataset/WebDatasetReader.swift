import CocoConvertCore
import CocoConvertLabelMaps
import CocoConvertPNG
import CocoConvertTar
import Foundation

/// Options of ``WebDatasetReader``.
public struct WebDatasetReaderOptions: Sendable {
    /// Read only the shards `<split>-*.tar` of a directory.
    public var split: String?
    /// Categories to use (`--category-file FILE`, a COCO JSON) instead of the manifest's or the samples'.
    public var categories: [Category]?
    /// Value → category of label-PNG-only samples; nil: contiguous values 1…N in category order
    /// (what the PNG and WebDataset writers write by default).
    public var labelSchema: (@Sendable (DatasetHeader) throws -> LabelSchema)?
    public var limits: Limits
    /// The largest member (image, JSON, PNG) read.
    public var maxMemberBytes: Int

    public init(split: String? = nil, categories: [Category]? = nil,
                labelSchema: (@Sendable (DatasetHeader) throws -> LabelSchema)? = nil,
                limits: Limits = .standard, maxMemberBytes: Int = 1 << 30) {
        self.split = split
        self.categories = categories
        self.labelSchema = labelSchema
        self.limits = limits
        self.maxMemberBytes = maxMemberBytes
    }
}

/// Reads WebDataset tar shards: a `.tar` file or a directory of them (formats/webdataset.md).
/// cococonvert's own shards, and other tools' with the same conventions: per key an image and a
/// COCO-style `.json` (annotations with masks), or an image and a label `.png`.
///
/// Streams: the archives are read sequentially with positional reads, nothing is extracted, and
/// memory holds one sample. The header's categories come from `--category-file`, else the
/// `<split>.dataset.json` beside the shards, else a first pass over the samples' JSON members only
/// (their `category_id`/`category_name`), which skips image bytes without reading them.
public final class WebDatasetReader: DatasetReader {
    public let header: DatasetHeader
    public let archives: [String]
    private let options: WebDatasetReaderOptions
    private let skips: SkipReport
    private let stream: TarSampleStream
    private let valueCategories: [UInt32: Int64]
    private let schema: LabelSchema
    private var position = 0

    /// Image member extensions, most specific first. `png` is the image only when no other image
    /// member is there (it is the label map otherwise).
    static let imageExtensions = ["jpg", "jpeg", "jpe", "webp", "image.png", "gif", "bmp", "tif", "tiff", "ppm", "img"]
    static let labelExtensions = ["seg.png", "label.png", "mask.png"]

    public init(path: String, options: WebDatasetReaderOptions = WebDatasetReaderOptions(), skips: SkipReport) throws {
        self.options = options
        self.skips = skips
        archives = try Self.listArchives(path, split: options.split)
        let manifest = try Self.manifest(for: archives, input: path, split: options.split)
        var categories = options.categories ?? manifest?.categories
        var count = manifest?.samples
        if categories == nil || count == nil {
            let scan = Self.prescan(archives, limits: options.limits)
            categories = categories ?? scan.categories
            count = count ?? scan.samples
        }
        var header = DatasetHeader(kind: manifest?.kind ?? .instances, categories: categories ?? [], info: manifest?.info,
                                   licenses: manifest?.licenses, split: manifest?.split ?? options.split ?? Self.splitName(archives.first),
                                   sampleCount: count)
        schema = try options.labelSchema?(header) ?? .contiguous(header.categories)
        var byValue: [UInt32: Int64] = [:]
        for entry in schema.entries where byValue[entry.value] == nil { byValue[entry.value] = entry.categoryID }
        valueCategories = byValue
        if options.labelSchema != nil { header.labelSchema = schema }
        self.header = header
        stream = TarSampleStream(archives: archives)
    }

    public func next() throws -> Sample? {
        while true {
            let group: TarSample
            do {
                guard let next = try stream.next() else { return nil }
                group = next
            } catch let error as ConversionError where error.isItemProblem {
                try skips.report(error)
                continue
            }
            position += 1
            do {
                return try sample(group)
            } catch let error as ConversionError where error.isItemProblem {
                try skips.report(error.adding(group.context))
            }
        }
    }

    private func sample(_ group: TarSample) throws -> Sample {
        let context = group.context
        var decoded: SampleJSON.Decoded?
        if let json = group.member("json") {
            let bytes = try group.contents(json, maxBytes: min(options.maxMemberBytes, 256 << 20))
            decoded = try SampleJSON.decode(bytes, context: ErrorContext(field: "\(group.key).json").merged(with: context),
                                            limits: options.limits)
        }
        let exts = group.members.map { $0.ext.lowercased() }
        var imageExt = Self.imageExtensions.first { exts.contains($0) }
        var labelExt = Self.labelExtensions.first { exts.contains($0) }
        if exts.contains("png") {
            if imageExt == nil && decoded != nil { imageExt = "png" } else if labelExt == nil { labelExt = "png" }
        }
        var label: DecodedPNG?
        if decoded == nil, let labelExt, let member = group.member(labelExt) {
            label = try PNGDecoder.decode(try group.contents(member, maxBytes: options.maxMemberBytes), limits: options.limits,
                                          file: group.archive.path + ":" + member.name)
        }
        let id = decoded?.imageID ?? Int64(group.key.split(separator: "/").last.map(String.init) ?? "") ?? Int64(position)
        let sampleContext = ErrorContext(imageID: id).merged(with: context)
        var image = ImageSource.none
        if let imageExt, let member = group.member(imageExt) {
            image = .bytes(try group.contents(member, maxBytes: options.maxMemberBytes))
        }
        let width = decoded?.width ?? label?.width ?? 0
        let height = decoded?.height ?? label?.height ?? 0
        var instances = decoded?.instances ?? []
        if let label {
            instances = try labelInstances(label, context: sampleContext)
        }
        let fileExt = imageExt.map { $0 == "image.png" ? "png" : $0 } ?? "jpg"
        let fileName = decoded?.fileName ?? (group.key.split(separator: "/").last.map(String.init) ?? group.key) + "." + fileExt
        return Sample(id: id, fileName: fileName, width: width, height: height, image: image, instances: instances,
                      extra: decoded?.imageExtra ?? [])
    }

    /// One instance per class value present in a label PNG (gray or palette indices).
    private func labelInstances(_ png: DecodedPNG, context: ErrorContext) throws -> [Instance] {
        guard png.colorType == .gray || png.colorType == .palette else {
            throw ConversionError(.unsupported, "the label PNG is not gray or palette (values per pixel)", context: context,
                                  hint: "write label maps as 8/16-bit gray or palette PNGs")
        }
        let plane = LabelPlane(width: png.width, height: png.height, pixels: png.samples.map(UInt32.init))
        var present = Set<UInt32>()
        for v in plane.pixels { present.insert(v) }
        var instances: [Instance] = []
        for value in present.sorted() where value != schema.background && value != schema.ignoreIndex {
            guard let category = valueCategories[value] else {
                try skips.report(ConversionError(.unknownCategory, "label value \(value) has no category",
                                                 context: ErrorContext(field: "value \(value)").merged(with: context),
                                                 hint: "give --category-file FILE and --labels FILE (or a preset) that cover it"))
                continue
            }
            instances.append(Instance(id: nil, categoryID: category, geometry: .labelValue(plane, value)))
        }
        return instances
    }

    // MARK: Finding the shards

    static func listArchives(_ path: String, split: String?) throws -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ConversionError(.io, "no such file or directory", context: ErrorContext(file: path),
                                  hint: "give a .tar shard or a directory of them")
        }
        guard isDirectory.boolValue else { return [path] }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: path)
        } catch {
            throw ConversionError(.io, "cannot list the directory: \(error.localizedDescription)", context: ErrorContext(file: path))
        }
        var tars = names.filter { $0.lowercased().hasSuffix(".tar") && !$0.hasPrefix(".") }.sorted()
        if let split {
            tars = tars.filter { $0.hasPrefix(split + "-") }
            guard !tars.isEmpty else {
                throw ConversionError(.malformedInput, "the directory has no shards of split '\(split)' (\(split)-*.tar)",
                                      context: ErrorContext(file: path), hint: "check --split")
            }
        }
        guard !tars.isEmpty else {
            throw ConversionError(.malformedInput, "the directory holds no .tar shards", context: ErrorContext(file: path),
                                  hint: "give a directory of WebDataset .tar shards")
        }
        return tars.map { PathText.join(path, $0) }
    }

    /// `train` for `…/train-000012.tar`.
    static func splitName(_ archive: String?) -> String? {
        guard let archive else { return nil }
        let name = URL(fileURLWithPath: archive).deletingPathExtension().lastPathComponent
        guard let dash = name.lastIndex(of: "-"), dash != name.startIndex else { return nil }
        return String(name[..<dash])
    }

    static func manifest(for archives: [String], input: String, split: String?) throws -> WebDatasetManifest? {
        guard let first = archives.first, let name = split ?? splitName(first) else { return nil }
        let directory = URL(fileURLWithPath: first).deletingLastPathComponent().path
        return try WebDatasetManifest.load(path: PathText.join(directory, WebDatasetManifest.fileName(split: name)))
    }

    /// Categories and sample count from the JSON members alone. Damage is left for the real pass to report.
    static func prescan(_ archives: [String], limits: Limits) -> (categories: [Category], samples: Int) {
        let stream = TarSampleStream(archives: archives)
        var categories: [Category] = []
        var seen = Set<Int64>()
        var samples = 0
        while true {
            let group: TarSample
            do {
                guard let next = try stream.next() else { break }
                group = next
            } catch {
                continue
            }
            samples += 1
            guard let json = group.member("json"), let bytes = try? group.contents(json, maxBytes: 256 << 20),
                  let decoded = try? SampleJSON.decode(bytes, context: group.context, limits: limits) else { continue }
            var names: [Int64: String] = [:]
            for (id, name) in decoded.categoryNames { names[id] = name }
            for instance in decoded.instances where seen.insert(instance.categoryID).inserted {
                categories.append(Category(id: instance.categoryID, name: names[instance.categoryID] ?? String(instance.categoryID)))
            }
        }
        categories.sort { $0.id < $1.id }
        return (categories, samples)
    }
}
