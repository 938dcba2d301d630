import ArgumentParser
import CocoConvertCOCO
import CocoConvertCore
import CocoConvertHDF5
import Foundation

/// `cococonvert inspect IN`: what a dataset file holds and what is wrong with it.
struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show what a COCO annotation file or an HDF5 shard directory holds, and the problems in it.",
        discussion: """
            Counts of images, annotations, categories and crowd annotations, instances per category,
            image sizes and problems (unknown or duplicate ids, undeclared categories, broken records).
            The default scan only indexes the file (fast); --deep parses and checks every record as a
            conversion would (types, RLE sums, mask sizes) and checks that the image files exist.
            Exit status: 0 no problems, 65 problems found or unreadable input, 64 bad command line.
            """)

    @Argument(help: "A COCO JSON file (instances, stuff, results or panoptic), or cococonvert HDF5 shards (a directory or one .h5 file).")
    var input: String

    @Flag(name: .customLong("json"), help: "Print one JSON object instead of the table.")
    var json = false

    @Flag(name: .customLong("deep"), help: "Parse and validate every record, and check the image files.")
    var deep = false

    @Option(name: .customLong("images"), help: "Image directory for --deep (default: the COCO convention, annotations/instances_val2017.json → val2017/).")
    var images: String?

    @Option(name: .customLong("problems"), help: "How many problems to list (default 20; all are counted).")
    var problemLimit = 20

    func validate() throws {
        if problemLimit < 0 { throw ValidationError("--problems must be 0 or more.") }
    }

    func run() throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: input, isDirectory: &isDirectory) else {
            FileHandle.standardError.write(Data("error: \(input): no such file\n".utf8))
            throw ExitCode(65)
        }
        if isDirectory.boolValue || Self.isHDF5(input) {
            try inspectShards()
            return
        }
        let inspection: COCOInspection
        do {
            inspection = try COCOInspector.inspect(
                path: input, options: COCOInspector.Options(deep: deep, imagesDirectory: images, problemLimit: problemLimit))
        } catch let error as ConversionError {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(65)
        }
        print(json ? Self.jsonText(inspection) : Self.table(inspection))
        if inspection.problemCount > 0 { throw ExitCode(65) }
    }

    /// True when `path` holds the HDF5 signature where the format allows it (offset 0, or after a
    /// user block of 512, 1024 or 2048 bytes; cococonvert shards carry a 512-byte seal block).
    static func isHDF5(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        guard let head = try? handle.read(upToCount: 2056).map({ [UInt8]($0) }) else { return false }
        let signature: [UInt8] = [0x89, 0x48, 0x44, 0x46, 0x0D, 0x0A, 0x1A, 0x0A]
        return [0, 512, 1024, 2048].contains { offset in
            head.count >= offset + 8 && Array(head[offset..<offset + 8]) == signature
        }
    }

    /// `inspect` on cococonvert HDF5 shards (a directory of them or one file).
    private func inspectShards() throws {
        let summary: HDF5ShardSummary
        do {
            summary = try HDF5ShardInspector.inspect(path: input)
        } catch let error as ConversionError {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(65)
        }
        guard json else {
            print(summary.description)
            return
        }
        let object: [String: Any] = [
            "format": "hdf5", "format_version": summary.formatVersion, "split": summary.split ?? NSNull(),
            "shards": summary.shards.map { ["path": $0.path, "samples": $0.samples, "instances": $0.instances,
                                            "label_shape": $0.labelShape, "bytes": $0.bytes] as [String: Any] },
            "samples": summary.totalSamples, "instances": summary.totalInstances, "bytes": summary.totalBytes,
            "categories": summary.categories, "label_type": summary.labelType, "label_chunk": summary.labelChunk,
            "label_filters": summary.labelFilters, "ignore_index": summary.ignoreIndex ?? NSNull(),
            "background": summary.background ?? NSNull(), "images_embedded": summary.hasImages,
        ]
        let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
        print(String(decoding: data, as: UTF8.self))
    }

    /// The inspection as pretty JSON with snake_case keys.
    static func jsonText(_ inspection: COCOInspection) -> String {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(inspection) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    /// The inspection as a human-readable table.
    static func table(_ i: COCOInspection) -> String {
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
