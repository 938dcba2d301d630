import CocoConvertCore
import Foundation

/// The two ways `inspect` shows a COCO inspection.
extension COCOInspection {
    /// The inspection as pretty JSON with snake_case keys.
    var jsonText: String {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(self) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    /// The inspection as a human-readable table.
    var table: String {
        let i = self
        var lines: [String] = []
        func row(_ label: String, _ value: String) {
            lines.append(label.padding(toLength: 15, withPad: " ", startingAt: 0) + value)
        }
        let kindName = ["instances": "instances", "stuff": "COCO-Stuff", "results": "results list", "panoptic": "panoptic"][i.kind] ?? i.kind
        row("file", i.path)
        row("format", "COCO \(kindName), \(ByteCount.format(i.fileBytes))" + (i.split.map { ", split \($0)" } ?? ""))
        row("images", "\(i.images)" + (i.imagesWithoutAnnotations > 0 ? " (\(i.imagesWithoutAnnotations) without annotations)" : ""))
        if i.kind == "panoptic" {
            row("segments", "\(i.instances) in \(i.annotations) records (crowd \(i.crowd))")
        } else {
            row("annotations", "\(i.annotations) (crowd \(i.crowd))")
        }
        row("categories", "\(i.categories)")
        let forms = [("polygons", "polygons"), ("uncompressed_rle", "uncompressed RLE"), ("compressed_rle", "compressed RLE"),
                     ("none", "none"), ("other", "other")]
            .compactMap { key, name in i.segmentation[key].map { "\(name) \($0)" } }
        if !forms.isEmpty { row("segmentation", forms.joined(separator: ", ")) }
        if !i.imageSizes.isEmpty {
            let top = i.imageSizes.prefix(6).map { "\($0.width)×\($0.height): \($0.images)" }
            let rest = i.imageSizes.dropFirst(6).reduce(0) { $0 + $1.images }
            row("image sizes", top.joined(separator: ", ") + (rest > 0 ? ", \(i.imageSizes.count - 6) other sizes: \(rest)" : ""))
        }
        if let directory = i.imagesDirectory {
            row("image files", directory + (i.imagesMissing.map { $0 == 0 ? " (all present)" : " (\($0) missing)" } ?? ""))
        }
        if !i.perCategory.isEmpty {
            lines.append("")
            lines.append("      id  category                     instances     crowd")
            for c in i.perCategory {
                let name = (c.name ?? "(not declared)").padding(toLength: 26, withPad: " ", startingAt: 0)
                lines.append(Self.pad(String(c.id), 8) + "  " + name + Self.pad(String(c.instances), 10) + Self.pad(String(c.crowd), 10))
            }
        }
        lines.append("")
        if i.problemCount == 0 {
            lines.append("problems: none found" + (i.deep ? "" : " (index scan; --deep checks every record)"))
        } else {
            lines.append("problems: \(i.problemCount)" + (i.problems.count < i.problemCount ? " (first \(i.problems.count) listed)" : ""))
            for p in i.problems {
                var place: [String] = []
                if let offset = p.byteOffset { place.append("byte \(offset)") }
                if let image = p.imageID { place.append("image \(image)") }
                if let annotation = p.annotationID { place.append("annotation \(annotation)") }
                if let field = p.field { place.append(field) }
                lines.append("  [\(p.code)] " + (place.isEmpty ? "" : place.joined(separator: ", ") + ": ") + p.message)
            }
        }
        lines.append(String(format: "scanned in %.2f s (%.0f MB/s)", i.seconds, i.megabytesPerSecond))
        return lines.joined(separator: "\n")
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
    }
}
