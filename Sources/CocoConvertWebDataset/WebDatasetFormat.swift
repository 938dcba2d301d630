import CocoConvertCore
import CocoConvertLabelMaps
import CocoConvertLabels
import Foundation

/// WebDataset tar shards (formats/webdataset.md): read by `webdataset`, Hugging Face `datasets`
/// (`load_dataset("webdataset", …)`), Ray Data and the SAM training stacks.
public enum WebDatasetFormat {
    public static let plugin = FormatPlugin(
        name: "webdataset",
        aliases: ["wds"],
        summary: "WebDataset tar shards: per key the image bytes, .json (annotations, compressed-RLE masks) and a label .png",
        reader: ReaderPlugin(
            accepts: "a .tar shard or a directory of <split>-NNNNNN.tar shards: key.jpg + key.json (COCO-style annotations), or key.jpg + key.png (label map)",
            options: [
                SharedOptions.split,
                .value("category-file", "FILE", help: "A COCO JSON whose categories to use (default: <split>.dataset.json beside the shards, else the samples' category_id/category_name)."),
                LabelOptions.labelsSpec,
            ],
            detect: detect,
            configure: configureReader),
        writer: WriterPlugin(
            produces: "OUT/<split>-000000.tar, … (per key: the image as is, .json with compressed-RLE masks, .png label map) + <split>.dataset.json",
            output: .directory,
            options: [
                SharedOptions.split,
                SharedOptions.shard,
                .value("shard-size", "BYTES", help: "Start a new shard before one would pass BYTES (e.g. 1000000000, or 1G, 500M) instead of counting samples."),
                .flag("instance-map", help: "Add <key>.instance.png: instance ids 1…K as the PNG writer's --kind instance paints them (overlaps: --overlap, else smaller on top)."),
            ] + LabelOptions.writerSpecs(kind: false),
            partitionUnit: partitionUnit,
            configure: configureWriter
        ).describing(owns: ["*.tar", "*.dataset.json"], losses: losses, preview: preview))

    /// What the shards cannot carry: only polygon vertices (the `.json` keeps everything else).
    @Sendable static func losses(_ values: OptionValues) -> [Loss] {
        [Loss(.polygons, "rasterised: the .json holds every mask as compressed RLE (pycocotools' string)")]
    }

    /// `--dry-run`: shards, size (image bytes, label maps, JSON), label mapping.
    @Sendable static func preview(_ values: OptionValues, _ header: DatasetHeader, _ facts: InputFacts) throws -> OutputPreview {
        let instanceMaps = values.flag("instance-map")
        let labelBytes = facts.labelMapBytes * (instanceMaps ? 2 : 1)
        let bytes = facts.imageBytes + labelBytes + Int64(facts.instances) * 600 + Int64(facts.samples) * 3 * 512
        let shards: Int
        var layout: String
        if let text = values.string("shard-size"), let limit = parseByteCount(text) {
            shards = max(1, Int((bytes + limit - 1) / limit))
            layout = "about \(shards) shard(s) of at most \(text) bytes"
        } else {
            let perShard = try values.int("shard") ?? 1000
            shards = max(1, (facts.samples + perShard - 1) / perShard)
            layout = "\(shards) shard(s) of \(perShard) samples"
        }
        let split = values.string("split") ?? header.split ?? "train"
        layout += " \(split)-NNNNNN.tar (per key: image, .json, .png\(instanceMaps ? ", .instance.png" : "")) and \(split).dataset.json"
        let lines = [layout] + (try LabelOptions(values).previewLines(for: header, defaultCrowd: .skip))
        return OutputPreview(files: shards + 1, bytes: bytes, lines: lines)
    }

    /// Partitions and checkpoints are whole `--shard N` shards, so each shard is written by one
    /// partition under its global name. Shards cut by bytes end where the bytes before them say,
    /// which no partition knows up front: refused.
    @Sendable static func partitionUnit(_ values: OptionValues, _ totalSamples: Int) throws -> Int {
        if let text = values.string("shard-size") {
            throw ConversionError(.usage, "--shard-size \(text) cannot be split into partitions or checkpoints (--partitions, --resume): where a shard ends depends on the bytes of every sample before it",
                                  hint: "use --shard N (samples per shard) with --partitions or --resume, or convert in one run with --shard-size")
        }
        return try values.int("shard", in: 1...Int(Int32.max)) ?? 1000
    }

    @Sendable static func configureReader(_ values: OptionValues) throws -> ReaderPlugin.Open {
        let labels = try LabelOptions(values)
        let split = values.string("split")
        let categoriesFile = values.string("category-file")
        var labelSchema: (@Sendable (DatasetHeader) throws -> LabelSchema)?
        if labels.labels != nil {
            labelSchema = { @Sendable header in try labels.paintOptions(for: header).schema }
        }
        return { input, skips in
            let categories = try categoriesFile.map { try LabelMapReaderOptions.loadCategories(cocoFile: $0) }
            return try WebDatasetReader(path: input, options: WebDatasetReaderOptions(split: split, categories: categories,
                                                                                        labelSchema: labelSchema),
                                        skips: skips)
        }
    }

    @Sendable static func configureWriter(_ values: OptionValues) throws -> WriterPlugin.Create {
        try values.refuseTogether("shard", "shard-size", hint: "--shard N counts samples, --shard-size BYTES counts bytes")
        let limit: WebDatasetShardLimit
        if let text = values.string("shard-size") {
            guard let bytes = parseByteCount(text), bytes >= 4096 else {
                throw ConversionError(.usage, "--shard-size '\(text)' is not a byte count of at least 4096",
                                      hint: "give bytes, or a number with K, M or G (1G = 2^30 bytes)")
            }
            limit = .bytes(bytes)
        } else {
            limit = .samples(try values.int("shard", in: 1...Int(Int32.max)) ?? 1000)
        }
        let labels = try LabelOptions(values)
        let labelMap = LabelMapWriterOptions(paint: { header in try labels.paintOptions(for: header) },
                                             palette: try labels.palette(formatDefault: "voc"),
                                             paletteName: labels.paletteLabel(formatDefault: "voc"))
        var instanceMap: LabelMapWriterOptions?
        if values.flag("instance-map") {
            var painted = labels
            painted.kind = .instance
            painted.overlapOption = labels.overlapOption ?? .smaller
            let instanceLabels = painted
            instanceMap = LabelMapWriterOptions(paint: { header in try instanceLabels.paintOptions(for: header) }, palette: nil)
        }
        let options = WebDatasetWriterOptions(shardLimit: limit, split: values.string("split"), labelMap: labelMap,
                                              instanceMap: instanceMap)
        return { output, skips in WebDatasetWriter(directory: output, options: options, skips: skips) }
    }

    /// `123`, `64K`, `500M`, `1G` (powers of 1024).
    static func parseByteCount(_ text: String) -> Int64? {
        let t = text.trimmingCharacters(in: .whitespaces).uppercased()
        var digits = Substring(t)
        var scale: Int64 = 1
        for (suffix, s) in [("KB", Int64(1) << 10), ("MB", 1 << 20), ("GB", 1 << 30), ("K", 1 << 10), ("M", 1 << 20), ("G", 1 << 30), ("B", 1)]
        where digits.hasSuffix(suffix) {
            digits = digits.dropLast(suffix.count)
            scale = s
            break
        }
        guard let n = Int64(digits), n > 0 else { return nil }
        let (product, overflow) = n.multipliedReportingOverflow(by: scale)
        return overflow ? nil : product
    }

    /// A tar file (ustar magic at byte 257), or a directory of `.tar` files: 95 with cococonvert's
    /// `<split>.dataset.json` beside them, 60 without (SA-1B's `sa_*.tar` directories rank higher).
    static func detect(_ probe: InputProbe) -> Detection? {
        if probe.isDirectory {
            guard probe.hasEntry(endingWith: ".tar") else { return nil }
            if probe.hasEntry(endingWith: ".dataset.json") { return Detection(confidence: 95, "a directory of WebDataset shards") }
            return Detection(confidence: 60, "a directory of tar files")
        }
        guard probe.head.count >= 512 else { return nil }
        if probe.head[257..<262].elementsEqual(Array("ustar".utf8)) {
            return Detection(confidence: 90, "a tar file (WebDataset shard)")
        }
        return nil
    }
}
