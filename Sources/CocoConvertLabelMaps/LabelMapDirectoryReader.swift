import CocoConvertCore
import CocoConvertPNG
import Foundation

/// Reads a directory of label PNGs (as ``LabelMapDirectoryWriter`` writes them, or from elsewhere)
/// as samples whose instances are `.labelValue(plane, value)`: one per class present (semantic maps)
/// or one per instance id (instance and panoptic maps). Background and ignore values are not instances.
///
/// Accepted PNGs: 8/16-bit gray (value = gray level), palette (value = index), RGB/RGBA coloured maps
/// (value found through the colormap: `labels.json` colours or ``LabelMapReaderOptions/palette``),
/// and for panoptic maps RGB ids (`R + 256·G + 256²·B`).
/// With a `labels.json`, images come in its order with its ids and file names; without one, every
/// `*.png` in name order, with ids from all-digit stems (`000000000139` → 139) or 1, 2, 3...
public final class LabelMapDirectoryReader: DatasetReader {
    public let header: DatasetHeader
    public let directory: String
    private let options: LabelMapReaderOptions
    private let skips: SkipReport
    private let kind: MapKind
    private let schema: LabelSchema
    private let images: [LabelsFile.ImageRecord]
    private let colormap: [RGB: UInt32]
    private let valueEntries: [UInt32: LabelEntry]
    private var nextIndex = 0

    /// Opens `directory`; reads `labels.json` if there is one.
    public init(directory: String, options: LabelMapReaderOptions = LabelMapReaderOptions(), skips: SkipReport) throws {
        self.directory = directory
        self.options = options
        self.skips = skips
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ConversionError(.io, "not a directory", context: ErrorContext(file: directory),
                                  hint: "give the directory of label PNGs")
        }
        let labelsPath = (directory as NSString).appendingPathComponent(LabelsFile.fileName)
        var categories: [Category]
        if FileManager.default.fileExists(atPath: labelsPath) {
            let labels = try LabelsFile.load(path: labelsPath)
            kind = labels.kind
            schema = options.schema ?? labels.schema
            categories = options.categories ?? labels.categories
            images = labels.images.isEmpty ? try Self.listPNGs(directory, imagesDirectory: options.imagesDirectory) : labels.images
            var colors: [RGB: UInt32] = [:]
            if let palette = options.palette {
                for (i, c) in palette.enumerated() where colors[c] == nil { colors[c] = UInt32(i) }
            } else {
                for e in labels.schema.entries { if let c = e.color, colors[c] == nil { colors[c] = e.value } }
            }
            colormap = colors
        } else {
            kind = options.kind ?? .semantic
            guard let schemaOrCategories = options.schema ?? options.categories.map({ LabelSchema.cocoIDs($0) }) else {
                throw ConversionError(.usage, "\(directory) has no labels.json, so the values' categories are unknown",
                                      context: ErrorContext(file: directory),
                                      hint: "give --category-file FILE (a COCO JSON) or --labels voc21|cocostuff171|FILE")
            }
            schema = schemaOrCategories
            categories = options.categories ?? schema.entries.map { Category(id: $0.categoryID, name: $0.name, color: $0.color) }
            images = try Self.listPNGs(directory, imagesDirectory: options.imagesDirectory)
            var colors: [RGB: UInt32] = [:]
            for (i, c) in (options.palette ?? []).enumerated() where colors[c] == nil { colors[c] = UInt32(i) }
            colormap = colors
        }
        var seen = Set<Int64>()
        categories = categories.filter { seen.insert($0.id).inserted }
        var byValue: [UInt32: LabelEntry] = [:]
        for e in schema.entries where byValue[e.value] == nil { byValue[e.value] = e }
        valueEntries = byValue
        header = DatasetHeader(kind: kind == .panoptic ? .panoptic : .semantic, categories: categories,
                               split: URL(fileURLWithPath: directory).lastPathComponent, sampleCount: images.count,
                               labelSchema: schema)
    }

    /// The label PNGs of `directory`, in name order. The image's `file_name` is not the label PNG's:
    /// it is the file of `imagesDirectory` with the same stem (`.jpg`, `.jpeg`, `.png`, any case), else
    /// `<stem>.jpg` (COCO's and VOC's convention).
    private static func listPNGs(_ directory: String, imagesDirectory: String?) throws -> [LabelsFile.ImageRecord] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw ConversionError(.io, "cannot list the directory: \(error.localizedDescription)", context: ErrorContext(file: directory))
        }
        return names.filter { $0.lowercased().hasSuffix(".png") && !$0.hasPrefix(".") }.sorted().enumerated().map { i, name in
            let stem = String(name.dropLast(4))
            let numeric = !stem.isEmpty && stem.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } ? Int64(stem) : nil
            var fileName = stem + ".jpg"
            if let imagesDirectory {
                for ext in [".jpg", ".jpeg", ".png", ".JPG", ".JPEG", ".PNG"]
                where FileManager.default.fileExists(atPath: PathText.join(imagesDirectory, stem + ext)) {
                    fileName = stem + ext
                    break
                }
            }
            return LabelsFile.ImageRecord(file: name, id: numeric ?? Int64(i + 1), fileName: fileName, width: 0, height: 0, instances: nil)
        }
    }

    public func next() throws -> Sample? {
        while nextIndex < images.count {
            let record = images[nextIndex]
            nextIndex += 1
            do {
                return try makeSample(record)
            } catch let error as ConversionError {
                try skips.report(error.adding(ErrorContext(imageID: record.id)))
            }
        }
        return nil
    }

    private func makeSample(_ record: LabelsFile.ImageRecord) throws -> Sample {
        let file = try SafePath.component(record.file, context: ErrorContext(imageID: record.id))
        let path = (directory as NSString).appendingPathComponent(file)
        let context = ErrorContext(file: path, imageID: record.id)
        let png = try PNGDecoder.decode(file: path, limits: options.limits)
        if record.width > 0 && record.height > 0 && (record.width != png.width || record.height != png.height) {
            throw ConversionError(.sizeMismatch, "PNG is \(png.width)×\(png.height) but labels.json says \(record.width)×\(record.height)",
                                  context: context, hint: "the PNG and labels.json do not belong together")
        }
        let plane = try LabelPlane(width: png.width, height: png.height, pixels: values(of: png, context: context))
        var instances: [Instance] = []
        let present = Self.presentValues(plane)
        if kind == .semantic {
            for value in present where value != schema.background && value != schema.ignoreIndex {
                guard let entry = valueEntries[value] else {
                    try skips.report(ConversionError(.unknownCategory, "label value \(value) has no category",
                                                     context: ErrorContext(file: path, imageID: record.id, field: "value \(value)"),
                                                     hint: "give a mapping (--labels FILE) or categories that cover it"))
                    continue
                }
                instances.append(Instance(id: nil, categoryID: entry.categoryID, geometry: .labelValue(plane, value)))
            }
        } else {
            // Instance and panoptic maps: labels.json's list, in its order, including instances that
            // were painted over entirely (their masks are empty), so numbering survives a round trip.
            let listed = record.instances ?? []
            var listedValues = Set<UInt32>()
            for r in listed {
                listedValues.insert(r.value)
                instances.append(Instance(id: r.annotationID, categoryID: r.categoryID, isCrowd: r.isCrowd,
                                          geometry: .labelValue(plane, r.value)))
            }
            for value in present where !listedValues.contains(value) && value != schema.background
                && value != schema.ignoreIndex && !(kind == .panoptic && value == 0) {
                try skips.report(ConversionError(.unknownCategory, "instance value \(value) has no category in labels.json",
                                                 context: ErrorContext(file: path, imageID: record.id, field: "value \(value)"),
                                                 hint: "instance maps need labels.json's per-image instance list"))
            }
        }
        var image = ImageSource.none
        if let imagesDirectory = options.imagesDirectory {
            let imagePath = (imagesDirectory as NSString).appendingPathComponent(try SafePath.component(record.fileName))
            if FileManager.default.fileExists(atPath: imagePath) { image = .file(imagePath) }
        }
        return Sample(id: record.id, fileName: record.fileName, width: png.width, height: png.height, image: image,
                      instances: instances, panoptic: kind == .panoptic ? PanopticRecord(fileName: file) : nil)
    }

    /// One value per pixel, whatever the PNG's colour type.
    private func values(of png: DecodedPNG, context: ErrorContext) throws -> [UInt32] {
        let n = png.width * png.height
        let channels = png.channels
        switch png.colorType {
        case .gray, .palette:
            return png.samples.map(UInt32.init)
        case .grayAlpha:
            return (0..<n).map { UInt32(png.samples[$0 * 2]) }
        case .rgb, .rgba:
            guard png.bitDepth == 8 else {
                throw ConversionError(.unsupported, "16-bit RGB label maps are not supported", context: context,
                                      hint: "write 8-bit RGB, gray or palette PNGs")
            }
            var out = [UInt32](repeating: 0, count: n)
            if kind == .panoptic {
                for i in 0..<n {
                    out[i] = PanopticID.id(png.samples[i * channels], png.samples[i * channels + 1], png.samples[i * channels + 2])
                }
                return out
            }
            guard !colormap.isEmpty else {
                throw ConversionError(.usage, "RGB label map but no colormap", context: context,
                                      hint: "give --palette voc|cocostuff|FILE, or colours in labels.json")
            }
            var lastColor = RGB(0, 0, 0), lastValue: UInt32? = colormap[lastColor]
            for i in 0..<n {
                let c = RGB(UInt8(png.samples[i * channels]), UInt8(png.samples[i * channels + 1]),
                            UInt8(png.samples[i * channels + 2]))
                if c != lastColor {
                    lastColor = c
                    lastValue = colormap[c]
                }
                guard let v = lastValue else {
                    throw ConversionError(.invalidValue,
                                          "pixel (\(i % png.width), \(i / png.width)) has colour (\(c.r), \(c.g), \(c.b)), which is not in the colormap",
                                          context: context, hint: "give the palette the map was drawn with (--palette)")
                }
                out[i] = v
            }
            return out
        }
    }

    /// The distinct values of the plane, ascending.
    static func presentValues(_ plane: LabelPlane) -> [UInt32] {
        var seen = Set<UInt32>()
        plane.pixels.withUnsafeBufferPointer { px in
            var last: UInt32? = nil
            for v in px where v != last {
                seen.insert(v)
                last = v
            }
        }
        return seen.sorted()
    }
}
