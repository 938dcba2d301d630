import CocoConvertCore
import CocoConvertPNG
import Foundation

/// Writes samples as a Pascal VOC segmentation tree (see formats/voc.md).
///
/// ``begin(_:)`` checks the label mapping, decides the split and `labelmap.txt`, and creates the
/// tree's directories. Its ``VOCRenderer`` (any thread) paints the class and object maps, encodes
/// both PNGs and the XML, and reads the image's JPEG header; its ``VOCSink`` (in order) puts the
/// image in `JPEGImages` and writes the three files, each through a temporary name and a rename,
/// then writes the ImageSets lists and `labelmap.txt`. Memory: the images in flight, plus one id
/// per written image.
public final class VOCWriter: DatasetWriter {
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

    /// Checks the label mapping, decides the split and `labelmap.txt`, creates the directories.
    public func begin(_ header: DatasetHeader) throws -> (renderer: VOCRenderer, sink: VOCSink) {
        var paint = try options.paint(header)
        paint.limits = limits
        let schema = paint.schema
        guard schema.background == 0, schema.ignoreIndex == 255 else {
            throw ConversionError(.usage, "VOC masks use 0 for background and 255 for void, not \(schema.background) and \(schema.ignoreIndex)",
                                  hint: "drop --background/--ignore-index, and use --labels contiguous, coco or voc21")
        }
        if let bad = schema.entries.first(where: { $0.value == 0 || $0.value > 254 }) {
            throw ConversionError(.usage, "class value \(bad.value) (\(bad.name)) does not fit a VOC class map (1...254; 0 is background, 255 void)",
                                  hint: schema.entries.count > 254
                                      ? "this dataset has \(schema.entries.count) categories: map them onto at most 254 values with --labels FILE, or write png (16-bit label maps)"
                                      : "map the categories onto 1...254 with --labels contiguous or --labels FILE")
        }
        let painter = VOCPainter(options: paint)
        let split = options.split ?? header.split.map(Self.vocSplitName) ?? "train"
        if split.isEmpty || split.contains("/") || split.hasPrefix(".") {
            throw ConversionError(.usage, "split name \"\(split)\" cannot name an ImageSets list", hint: "pass --split with a plain name")
        }

        // labelmap.txt: one line per value 0...max, names unique, colours distinct or all VOC.
        let maxValue = Int(schema.entries.map(\.value).max() ?? 0)
        var summary = WriteSummary()
        if let note = paint.unmappedNote(for: header.categories) { summary.notes.append(note) }
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
        // The void colour is declared too (Datumaro's `ignored` label): importers that turn mask colours
        // into labels (Datumaro's voc and voc_segmentation) refuse a mask colour labelmap.txt lacks.
        let voidName = VOCLabelMap.voidNames.first { !used.contains($0) } ?? "__void_255__"
        let labelMap = VOCLabelMap(labels: labels + [VOCLabel(name: voidName, color: Palette.voc[255])])
        _ = try labelMap.text()  // refuse unwritable names before any work

        for directory in [layout.segmentationClass, layout.segmentationObject, layout.annotations,
                          layout.segmentationSets, layout.mainSets] {
            try OutputDirectory.create(directory, inside: output)
        }
        if options.imageMode != .none { try OutputDirectory.create(layout.jpegImages, inside: output) }
        let renderer = VOCRenderer(options: options, painter: painter, classNames: labels.map(\.name),
                                   classPalette: colors + Palette.voc.dropFirst(colors.count))
        let sink = VOCSink(layout: layout, imageMode: options.imageMode, labelMap: labelMap,
                           split: split, summary: summary, partition: header.partition)
        return (renderer, sink)
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
