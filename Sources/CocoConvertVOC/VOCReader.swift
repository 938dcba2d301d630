import CocoConvertCore
import CocoConvertPNG
import Foundation

/// Reads a Pascal VOC tree (plain, or under `VOCdevkit/VOC20xx`) as samples with instance masks.
///
/// - Items: the ids of `ImageSets/Segmentation/<split>.txt` when a split is given; otherwise the
///   ids of every list in `ImageSets/Segmentation` (file name order, first occurrence kept); without
///   those lists, `ImageSets/Main` likewise; without any list, the stems of the PNGs in
///   `SegmentationObject` and `SegmentationClass` (or of `Annotations/*.xml`), sorted.
/// - Classes: `labelmap.txt` (index = line), else the 21 VOC classes. Index 0 is background and
///   255 void; neither is a category. Category ids are the class indices (1...N).
/// - Instances: with `SegmentationObject/<id>.png`, one per instance value (1...254, and beyond in
///   16-bit maps), in value order, with the majority class under it in `SegmentationClass/<id>.png`
///   (see ``VOCInstanceScan``), or, when only background/void lies under it or there is no class
///   map, the class named by the value's `<object>` in the XML (object k ↔ value k). With only a
///   class map, one instance per class present. With neither, one box-only instance per XML object.
///   Geometry is ``Geometry/labelValue(_:_:)`` of the shared map; `area` and `bbox` are the exact
///   pixel count and tight box of the instance's pixels (what pycocotools computes from its RLE).
/// - Sample ids: the item ids as integers when every id is a decimal number (COCO stems such as
///   `000000000139`), else 1, 2, 3... in item order.
///
/// Samples are produced one at a time; only the current item's PNGs are in memory.
public final class VOCReader: DatasetReader {
    public let header: DatasetHeader
    /// The tree being read.
    public let layout: VOCLayout
    /// Item ids in reading order.
    public let items: [String]
    /// Class names and colours in index order (labelmap.txt or the VOC defaults).
    public let labelMap: VOCLabelMap

    private let sampleIDs: [Int64]
    private let skips: SkipReport
    private let limits: Limits
    private let classColors: [RGB]
    /// Label indices other than 255 that stand for void (an `ignored` line after the classes).
    private let voidIndices: Set<UInt32>
    private var position = 0

    /// The 21 Pascal VOC classes, index order (background first).
    public static let defaultClasses = [
        "background", "aeroplane", "bicycle", "bird", "boat", "bottle", "bus", "car", "cat", "chair", "cow",
        "diningtable", "dog", "horse", "motorbike", "person", "pottedplant", "sheep", "sofa", "train", "tvmonitor",
    ]

    /// Opens the VOC tree at or below `path` (see ``VOCLayout/locate(_:)``).
    ///
    /// - Parameters:
    ///   - split: read only `ImageSets/Segmentation/<split>.txt` (or `ImageSets/Main/<split>.txt`).
    ///   - skips: per-item problems (unreadable PNG, unknown colour, size mismatch) go through it.
    /// - Throws: ``ConversionError`` when the tree, the list or `labelmap.txt` cannot be read.
    public init(path: String, split: String? = nil, skips: SkipReport, limits: Limits = .standard) throws {
        let layout = try VOCLayout.locate(path)
        self.layout = layout
        self.skips = skips
        self.limits = limits
        let fm = FileManager.default
        let labelMap: VOCLabelMap
        if fm.fileExists(atPath: layout.labelMapFile) {
            labelMap = try VOCLabelMap(parsing: try FileOutput.readFile(layout.labelMapFile), file: layout.labelMapFile)
        } else {
            labelMap = VOCLabelMap(labels: Self.defaultClasses.enumerated().map {
                VOCLabel(name: $0.element, color: Palette.voc[$0.offset])
            })
        }
        self.labelMap = labelMap
        classColors = labelMap.labels.indices.map { labelMap.color(at: $0) }
        voidIndices = Set(labelMap.labels.indices.filter { $0 != 255 && labelMap.isVoid($0) }.map { UInt32($0) })
        let (items, listSplit) = try Self.itemList(layout, split: split)
        self.items = items
        sampleIDs = Self.sampleIDs(items)

        var categories: [Category] = []
        var entries: [LabelEntry] = []
        for (index, label) in labelMap.labels.enumerated()
        where index > 0 && !labelMap.isVoid(index) && !VOCLabelMap.isPlaceholder(label.name) {
            let color = labelMap.color(at: index)
            categories.append(Category(id: Int64(index), name: label.name, color: color))
            entries.append(LabelEntry(value: UInt32(index), categoryID: Int64(index), name: label.name, color: color))
        }
        let hasObjects = fm.fileExists(atPath: layout.segmentationObject)
        let hasClasses = fm.fileExists(atPath: layout.segmentationClass)
        header = DatasetHeader(kind: hasClasses && !hasObjects ? .semantic : .instances, categories: categories,
                               split: listSplit, sampleCount: items.count,
                               labelSchema: LabelSchema(entries: entries, background: 0, ignoreIndex: 255))
    }

    public func next() throws -> Sample? {
        while position < items.count {
            let index = position
            position += 1
            do {
                return try sample(at: index)
            } catch let error as ConversionError {
                try skips.report(error.adding(ErrorContext(imageID: sampleIDs[index])))
            }
        }
        return nil
    }

    // MARK: - One item

    private func sample(at index: Int) throws -> Sample {
        let item = items[index]
        let id = sampleIDs[index]
        let fm = FileManager.default
        let xmlPath = layout.annotationXML(item)
        let annotation = fm.fileExists(atPath: xmlPath)
            ? try VOCAnnotation(parsing: try FileOutput.readFile(xmlPath), file: xmlPath) : nil
        let classPath = layout.classPNG(item)
        let objectPath = layout.objectPNG(item)
        let classMap = fm.fileExists(atPath: classPath) ? try decode(classPath, colors: classColors, void: voidIndices) : nil
        let objectMap = fm.fileExists(atPath: objectPath) ? try decode(objectPath, colors: []) : nil

        let fileName = annotation.flatMap { $0.filename.isEmpty ? nil : $0.filename } ?? item + ".jpg"
        var image = ImageSource.none
        var imagePath: String?
        for candidate in [fileName, item + ".jpg", item + ".jpeg", item + ".png"] {
            let path = VOCLayout.join(layout.jpegImages, candidate)
            if fm.fileExists(atPath: path) {
                image = .file(path)
                imagePath = path
                break
            }
        }

        var width = classMap?.width ?? objectMap?.width ?? annotation?.width
        var height = classMap?.height ?? objectMap?.height ?? annotation?.height
        if classMap == nil, objectMap == nil, width == nil || height == nil || width == 0 || height == 0, let imagePath {
            // An item listed with only its image (Datumaro writes no mask and no XML for an image without
            // annotations): the size comes from the image header, and the sample has no instances.
            if let size = ImageSize.read(file: imagePath) {
                width = size.width
                height = size.height
            }
        }
        if let c = classMap, let o = objectMap, c.width != o.width || c.height != o.height {
            throw ConversionError(.sizeMismatch, "SegmentationClass is \(c.width)×\(c.height) but SegmentationObject is \(o.width)×\(o.height)",
                                  context: ErrorContext(file: objectPath), hint: "both masks of an item must have the image's size")
        }
        if let map = classMap ?? objectMap, let a = annotation, let aw = a.width, let ah = a.height, aw > 0, ah > 0,
           aw != map.width || ah != map.height {
            throw ConversionError(.sizeMismatch, "the XML says \(aw)×\(ah) but the mask is \(map.width)×\(map.height)",
                                  context: ErrorContext(file: xmlPath), hint: "fix <size> in the annotation file")
        }
        guard let w = width, let h = height, w > 0, h > 0 else {
            throw ConversionError(.invalidValue, "item \(item) has no mask, no image size in an XML and no readable image in JPEGImages",
                                  context: ErrorContext(file: imagePath ?? (annotation == nil ? layout.jpegImages : xmlPath)),
                                  hint: "every listed item needs a mask PNG, an Annotations XML with <size>, or its image")
        }

        var instances: [Instance] = []
        if let objectMap {
            let plane = LabelPlane(width: w, height: h, pixels: objectMap.values)
            let scan = VOCInstanceScan(objects: objectMap.values, classes: classMap?.values, width: w)
            for entry in scan.entries {
                let objectElement = annotation.flatMap { a in
                    entry.value >= 1 && Int(entry.value) <= a.objects.count ? a.objects[Int(entry.value) - 1] : nil
                }
                var classValue = entry.majorityClass
                if classValue == nil, let name = objectElement?.name {
                    classValue = try self.classValue(named: name, file: xmlPath)
                }
                guard let classValue else {
                    throw ConversionError(.invalidValue, "instance \(entry.value) has no class: only background/void under it and no <object> naming one",
                                          context: ErrorContext(file: objectPath), hint: "give the item a SegmentationClass mask or an Annotations XML")
                }
                try checkDeclared(classValue, file: classMap == nil ? xmlPath : classPath)
                instances.append(Instance(id: nil, categoryID: Int64(classValue), isCrowd: false, bbox: entry.boundingBox,
                                          area: Double(entry.pixels), geometry: .labelValue(plane, entry.value)))
            }
        } else if let classMap {
            let plane = LabelPlane(width: w, height: h, pixels: classMap.values)
            for entry in VOCInstanceScan(objects: classMap.values, classes: nil, width: w).entries {
                try checkDeclared(entry.value, file: classPath)
                instances.append(Instance(id: nil, categoryID: Int64(entry.value), isCrowd: false, bbox: entry.boundingBox,
                                          area: Double(entry.pixels), geometry: .labelValue(plane, entry.value)))
            }
        } else if let annotation {
            for object in annotation.objects {
                let value = try classValue(named: object.name, file: xmlPath)
                let box = object.box?.boundingBox
                instances.append(Instance(id: nil, categoryID: Int64(value), isCrowd: object.attribute("is_crowd").map { $0 == "1" || $0.lowercased() == "true" } ?? false,
                                          bbox: box, area: box.map { $0.width * $0.height }, geometry: .none))
            }
        }
        return Sample(id: id, fileName: fileName, width: w, height: h, image: image, instances: instances)
    }

    private func decode(_ path: String, colors: [RGB], void: Set<UInt32> = []) throws -> VOCLabelImage {
        try VOCLabelImage(try PNGDecoder.decode(file: path, limits: limits), colors: colors, void: void, file: path)
    }

    private func classValue(named name: String, file: String) throws -> UInt32 {
        guard let index = labelMap.labels.firstIndex(where: { $0.name == name }) else {
            throw ConversionError(.unknownCategory, "class \"\(name)\" is not in the label map",
                                  context: ErrorContext(file: file), hint: "add it to labelmap.txt")
        }
        return UInt32(index)
    }

    private func checkDeclared(_ value: UInt32, file: String) throws {
        guard Int(value) < labelMap.labels.count else {
            throw ConversionError(.unknownCategory, "class value \(value) is not in the label map (\(labelMap.labels.count) classes)",
                                  context: ErrorContext(file: file), hint: "add the class to labelmap.txt")
        }
    }

    // MARK: - Item lists

    /// The item ids to read and the split they came from: the lists of `ImageSets/Segmentation`, then
    /// those of `ImageSets/Main`, first occurrence kept. Both count: Datumaro lists in Segmentation only
    /// the items with masks (and those without any annotation), the others only in Main.
    static func itemList(_ layout: VOCLayout, split: String?) throws -> ([String], String?) {
        let fm = FileManager.default
        var seen: Set<String> = []
        var items: [String] = []
        var listNames: Set<String> = []
        for directory in [layout.segmentationSets, layout.mainSets] {
            var lists: [String]
            if let split {
                lists = fm.fileExists(atPath: VOCLayout.join(directory, split + ".txt")) ? [split + ".txt"] : []
            } else {
                // Only plain lists: Main also holds <class>_<split>.txt files ("id ±1" lines).
                lists = ((try? fm.contentsOfDirectory(atPath: directory)) ?? [])
                    .filter { $0.hasSuffix(".txt") && !$0.hasPrefix(".") && (directory == layout.segmentationSets || !$0.contains("_")) }
                    .sorted()
            }
            for list in lists {
                listNames.insert(String(list.dropLast(4)))
                for item in try readList(VOCLayout.join(directory, list)) where seen.insert(item).inserted {
                    items.append(item)
                }
            }
        }
        if !listNames.isEmpty { return (items, listNames.count == 1 ? listNames.first : nil) }
        if let split {
            throw ConversionError(.io, "no list for split \"\(split)\" (ImageSets/Segmentation/\(split).txt or ImageSets/Main/\(split).txt)",
                                  context: ErrorContext(file: layout.root), hint: "check --split against the files in ImageSets")
        }
        for (directory, suffix) in [(layout.segmentationObject, ".png"), (layout.segmentationClass, ".png"), (layout.annotations, ".xml")] {
            let names = ((try? fm.contentsOfDirectory(atPath: directory)) ?? [])
                .filter { $0.hasSuffix(suffix) && !$0.hasPrefix(".") }
            if !names.isEmpty {
                var stems = Set(names.map { String($0.dropLast(suffix.count)) })
                if directory == layout.segmentationObject {
                    for name in (try? fm.contentsOfDirectory(atPath: layout.segmentationClass)) ?? []
                    where name.hasSuffix(".png") && !name.hasPrefix(".") {
                        stems.insert(String(name.dropLast(4)))
                    }
                }
                return (stems.sorted(), nil)
            }
        }
        return ([], nil)
    }

    /// The ids of one list file: first whitespace-separated field of each non-empty, non-comment line.
    static func readList(_ path: String) throws -> [String] {
        let text = String(decoding: try FileOutput.readFile(path), as: UTF8.self)
        var items: [String] = []
        for line in text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }) {
            let trimmed = line.trimmingASCIIWhitespace()
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            let id = String(trimmed.split(whereSeparator: { $0 == " " || $0 == "\t" }).first ?? "")
            if id.contains("/") || id == ".." || id == "." {
                throw ConversionError(.invalidValue, "item id \"\(id)\" is not a plain file stem", context: ErrorContext(file: path),
                                      hint: "ImageSets lists hold bare ids such as 2007_000032")
            }
            items.append(id)
        }
        return items
    }

    /// Item ids as numbers when all are decimal and distinct as numbers, else 1, 2, 3...
    static func sampleIDs(_ items: [String]) -> [Int64] {
        var numbers: [Int64] = []
        numbers.reserveCapacity(items.count)
        var seen: Set<Int64> = []
        for item in items {
            guard !item.isEmpty, item.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let n = Int64(item),
                  seen.insert(n).inserted else {
                return (0..<items.count).map { Int64($0) + 1 }
            }
            numbers.append(n)
        }
        return numbers
    }
}
