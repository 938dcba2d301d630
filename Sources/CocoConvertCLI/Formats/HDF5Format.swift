import CocoConvertCore
import CocoConvertHDF5

extension FormatPlugin {
    /// HDF5 tensor shards in cococonvert's versioned layout (formats/hdf5.md).
    static let hdf5 = FormatPlugin(
        id: .hdf5,
        summary: "HDF5 tensor shards: labels (N,H,W) uint8/uint16 padded with the ignore index, an instances table, optional image bytes",
        reads: "a directory of <split>-NNNNN-of-MMMMM.h5 shards written by cococonvert (layout version 1), or one shard",
        writes: "OUT/<split>-00000-of-000NN.h5 with --shard samples each; --labels/--crowd/--overlap/--kind, --compression, --pad-to, --chunk, --embed-images",
        makeReader: { input, options, skips in
            try HDF5ShardReader(path: input, split: options.split, skips: skips)
        },
        makeWriter: { output, options, _ in
            let labels = options.labels
            return try HDF5ShardWriter(
                directory: output, options: try options.hdf5.writerOptions(shard: options.shard, split: options.split),
                labels: { header in try hdf5LabelSetup(labels, header: header) })
        })

    /// The painter and mapping of an HDF5 run, from the label options and the dataset header.
    private static func hdf5LabelSetup(_ labels: LabelOptions, header: DatasetHeader) throws -> HDF5LabelSetup {
        let paint = try labels.paintOptions(for: header)
        guard paint.kind != .panoptic else {
            throw ConversionError(.usage, "--kind panoptic makes RGB segment-id PNGs; HDF5 labels hold one value per pixel",
                                  hint: "use --kind semantic or --kind instance")
        }
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
}
