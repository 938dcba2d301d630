import CocoConvertCore
import CocoConvertLabels
import Foundation

/// HDF5 tensor shards in cococonvert's versioned layout as a cococonvert format (formats/hdf5.md).
public enum HDF5Format {
    public static let plugin = FormatPlugin(
        name: "hdf5",
        aliases: ["h5"],
        summary: "HDF5 tensor shards: labels (N,H,W) uint8/uint16 padded with the ignore index, an instances table, optional image bytes",
        reader: .splitSelecting(
            accepts: "a directory of <split>-NNNNN-of-MMMMM.h5 shards written by cococonvert (layout version 1), or one shard",
            detect: detect, isolatedCheck: { path in try HDF5ShardReader.isolatedCheck(path: path) }
        ) { try HDF5ShardReader(path: $0, split: $1, skips: $2) },
        writer: WriterPlugin(
            produces: "OUT/<split>-00000-of-000NN.h5 with --shard samples each; labels padded to each shard's largest image; optional embedded image bytes",
            output: .directory,
            options: [
                SharedOptions.shard, SharedOptions.split,
                .value("compression", "CODEC", help: "gzip (default: cococonvert's label-map deflate, fast and small), gzip:1 … gzip:9 (classic deflate levels), or none."),
                .value("pad-to", "HxW", help: "Pad every label map to HxW in every shard (default: each shard's largest sample)."),
                .value("chunk", "HxW", help: "Labels chunk tile (default: --pad-to, else 640x640 = one COCO image per chunk)."),
                .flag("embed-images", help: "Store each image file's encoded bytes in the shard (never decoded)."),
            ] + LabelOptions.writerSpecs(palette: false),
            // Partitions are whole shards, so every shard is written by one partition under its global name.
            partitionUnit: { values, _ in try values.int("shard", in: 1...Int(Int32.max)) ?? 1000 },
            configure: { values in
                let labels = try LabelOptions(values)
                if labels.kind == .panoptic {
                    throw ConversionError(.usage, "--kind panoptic makes RGB segment-id PNGs; HDF5 labels hold one value per pixel",
                                          hint: "use --kind semantic or --kind instance")
                }
                let options = try parse {
                    HDF5WriterOptions(shardSize: try values.int("shard", in: 1...Int(Int32.max)) ?? 1000,
                                      compression: try HDF5Compression(parsing: values.string("compression") ?? "gzip"),
                                      padTo: try values.string("pad-to").map(HDF5Size.init(parsing:)),
                                      chunk: try values.string("chunk").map(HDF5Size.init(parsing:)),
                                      embedImages: values.flag("embed-images"), split: values.string("split"))
                }
                if let tile = options.chunk ?? options.padTo, tile.height * tile.width < minimumChunkPixels {
                    throw ConversionError(.usage, "--chunk \(tile.height)x\(tile.width) is too small: a label tile holds at least \(minimumChunkPixels) pixels",
                                          hint: "tiny tiles make millions of chunks and very slow, large files; try 64x64 or more")
                }
                return { output, _ in
                    try HDF5ShardWriter(directory: output, options: options, labels: { header in try labelSetup(labels, header: header) })
                }
            }).describing(owns: ["*.h5"], losses: { _ in [] }, preview: { values, header, facts in
                // The instances table keeps every annotation as read: nothing of the model is lost.
                let perShard = try values.int("shard") ?? 1000
                let shards = max(1, (facts.samples + perShard - 1) / perShard)
                let lines = ["\(shards) shard\(shards == 1 ? "" : "s") of (N, H, W) labels and the instances table"]
                    + (try LabelOptions(values).previewLines(for: header, defaultCrowd: .skip))
                return OutputPreview(files: shards, bytes: facts.labelMapBytes + Int64(facts.instances) * 300
                                     + (values.flag("embed-images") ? facts.imageBytes : 0), lines: lines)
            }),
        inspector: { request in
            let summary = try HDF5ShardInspector.inspect(path: request.path)
            return Inspection(table: summary.description, json: summary.json.text(pretty: true))
        })

    /// The smallest label chunk tile accepted (64×64).
    static let minimumChunkPixels = 4096

    /// Option values the HDF5 types refuse become usage errors.
    private static func parse<T>(_ make: () throws -> T) throws -> T {
        do {
            return try make()
        } catch let error as ConversionError {
            throw error.code == .usage ? error : ConversionError(.usage, error.message, hint: error.hint)
        }
    }

    /// The painter and mapping of an HDF5 run, from the label options and the dataset header.
    static func labelSetup(_ labels: LabelOptions, header: DatasetHeader) throws -> HDF5LabelSetup {
        let paint = try labels.paintOptions(for: header)
        let painter = LabelPainter(options: paint)
        let recorded: [(key: String, value: String)] = [
            ("labels", labels.labels ?? (header.labelSchema != nil ? "source" : "contiguous")),
            ("kind", paint.kind.rawValue), ("crowd", paint.crowd.rawValue), ("overlap", paint.overlap.rawValue),
            ("unmapped", paint.unmapped.rawValue),
        ]
        // Instance maps number instances per image, so the mapping does not bound them: use 16 bits.
        let type: HDF5LabelType? = paint.kind == .instance ? .uint16 : nil
        return HDF5LabelSetup(schema: paint.schema, labelOptions: recorded, labelType: type) { sample in
            let map = try painter.paint(sample)
            return (map.width, map.height, map.pixels)
        }
    }

    /// The HDF5 signature where the format allows it (offset 0, or after a user block of 512, 1024
    /// or 2048 bytes; cococonvert shards carry a 512-byte seal block), or a directory of `.h5` files.
    static func detect(_ probe: InputProbe) -> Detection? {
        if probe.isDirectory {
            return probe.hasEntry(endingWith: ".h5") ? Detection(confidence: 90, "a directory of HDF5 shards") : nil
        }
        let signature: [UInt8] = [0x89, 0x48, 0x44, 0x46, 0x0D, 0x0A, 0x1A, 0x0A]
        let found = [0, 512, 1024, 2048].contains { offset in
            probe.head.count >= offset + 8 && Array(probe.head[offset..<offset + 8]) == signature
        }
        return found ? Detection(confidence: 100, "an HDF5 file") : nil
    }
}

extension HDF5ShardSummary {
    /// The summary as `inspect --json` prints it.
    var json: JSONValue {
        .object([
            ("format", .string("hdf5")), ("format_version", .int(formatVersion)), ("split", .optional(split)),
            ("shards", .array(shards.map {
                .object([("path", .string($0.path)), ("samples", .int($0.samples)), ("instances", .int($0.instances)),
                         ("label_shape", .array($0.labelShape.map { .int($0) })), ("bytes", .int($0.bytes))])
            })),
            ("samples", .int(totalSamples)), ("instances", .int(totalInstances)), ("bytes", .int(totalBytes)),
            ("categories", .int(categories)), ("label_type", .string(labelType)), ("label_chunk", .array(labelChunk.map { .int($0) })),
            ("label_filters", .array(labelFilters.map { .string($0) })), ("ignore_index", ignoreIndex.map { .int(Int64($0)) } ?? .null),
            ("background", background.map { .int(Int64($0)) } ?? .null), ("images_embedded", .bool(hasImages)),
        ])
    }
}
