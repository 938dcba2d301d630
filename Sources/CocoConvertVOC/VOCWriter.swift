import CocoConvertCore
import CocoConvertPNG
import Foundation

/// Writes samples as a Pascal VOC segmentation tree (see formats/voc.md).
///
/// `render` (any thread) paints the class and object maps, encodes both PNGs and the XML, and
/// reads the image's JPEG header; `commit` (in order) puts the image in `JPEGImages` and writes
/// the three files, each through a temporary name and a rename; `finish` writes the ImageSets
/// lists and `labelmap.txt`. Memory: the images in flight, plus one id per written image.
public final class VOCWriter: DatasetWriter, @unchecked Sendable {
    /// One sample, ready to write.
    public struct Rendered: Sendable {
        let imageID: Int64
        let item: String
        let classPNG: [UInt8]
        let objectPNG: [UInt8]
        let xml: [UInt8]
        let image: ImageSource
        /// File name under `JPEGImages` (nil with `--image-mode none`).
        let imageFile: String?
        let instances: Int
        let imageSizeDiffers: Bool
    }

    /// The output directory as given.
    public let output: String
    public let options: VOCWriterOptions
    /// The tree written (`output` or `output/VOCdevkit/VOC2012`).
    public let layout: VOCLayout
    private let skips: SkipReport
    private let limits: Limits

    // Set by `begin`, read-only afterwards (render runs concurrently).
    private var painter = VOCPainter(options: PaintOptions(schema: LabelSchema(entries: [])))
    private var classNames: [String] = []
    private var classPalette: [RGB] = Palette.voc
    private var labelMap = VOCLabelMap(labels: [])
    /// `<folder>` of every XML, as in the devkit's files (independent of the output path).
    private let folder = "VOC2012"
    /// The ImageSets list name, decided in `begin`.
    public private(set) var split = "train"

    // Used by `commit` and `finish` only (one thread).
    private var written: [String] = []
    private var seen: Set<String> = []
    private var summary = WriteSummary()
    private var sizeMismatches = 0

    /// - Parameters:
    ///   - output: the directory to write (created if needed; existing files of the same names are replaced).
    ///   - skips: per-sample problems (missing image, duplicate id, bad mask) go through it.
    public init(output: String, options: VOCWriterOptions = VOCWriterOptions(), skips: SkipReport, limits: Limits = .standard) {
        self.output = output
        self.options = options
        self.skips = skips
        self.limits = limits
        layout = VOCLayout(output: output, style: options.layout)
    }

    public func begin(_ header: DatasetHeader) throws {
        var paint = try options.paint(header)
        paint.limits = limits
        let schema = paint.schema
        guard schema.background == 0, schema.ignoreIndex == 255 else {
            throw ConversionError(.usage, "VOC masks use 0 for background and 255 for void, not \(schema.background) and \(schema.ignoreIndex)",
                                  hint: "drop --background/--ignore-index, and use --labels contiguous, coco or voc21")
        }
        if let bad = schema.entries.first(where: { $0.value == 0 || $0.value > 254 }) {
            throw ConversionError(.usage, "class value \(bad.value) (\(bad.name)) does not fit a VOC class map (1...254; 0 is background, 255 void)",
                                  hint: "use --labels contiguous")
        }
        painter = VOCPainter(options: paint)
        split = options.split ?? header.split.map(Self.vocSplitName) ?? "train"
        if split.isEmpty || split.contains("/") || split.hasPrefix(".") {
            throw ConversionError(.usage, "split name \"\(split)\" cannot name an ImageSets list", hint: "pass --split with a plain name")
        }

        // labelmap.txt: one line per value 0...max, names unique, colours distinct or all VOC.
        let maxValue = Int(schema.entries.map(\.value).max() ?? 0)
        var labels: [VOCLabel] = [VOCLabel(name: "background", color: RGB(0, 0, 0))]
        var used: Set<String> = ["background"]
        var renamed = 0
        for value in stride(from: 1, through: maxValue, by: 1) {
            guard let entry = schema.entry(forValue: UInt32(value)) else {
                labels.append(VOCLabel(name: VOCLabelMap.placeholderName(value), color: nil))
                continue
            }
            var name = entry.name
            if !used.insert(name).inserted {
                name += "_\(value)"
                used.insert(name)
                renamed += 1
            }
            labels.append(VOCLabel(name: name, color: entry.color))
        }
        var colors = labels.indices.map { labels[$0].color ?? Palette.voc[$0] }
        if Set(colors + [Palette.voc[255]]).count != colors.count + 1 {
            colors = labels.indices.map { Palette.voc[$0] }
            summary.notes.append("category colours were not distinct (or clashed with void): labelmap.txt uses the VOC colormap")
        }
        for index in labels.indices { labels[index].color = colors[index] }
        if renamed > 0 {
            summary.notes.append("\(renamed) duplicate class names got a _<value> suffix in labelmap.txt")
        }
        labelMap = VOCLabelMap(labels: labels)
        _ = try labelMap.text()  // refuse unwritable names before any work
        classNames = labels.map(\.name)
        classPalette = colors + Palette.voc.dropFirst(colors.count)

        for directory in [layout.segmentationClass, layout.segmentationObject, layout.annotations,
                          layout.segmentationSets, layout.mainSets] {
            try FileOutput.makeDirectory(directory)
        }
        if options.imageMode != .none { try FileOutput.makeDirectory(layout.jpegImages) }
    }

    public func render(_ sample: Sample) throws -> Rendered {
        let context = ErrorContext(imageID: sample.id)
        let item = try VOCLayout.itemName(forFileName: sample.fileName, imageID: sample.id)
        guard sample.width > 0, sample.height > 0 else {
            throw ConversionError(.invalidValue, "image is \(sample.width)×\(sample.height)", context: context,
                                  hint: "VOC masks need the image's real size")
        }
        var depth = 3
        var sizeDiffers = false
        var imageFile: String?
        var image = sample.image
        if options.imageMode != .none {
            switch sample.image {
            case .file(let path):
                guard FileManager.default.fileExists(atPath: path) else {
                    throw FileOutput.missingImage(path).adding(context)
                }
                imageFile = item + Self.fileExtension(path, fallback: sample.fileName)
                if let jpeg = JPEGHeader(file: path) {
                    depth = jpeg.components
                    sizeDiffers = jpeg.width != sample.width || jpeg.height != sample.height
                }
            case .bytes:
                imageFile = item + Self.fileExtension(sample.fileName, fallback: "")
            case .none:
                throw ConversionError(.missingFile, "no image file for \(jsonString(sample.fileName))", context: context,
                                      hint: "pass --images DIR, use --image-mode none, or --on-error skip")
            }
        } else {
            image = .none
        }

        let painted = try painter.paint(sample)
        let classPNG = try PNGEncoder.encode(labelMap: painted.classMap, palette: classPalette, compression: options.compression)
        let objectPNG = try PNGEncoder.encode(labelMap: painted.objectMap, palette: Palette.voc, compression: options.compression)

        var objects: [VOCObject] = []
        objects.reserveCapacity(painted.indexed.count + painted.unindexed.count)
        for (group, isIndexed) in [(painted.indexed, true), (painted.unindexed, false)] {
            for object in group {
                let instance = sample.instances[object.instance]
                let value = Int(object.classValue)
                // Every listed object has a box (Datumaro requires one): an indexed instance with neither
                // an annotated box nor pixels gets the first pixel's.
                guard let source = instance.bbox ?? object.ownedBox ?? (isIndexed ? BoundingBox(x: 0, y: 0, width: 1, height: 1) : nil) else {
                    continue
                }
                let box = VOCBox(source, width: sample.width, height: sample.height)
                let truncated = box.xmin <= 1 || box.ymin <= 1 || box.xmax >= Double(sample.width) || box.ymax >= Double(sample.height)
                let occluded = isIndexed && Double(object.owned) + 0.5 < (instance.area ?? 0)
                objects.append(VOCObject(name: value < classNames.count ? classNames[value] : "class_\(value)",
                                         truncated: truncated, difficult: instance.isCrowd && !isIndexed, occluded: occluded, box: box,
                                         attributes: instance.isCrowd ? [VOCAttribute(name: "is_crowd", value: "1")] : []))
            }
        }
        let annotation = VOCAnnotation(folder: folder, filename: imageFile ?? item + Self.fileExtension(sample.fileName, fallback: ""),
                                       width: sample.width, height: sample.height, depth: depth, segmented: true, objects: objects)
        return Rendered(imageID: sample.id, item: item, classPNG: classPNG, objectPNG: objectPNG,
                        xml: Array(annotation.xmlText().utf8), image: image, imageFile: imageFile,
                        instances: painted.indexed.count, imageSizeDiffers: sizeDiffers)
    }

    public func commit(_ rendered: Rendered) throws {
        let context = ErrorContext(imageID: rendered.imageID)
        guard seen.insert(rendered.item).inserted else {
            try skips.report(ConversionError(.duplicateID, "another image was already written as \(rendered.item)",
                                             context: context, hint: "two file names share a stem; rename one of the images"))
            return
        }
        if let imageFile = rendered.imageFile {
            let destination = VOCLayout.join(layout.jpegImages, imageFile)
            do {
                switch rendered.image {
                case .file(let path): try FileOutput.place(path, at: destination, mode: options.imageMode)
                case .bytes(let bytes): try AtomicFile.write(bytes, to: destination)
                case .none: break
                }
            } catch let error as ConversionError {
                seen.remove(rendered.item)
                try skips.report(error.adding(context))
                return
            }
            summary.files += 1
        }
        try AtomicFile.write(rendered.classPNG, to: layout.classPNG(rendered.item))
        try AtomicFile.write(rendered.objectPNG, to: layout.objectPNG(rendered.item))
        try AtomicFile.write(rendered.xml, to: layout.annotationXML(rendered.item))
        written.append(rendered.item)
        summary.samples += 1
        summary.instances += rendered.instances
        summary.files += 3
        summary.bytes += Int64(rendered.classPNG.count + rendered.objectPNG.count + rendered.xml.count)
        if rendered.imageSizeDiffers { sizeMismatches += 1 }
    }

    public func finish() throws -> WriteSummary {
        let list = Array(written.map { $0 + "\n" }.joined().utf8)
        for directory in [layout.segmentationSets, layout.mainSets] {
            try AtomicFile.write(list, to: VOCLayout.join(directory, split + ".txt"))
        }
        let labelText = Array(try labelMap.text().utf8)
        try AtomicFile.write(labelText, to: layout.labelMapFile)
        summary.files += 3
        summary.bytes += Int64(2 * list.count + labelText.count)
        if sizeMismatches > 0 {
            summary.notes.append("\(sizeMismatches) images have a JPEG size different from the annotation's width × height (masks use the annotation's)")
        }
        return summary
    }

    /// `val2017` → `val`: a trailing four-digit year after letters is dropped, since torchvision
    /// accepts only train/val/trainval (and test) as `image_set`.
    static func vocSplitName(_ split: String) -> String {
        let scalars = Array(split.unicodeScalars)
        guard scalars.count > 4, scalars.suffix(4).allSatisfy({ $0.properties.numericType != nil && $0.isASCII }),
              scalars.dropLast(4).allSatisfy({ $0.isASCII && $0.properties.isAlphabetic }) else { return split }
        return String(String.UnicodeScalarView(scalars.dropLast(4)))
    }

    /// The extension (with its dot) of the last component of `path`, else of `fallback`, else `.jpg`.
    static func fileExtension(_ path: String, fallback: String) -> String {
        for name in [path, fallback] {
            let last = name.split(separator: "/").last.map(String.init) ?? name
            if let dot = last.lastIndex(of: "."), dot != last.startIndex, last.index(after: dot) != last.endIndex {
                let ext = String(last[dot...])
                if !ext.contains("\\") && !ext.unicodeScalars.contains(where: { $0.value < 0x20 }) { return ext }
            }
        }
        return ".jpg"
    }
}
