import CocoConvertCore
import Foundation

/// How a written VOC tree is rooted.
public enum VOCLayoutStyle: String, Sendable, CaseIterable {
    /// `OUT/JPEGImages`, `OUT/SegmentationClass`, ... directly under the output directory.
    case plain
    /// `OUT/VOCdevkit/VOC2012/...`, the tree torchvision's `VOCSegmentation(root=OUT)` expects.
    case devkit
}

/// The directories and files of one VOC tree (the directory holding `JPEGImages`, `Annotations`, ...).
public struct VOCLayout: Sendable, Hashable {
    /// The dataset directory: `OUT` (plain) or `OUT/VOCdevkit/VOC2012` (devkit).
    public let root: String

    public init(root: String) {
        self.root = root
    }

    /// The tree a writer creates under `output`.
    public init(output: String, style: VOCLayoutStyle) {
        switch style {
        case .plain: root = output
        case .devkit: root = Self.join(output, "VOCdevkit", "VOC2012")
        }
    }

    public static let jpegImagesDirectory = "JPEGImages"
    public static let segmentationClassDirectory = "SegmentationClass"
    public static let segmentationObjectDirectory = "SegmentationObject"
    public static let annotationsDirectory = "Annotations"
    public static let imageSetsDirectory = "ImageSets"
    public static let labelMapFileName = "labelmap.txt"

    public var jpegImages: String { Self.join(root, Self.jpegImagesDirectory) }
    public var segmentationClass: String { Self.join(root, Self.segmentationClassDirectory) }
    public var segmentationObject: String { Self.join(root, Self.segmentationObjectDirectory) }
    public var annotations: String { Self.join(root, Self.annotationsDirectory) }
    /// `ImageSets/Segmentation`: one `<split>.txt` of item ids per split.
    public var segmentationSets: String { Self.join(root, Self.imageSetsDirectory, "Segmentation") }
    /// `ImageSets/Main`: the detection/classification lists.
    public var mainSets: String { Self.join(root, Self.imageSetsDirectory, "Main") }
    public var labelMapFile: String { Self.join(root, Self.labelMapFileName) }

    public func classPNG(_ item: String) -> String { Self.join(segmentationClass, item + ".png") }
    public func objectPNG(_ item: String) -> String { Self.join(segmentationObject, item + ".png") }
    public func annotationXML(_ item: String) -> String { Self.join(annotations, item + ".xml") }

    /// Finds the VOC tree at or below `input`: `input` itself when it holds any of the VOC
    /// directories, else `input/VOCdevkit/VOC20xx`, `input/VOC20xx` or
    /// `input/TrainVal/VOCdevkit/VOC20xx` (VOC2011's archive layout).
    ///
    /// - Throws: ``ConversionError`` (`io`) when nothing VOC-like is found, or (`usage`) when several
    ///   `VOC20xx` trees are found (pass one of them).
    public static func locate(_ input: String) throws -> VOCLayout {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: input, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ConversionError(.io, "VOC input is not a directory", context: ErrorContext(file: input),
                                  hint: "pass the directory holding JPEGImages/SegmentationClass, or its VOCdevkit parent")
        }
        if looksLikeTree(input) { return VOCLayout(root: input) }
        for base in [join(input, "VOCdevkit"), input, join(input, "TrainVal", "VOCdevkit")] {
            let years = ((try? fm.contentsOfDirectory(atPath: base)) ?? [])
                .filter { $0.hasPrefix("VOC") && $0.dropFirst(3).allSatisfy(\.isNumber) && $0.count > 3 }
                .sorted()
                .filter { looksLikeTree(join(base, $0)) }
            if years.count == 1 { return VOCLayout(root: join(base, years[0])) }
            if years.count > 1 {
                throw ConversionError(.usage, "several VOC trees found: \(years.joined(separator: ", "))",
                                      context: ErrorContext(file: base), hint: "pass one of them as the input directory")
            }
        }
        throw ConversionError(.io, "no VOC tree found (no SegmentationClass, SegmentationObject, Annotations or ImageSets)",
                              context: ErrorContext(file: input),
                              hint: "pass the directory holding them, or the directory holding VOCdevkit/VOC2012")
    }

    static func looksLikeTree(_ path: String) -> Bool {
        let fm = FileManager.default
        return [segmentationClassDirectory, segmentationObjectDirectory, annotationsDirectory, imageSetsDirectory]
            .contains { name in
                var isDirectory: ObjCBool = false
                return fm.fileExists(atPath: join(path, name), isDirectory: &isDirectory) && isDirectory.boolValue
            }
    }

    /// Path components joined with `/` (no normalisation).
    static func join(_ parts: String...) -> String {
        var out = ""
        for part in parts where !part.isEmpty {
            if out.isEmpty {
                out = part
            } else {
                out += (out.hasSuffix("/") ? "" : "/") + part
            }
        }
        return out
    }

    /// The item id (file stem) a sample is written under: ``SafePath/component(_:context:)`` of
    /// its file name (the last path component, control characters removed, `..` refused) without
    /// its extension.
    ///
    /// - Throws: ``ConversionError`` (`invalidValue`) for a name that would be empty, start with a
    ///   dot or have surrounding spaces (they would not survive the one-id-per-line ImageSets lists).
    public static func itemName(forFileName fileName: String, imageID: Int64) throws -> String {
        let context = ErrorContext(imageID: imageID, field: "file_name")
        let last = try SafePath.component(fileName, context: context)
        var stem = last
        if let dot = last.lastIndex(of: "."), dot != last.startIndex {
            stem = String(last[..<dot])
        }
        if stem.isEmpty || stem.hasPrefix(".") || stem != stem.trimmingASCIIWhitespace() {
            throw ConversionError(.invalidValue, "file name \(jsonString(fileName)) gives no usable VOC item name",
                                  context: context,
                                  hint: "names need a non-empty stem without a leading dot or surrounding spaces")
        }
        return stem
    }
}
