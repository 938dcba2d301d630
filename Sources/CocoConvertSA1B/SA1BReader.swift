import CocoConvertCore
import CocoConvertTar
import CocoConvertWebDataset
import Foundation

/// Reads SA-1B (Segment Anything 1B; formats/sa1b.md): a directory of `sa_*.tar` files, one such
/// tar, or an unpacked directory of `sa_*.jpg` + `sa_*.json`.
///
/// Each per-image JSON (`{"image": {"image_id", "width", "height", "file_name"}, "annotations":
/// [...]}`) becomes a sample; each annotation an instance of the one class-agnostic category
/// (id 1, `object`) with its compressed RLE kept verbatim, `bbox` and `area` as given, and
/// `predicted_iou`, `stability_score`, `point_coords`, `crop_box` kept as extra fields (COCO
/// output writes them back). Images stream out of the tars as bytes: nothing is unpacked, and
/// memory holds one sample whatever the number of tars.
public final class SA1BReader: DatasetReader {
    /// The single class-agnostic category.
    public static let category = Category(id: 1, name: "object")

    public let header: DatasetHeader
    private let skips: SkipReport
    private let limits: Limits
    private enum Source {
        case archives(TarSampleStream)
        /// Unpacked: the JSON files in name order, and the next one to read.
        case files(directory: String, jsons: [String])
    }
    private let source: Source
    private var nextFile = 0

    /// The largest member or file read (images, JSON).
    public static let maxMemberBytes = 1 << 30

    public init(path: String, skips: SkipReport, limits: Limits = .standard) throws {
        self.skips = skips
        self.limits = limits
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ConversionError(.io, "no such file or directory", context: ErrorContext(file: path),
                                  hint: "give a directory of sa_*.tar files, one sa_*.tar, or a directory of sa_*.jpg + sa_*.json")
        }
        var count: Int?
        if isDirectory.boolValue {
            let names: [String]
            do {
                names = try FileManager.default.contentsOfDirectory(atPath: path).filter { !$0.hasPrefix(".") }.sorted()
            } catch {
                throw ConversionError(.io, "cannot list the directory: \(error.localizedDescription)", context: ErrorContext(file: path))
            }
            let tars = names.filter { $0.lowercased().hasSuffix(".tar") }
            let jsons = names.filter { $0.lowercased().hasSuffix(".json") }
            if !tars.isEmpty {
                source = .archives(TarSampleStream(archives: tars.map { PathText.join(path, $0) }))
            } else if !jsons.isEmpty {
                source = .files(directory: path, jsons: jsons)
                count = jsons.count
            } else {
                throw ConversionError(.malformedInput, "the directory holds neither sa_*.tar files nor sa_*.json files",
                                      context: ErrorContext(file: path),
                                      hint: "give the directory of SA-1B tar files, or of the unpacked sa_*.jpg + sa_*.json")
            }
        } else {
            source = .archives(TarSampleStream(archives: [path]))
        }
        // One split name whatever the input is called: writers name their files after it, and
        // `sa_000020-000000.tar` would look like SA-1B again.
        header = DatasetHeader(kind: .instances, categories: [Self.category], split: "sa1b", sampleCount: count)
    }

    public func next() throws -> Sample? {
        while true {
            do {
                switch source {
                case .archives(let stream):
                    let group: TarSample
                    do {
                        guard let next = try stream.next() else { return nil }
                        group = next
                    } catch let error as ConversionError where error.isItemProblem {
                        try skips.report(error)
                        continue
                    }
                    do {
                        return try sample(group)
                    } catch let error as ConversionError where error.isItemProblem {
                        try skips.report(error.adding(group.context))
                    }
                case .files(let directory, let jsons):
                    guard nextFile < jsons.count else { return nil }
                    let name = jsons[nextFile]
                    nextFile += 1
                    let path = PathText.join(directory, name)
                    do {
                        return try sample(jsonFile: path, directory: directory)
                    } catch let error as ConversionError where error.isItemProblem {
                        try skips.report(error.adding(ErrorContext(file: path)))
                    }
                }
            }
        }
    }

    private func sample(_ group: TarSample) throws -> Sample {
        guard let json = group.member("json") else {
            throw ConversionError(.missingFile, "key '\(group.key)' has no .json member", context: group.context,
                                  hint: "SA-1B tars hold sa_N.jpg and sa_N.json for every image")
        }
        let bytes = try group.contents(json, maxBytes: Self.maxMemberBytes)
        let decoded = try decode(bytes, context: ErrorContext(field: json.name).merged(with: group.context))
        let image: ImageSource = try group.member("jpg").map { .bytes(try group.contents($0, maxBytes: Self.maxMemberBytes)) } ?? .none
        return try makeSample(decoded, key: group.key, image: image, context: group.context)
    }

    private func sample(jsonFile path: String, directory: String) throws -> Sample {
        let file = try ReadOnlyFile(path: path)
        guard file.size <= Int64(Self.maxMemberBytes) else {
            throw ConversionError(.limitExceeded, "the JSON file has \(file.size) bytes, more than \(Self.maxMemberBytes)", context: ErrorContext(file: path))
        }
        var bytes: [UInt8] = []
        try file.readExactly(Int(file.size), at: 0, into: &bytes)
        let decoded = try decode(Array(bytes.prefix(Int(file.size))), context: ErrorContext(file: path))
        let stem = String(URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent)
        let imagePath = PathText.join(directory, decoded.fileName.map { PathText.lastComponent(of: $0) } ?? stem + ".jpg")
        let image: ImageSource = FileManager.default.fileExists(atPath: imagePath) ? .file(imagePath) : .none
        return try makeSample(decoded, key: stem, image: image, context: ErrorContext(file: path))
    }

    private func decode(_ bytes: [UInt8], context: ErrorContext) throws -> SampleJSON.Decoded {
        try SampleJSON.decode(bytes, context: context, defaultCategory: Self.category.id, limits: limits)
    }

    private func makeSample(_ decoded: SampleJSON.Decoded, key: String, image: ImageSource, context: ErrorContext) throws -> Sample {
        guard let width = decoded.width, let height = decoded.height else {
            throw ConversionError(.invalidValue, "the image record has no width and height", context: ErrorContext(field: "image").merged(with: context),
                                  hint: "SA-1B JSON gives image.width and image.height")
        }
        // sa_223750 → 223750 when the JSON has no image_id.
        let id = decoded.imageID ?? Int64(key.split(separator: "_").last.map(String.init) ?? "")
        guard let id else {
            throw ConversionError(.invalidValue, "the image record has no image_id", context: ErrorContext(field: "image.image_id").merged(with: context))
        }
        var instances = decoded.instances
        for i in instances.indices where instances[i].categoryID != Self.category.id {
            // SA-1B is class-agnostic: a category_id in the JSON is not SA-1B's; keep it as an extra field.
            instances[i].extra.append(ExtraField(key: "source_category_id", rawJSON: String(instances[i].categoryID)))
            instances[i].categoryID = Self.category.id
        }
        return Sample(id: id, fileName: decoded.fileName ?? key + ".jpg", width: width, height: height, image: image,
                      instances: instances, extra: decoded.imageExtra)
    }
}
