import CocoConvertCore
import Foundation

/// Reads an Ultralytics YOLO dataset (formats/yolo.md): `data.yaml` for the names and splits, the
/// images of one split (their sizes from the JPEG/PNG headers; never decoded), and each image's
/// label file.
///
/// Image ids are the file stems when they are numbers (COCO's `000000397133.jpg` → 397133),
/// otherwise 1, 2, 3… after the largest used; annotation ids are 1, 2, 3… in reading order.
/// Boxes become box-only instances; polygons are scaled back to pixels.
public final class YOLOReader: DatasetReader {
    public let header: DatasetHeader
    /// The image directory read and its label directory.
    public let imagesDirectory: String
    public let labelsDirectory: String
    private let skips: SkipReport
    private let images: [String]
    private var position = 0
    private var usedIDs: Set<Int64> = []
    private var nextID: Int64 = 1
    private var nextAnnotationID: Int64 = 1
    private var reportedOrphans = false

    static let imageExtensions: Set<String> = ["jpg", "jpeg", "png", "bmp", "webp", "tif", "tiff"]
    /// Largest label file read (a label file is a few lines per object).
    static let maximumLabelBytes = 256 << 20

    /// - Parameters:
    ///   - path: the dataset root (holding data.yaml, or images/ and labels/), or its data.yaml.
    ///   - split: the split to read (a data.yaml key such as `val`, or a directory name such as
    ///     `val2017`); needed only when the dataset has several.
    public init(path: String, split: String?, skips: SkipReport) throws {
        self.skips = skips
        var root = path
        var data: YOLODataFile?
        let probe = InputProbe(path: path)
        guard probe.exists else {
            throw ConversionError(.io, "no such file or directory", context: ErrorContext(file: path))
        }
        if !probe.isDirectory {
            data = try YOLODataFile.read(path)
            root = PathText.parent(of: path)
        } else if InputProbe.fileExists(PathText.join(path, YOLOLayout.dataFileName)) {
            data = try YOLODataFile.read(PathText.join(path, YOLOLayout.dataFileName))
        }
        if let base = data?.path, base.hasPrefix("/") { root = base }
        let directory = try Self.chooseSplit(root: root, data: data, split: split)
        imagesDirectory = directory
        labelsDirectory = Self.labelsDirectory(forImages: directory)
        images = Self.listImages(directory)

        var names = data?.names ?? []
        if data == nil {
            names = (0..<(try Self.largestClass(labelsDirectory) + 1)).map { "class_\($0)" }
        }
        let ids = data?.categoryIDs
        let categories = names.enumerated().map { Category(id: ids?[$0.offset] ?? Int64($0.offset), name: $0.element) }
        header = DatasetHeader(kind: .instances, categories: categories, split: PathText.lastComponent(of: directory),
                               sampleCount: images.count)
    }

    public func next() throws -> Sample? {
        while position < images.count {
            let relative = images[position]
            position += 1
            let imagePath = PathText.join(imagesDirectory, relative)
            guard let size = ImageSize.read(file: imagePath) else {
                try skips.report(ConversionError(.invalidValue, "cannot read the image size (JPEG and PNG headers are read)",
                                                 context: ErrorContext(file: imagePath),
                                                 hint: "convert the image to JPEG or PNG, or remove it"))
                continue
            }
            let id = imageID(for: relative)
            var sample = Sample(id: id, fileName: relative, width: size.width, height: size.height, image: .file(imagePath))
            let labelPath = PathText.join(labelsDirectory, YOLOLayout.labelName(forImageName: relative))
            if InputProbe.fileExists(labelPath) {
                sample.instances = try instances(in: labelPath, sample: sample)
            }
            return sample
        }
        if !reportedOrphans {
            reportedOrphans = true
            for orphan in orphanLabels() {
                try skips.report(ConversionError(.missingFile, "label file without an image", context: ErrorContext(file: orphan),
                                                 hint: "add the image to \(imagesDirectory) or remove the label file"))
            }
        }
        return nil
    }

    /// The instances of one label file; a bad line is an item problem (skippable) naming the line.
    private func instances(in labelPath: String, sample: Sample) throws -> [Instance] {
        let bytes = try Self.readLimited(labelPath)
        var instances: [Instance] = []
        var lineNumber = 0
        for line in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            let parsed: YOLOLabelLine?
            do {
                parsed = try YOLOLabelLine.parse(line, classCount: header.categories.count)
            } catch let error as ConversionError {
                try skips.report(error.adding(ErrorContext(file: labelPath, imageID: sample.id, field: "line \(lineNumber)")))
                continue
            }
            guard let parsed else { continue }
            let w = Double(sample.width), h = Double(sample.height)
            let annotationID = nextAnnotationID
            nextAnnotationID += 1
            switch parsed {
            case .box(let classIndex, let cx, let cy, let bw, let bh):
                let box = BoundingBox(x: (cx - bw / 2) * w, y: (cy - bh / 2) * h, width: bw * w, height: bh * h)
                instances.append(Instance(id: annotationID, categoryID: header.categories[classIndex].id, bbox: box, geometry: .none))
            case .polygon(let classIndex, let points):
                var pixels = points
                for index in pixels.indices { pixels[index] *= index % 2 == 0 ? w : h }
                instances.append(Instance(id: annotationID, categoryID: header.categories[classIndex].id, geometry: .polygons([pixels])))
            }
        }
        return instances
    }

    /// A numeric stem is the image id (when not used yet); otherwise the next free number.
    private func imageID(for relative: String) -> Int64 {
        let stem = YOLOLayout.labelName(forImageName: PathText.lastComponent(of: relative)).dropLast(4)
        if let number = Int64(stem), number >= 0, usedIDs.insert(number).inserted { return number }
        while usedIDs.contains(nextID) { nextID += 1 }
        usedIDs.insert(nextID)
        return nextID
    }

    /// Label files whose image is not in the image directory.
    private func orphanLabels() -> [String] {
        let expected = Set(images.map(YOLOLayout.labelName(forImageName:)))
        return Self.listFiles(labelsDirectory) { $0.hasSuffix(".txt") }.filter { !expected.contains($0) }
            .map { PathText.join(labelsDirectory, $0) }
    }

    /// The image directory of the split asked for.
    static func chooseSplit(root: String, data: YOLODataFile?, split: String?) throws -> String {
        var candidates: [(key: String, directory: String)] = []
        for key in ["train", "val", "test"] {
            for directory in data?.splits[key] ?? [] {
                candidates.append((key, directory.hasPrefix("/") ? directory : PathText.join(root, directory)))
            }
        }
        if candidates.isEmpty {
            let imagesRoot = PathText.join(root, "images")
            let subdirectories = ((try? FileManager.default.contentsOfDirectory(atPath: imagesRoot)) ?? []).sorted()
                .filter { InputProbe.isDirectory(PathText.join(imagesRoot, $0)) }
            candidates = subdirectories.map { ($0, PathText.join(imagesRoot, $0)) }
            if candidates.isEmpty && InputProbe.isDirectory(imagesRoot) { candidates = [("images", imagesRoot)] }
        }
        if let split {
            guard let match = candidates.first(where: { $0.key == split || PathText.lastComponent(of: $0.directory) == split }) else {
                throw ConversionError(.usage, "the dataset has no split '\(split)'",
                                      hint: "splits: " + candidates.map { PathText.lastComponent(of: $0.directory) }.joined(separator: ", "))
            }
            return match.directory
        }
        var distinct: [String] = []
        for candidate in candidates where !distinct.contains(candidate.directory) { distinct.append(candidate.directory) }
        switch distinct.count {
        case 0:
            throw ConversionError(.malformedInput, "no image directory found (no data.yaml splits, no images/<split>/)",
                                  context: ErrorContext(file: root), hint: "give the YOLO dataset root or its data.yaml")
        case 1:
            return distinct[0]
        default:
            throw ConversionError(.usage, "the dataset has several splits: \(distinct.map(PathText.lastComponent(of:)).joined(separator: ", "))",
                                  hint: "pick one with --split")
        }
    }

    /// `…/images/<split>` → `…/labels/<split>` (the last `images` component replaced, as Ultralytics does).
    static func labelsDirectory(forImages directory: String) -> String {
        var components = directory.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        if let index = components.lastIndex(of: "images") { components[index] = "labels" }
        return components.joined(separator: "/")
    }

    /// Image files under `directory` (recursively), as sorted relative paths.
    static func listImages(_ directory: String) -> [String] {
        listFiles(directory) { name in
            guard let dot = name.lastIndex(of: ".") else { return false }
            return imageExtensions.contains(name[name.index(after: dot)...].lowercased())
        }
    }

    static func listFiles(_ directory: String, where keep: (String) -> Bool) -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: directory) else { return [] }
        var files: [String] = []
        while let next = enumerator.nextObject() as? String {
            if keep(next) && !InputProbe.isDirectory(PathText.join(directory, next)) { files.append(next) }
        }
        return files.sorted()
    }

    /// The largest class index in any label file (for a dataset without data.yaml).
    static func largestClass(_ labelsDirectory: String) throws -> Int {
        var largest = -1
        for file in listFiles(labelsDirectory, where: { $0.hasSuffix(".txt") }) {
            let bytes = try readLimited(PathText.join(labelsDirectory, file))
            for line in bytes.split(separator: UInt8(ascii: "\n")) {
                let first = line.prefix { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\t") }
                if let value = Int(String(decoding: first, as: UTF8.self)), value >= 0, value < 1_000_000 { largest = max(largest, value) }
            }
        }
        return largest
    }

    static func readLimited(_ path: String) throws -> [UInt8] {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ConversionError(.io, "cannot read the label file", context: ErrorContext(file: path))
        }
        defer { try? handle.close() }
        let data = (try? handle.read(upToCount: maximumLabelBytes + 1)) ?? Data()
        guard data.count <= maximumLabelBytes else {
            throw ConversionError(.limitExceeded, "label file larger than \(maximumLabelBytes >> 20) MiB", context: ErrorContext(file: path))
        }
        return [UInt8](data)
    }
}
