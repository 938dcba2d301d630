import CocoConvertCore

/// One shard being written: the file, its `labels` dataset and the buffered tables.
final class ShardFile {
    /// Root attributes known when the shard is opened.
    struct Attributes {
        var header: DatasetHeader
        var split: String
        var index: Int
        var sampleOffset: Int64
        var options: HDF5WriterOptions
        var setup: HDF5LabelSetup
        var labelType: HDF5LabelType
        var tile: HDF5Size
    }

    let path: String
    let index: Int
    private(set) var samples = 0
    private(set) var instances = 0

    private var file: HDF5File?
    private var labels: HDF5Dataset?
    /// Current `labels` extent (rows, height, width).
    private var extent: (rows: Int, height: Int, width: Int)
    private let tile: HDF5Size

    /// The buffered tables; released (with their datasets) before the file closes.
    private var tables: ShardTables?

    init(path: String, attributes a: Attributes) throws {
        let options = a.options, labelType = a.labelType, schema = a.setup.schema
        self.path = path
        self.index = a.index
        self.tile = a.tile
        let file = try HDF5File.create(path: path, userBlock: ShardSeal.size)
        self.file = file
        typealias D = HDF5ShardSchema.Dataset
        typealias A = HDF5ShardSchema.Attribute

        // Root attributes first: a reader checks `format` before anything else.
        try file.setAttribute(A.format, HDF5ShardSchema.formatName)
        try file.setAttribute(A.formatVersion, HDF5ShardSchema.formatVersion)
        try file.setAttribute(A.writer, "cococonvert (HDF5 \(HDF5Library.version))")
        try file.setAttribute(A.datasetKind, a.header.kind.rawValue)
        try file.setAttribute(A.split, a.split)
        try file.setAttribute(A.categories, HeaderJSON.categories(a.header.categories))
        try file.setAttribute(A.labelMapping, HeaderJSON.mapping(schema))
        try file.setAttribute(A.labelOptions, HeaderJSON.stringObject(a.setup.labelOptions.map { ($0.key, $0.value) }))
        try file.setAttribute(A.labelDType, labelType.rawValue)
        try file.setAttribute(A.ignoreIndex, Int64(schema.ignoreIndex))
        try file.setAttribute(A.background, Int64(schema.background))
        if let pad = options.padTo { try file.setAttribute(A.padTo, pad.description) }
        try file.setAttribute(A.shardIndex, Int64(a.index))
        try file.setAttribute(A.sampleOffset, a.sampleOffset)
        if let info = a.header.info { try file.setAttribute(A.info, info) }
        if let licenses = a.header.licenses { try file.setAttribute(A.licenses, licenses) }
        if !a.header.extra.isEmpty { try file.setAttribute(A.datasetExtra, HeaderJSON.object(from: a.header.extra)) }

        // labels: (N, H, W), one (1, tile) chunk per sample when the sample fits the tile.
        let pad = options.padTo
        extent = (0, pad?.height ?? 0, pad?.width ?? 0)
        labels = try file.createDataset(D.labels, HDF5DatasetSpec(
            element: .numeric(labelType.numeric), dims: [0, extent.height, extent.width],
            maxDims: [nil, pad?.height, pad?.width], chunk: [1, tile.height, tile.width],
            shuffle: options.compression != .none, deflateLevel: options.compression.deflateLevel,
            fill: Double(schema.ignoreIndex)))

        tables = try ShardTables(file: file, options: options, panoptic: a.header.kind == .panoptic)
    }

    /// Adds one rendered sample at row `samples`.
    func append(_ r: HDF5ShardWriter.Rendered, chunker: LabelChunker) throws {
        guard let labels, let t = tables else { preconditionFailure("ShardFile.append after close") }
        let row = samples
        let newExtent = (row + 1, max(extent.height, Int(r.height)), max(extent.width, Int(r.width)))
        try labels.setExtent([newExtent.0, newExtent.1, newExtent.2])
        extent = newExtent
        for chunk in r.chunks {
            try labels.writeChunk(chunk.data, at: [row, chunk.tileRow * tile.height, chunk.tileColumn * tile.width],
                                  filterMask: chunk.filterMask)
        }

        t.append(r, row: row, firstInstance: instances)
        samples += 1
        instances += r.instances.count
        if t.needsFlush { try t.flush() }
    }

    /// Writes the remaining rows and the per-shard counts, and closes the file.
    func close() throws {
        guard let file else { return }
        try tables?.flush()
        try file.setAttribute(HDF5ShardSchema.Attribute.shardSamples, Int64(samples))
        try file.setAttribute(HDF5ShardSchema.Attribute.shardInstances, Int64(instances))
        // Release every dataset before closing, so H5Fclose really closes (and flushes) the file.
        labels = nil
        tables = nil
        self.file = nil
        try file.close()
    }
}
