import CocoConvertCore
import Foundation

/// Writes samples into HDF5 shards `OUT/<split>-00000-of-000NN.h5` of `shardSize` consecutive samples,
/// in the layout of ``HDF5ShardSchema`` (see `formats/hdf5.md`).
///
/// `render` (any thread) paints the label map, cuts it into filtered chunks, encodes instance masks
/// and reads the image file; `commit` (one thread, in order) only hands bytes to HDF5. Memory: one
/// sample in flight per worker plus the table buffers of the open shard (bounded by row and byte
/// thresholds), whatever the shard size. Shards are written under temporary names and renamed in
/// ``finish()``, when the shard count is known; on failure the temporaries are removed.
public final class HDF5ShardWriter: DatasetWriter, @unchecked Sendable {
    /// Paints one sample's label map (see ``HDF5LabelSetup/Painter``).
    public typealias Painter = HDF5LabelSetup.Painter

    /// What `render` produces for one sample.
    public struct Rendered: Sendable {
        let imageID: Int64
        let fileName: String
        let height: Int32
        let width: Int32
        let imageExtra: String
        /// The panoptic record (segment PNG name, other members as JSON), if the sample has one.
        let panoptic: (fileName: String, extra: String)?
        let chunks: [EncodedChunk]
        let instances: [InstanceRecord]
        let image: [UInt8]?
    }

    /// The output directory.
    public let directory: String
    /// Shard size, compression, padding, chunking, image embedding, split.
    public let options: HDF5WriterOptions
    private let makeSetup: @Sendable (DatasetHeader) throws -> HDF5LabelSetup

    // Set once in `begin`, read-only afterwards (render runs on many threads).
    private var setup: HDF5LabelSetup?
    private var chunker: LabelChunker?
    private var header: DatasetHeader?

    // Commit-side state (one thread).
    private var shard: ShardFile?
    private var finishedShards: [(temporary: String, index: Int)] = []
    private var samplesCommitted = 0
    private var instancesCommitted = 0
    private var finished = false

    /// - Parameters:
    ///   - directory: output directory (created if missing).
    ///   - labels: decides the label mapping and painter from the dataset header, in ``begin(_:)``.
    public init(directory: String, options: HDF5WriterOptions,
                labels: @escaping @Sendable (DatasetHeader) throws -> HDF5LabelSetup) throws {
        guard options.shardSize >= 1 else {
            throw ConversionError(.usage, "--shard must be at least 1 (got \(options.shardSize))")
        }
        let tile = options.effectiveChunk
        let (area, overflow) = tile.height.multipliedReportingOverflow(by: tile.width)
        guard tile.height >= 1, tile.width >= 1, !overflow, area < Int(UInt32.max) / 2 else {
            throw ConversionError(.usage, "chunk \(tile) is too large for HDF5 (a chunk must stay under 4 GiB)")
        }
        self.directory = directory
        self.options = options
        self.makeSetup = labels
    }

    /// A writer whose label setup does not depend on the header.
    public convenience init(directory: String, options: HDF5WriterOptions, labels: HDF5LabelSetup) throws {
        try self.init(directory: directory, options: options, labels: { _ in labels })
    }

    deinit {
        if !finished { abandon() }
    }

    // MARK: DatasetWriter

    /// Decides the label setup from `header` and creates the output directory.
    public func begin(_ header: DatasetHeader) throws {
        self.header = header
        _ = try resolvedSplit()
        let setup = try makeSetup(header)
        let type = setup.effectiveLabelType
        guard setup.schema.ignoreIndex <= UInt32(type.maxValue) else {
            throw ConversionError(.usage, "ignore index \(setup.schema.ignoreIndex) does not fit \(type.rawValue) labels",
                                  hint: "choose an ignore index up to \(type.maxValue)")
        }
        self.setup = setup
        chunker = LabelChunker(tile: options.effectiveChunk, type: type, fill: UInt16(setup.schema.ignoreIndex),
                               compression: options.compression)
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw ConversionError(.io, "cannot create the output directory: \(error.localizedDescription)",
                                  context: ErrorContext(file: directory))
        }
    }

    /// Paints, chunks and compresses the label map, encodes the instances, reads the image (any thread).
    public func render(_ sample: Sample) throws -> Rendered {
        let context = ErrorContext(imageID: sample.id)
        guard let height = Int32(exactly: sample.height), let width = Int32(exactly: sample.width), height >= 0, width >= 0 else {
            throw ConversionError(.invalidValue, "image size \(sample.width)x\(sample.height) is invalid", context: context)
        }
        if let pad = options.padTo, sample.height > pad.height || sample.width > pad.width {
            throw ConversionError(.sizeMismatch, "image is \(sample.height)x\(sample.width) (HxW), larger than --pad-to \(pad)",
                                  context: context, hint: "raise --pad-to or leave --pad-to out to pad per shard")
        }
        guard let setup, let chunker else { preconditionFailure("HDF5ShardWriter.render before begin") }
        let painted = try setup.painter(sample)
        guard painted.width == sample.width, painted.height == sample.height,
              painted.pixels.count == painted.width * painted.height else {
            throw ConversionError(.sizeMismatch, "label map is \(painted.width)x\(painted.height), image is \(sample.width)x\(sample.height)",
                                  context: context)
        }
        let (chunks, tooLarge) = chunker.chunks(pixels: painted.pixels, width: painted.width, height: painted.height)
        if let tooLarge {
            throw ConversionError(.unsupported, "label value \(tooLarge) does not fit this run's \(chunker.type.rawValue) labels",
                                  context: context,
                                  hint: "the label mapping should list every value; pass a mapping whose values fit, or a 16-bit kind")
        }
        let instances = try sample.instances.map { try InstanceRecord($0, in: sample, limits: options.limits) }
        var image: [UInt8]?
        if options.embedImages { image = try imageBytes(sample) }
        return Rendered(imageID: sample.id, fileName: sample.fileName, height: height, width: width,
                        imageExtra: JSONText.object(from: sample.extra),
                        panoptic: sample.panoptic.map { ($0.fileName, JSONText.object(from: $0.extra)) }, chunks: chunks, instances: instances, image: image)
    }

    /// Appends one rendered sample to the open shard, starting a new shard when it is full.
    public func commit(_ rendered: Rendered) throws {
        guard let chunker, !finished else { preconditionFailure("HDF5ShardWriter.commit outside begin…finish") }
        if let open = shard, open.samples >= options.shardSize {
            try closeShard(open)
        }
        if shard == nil {
            shard = try openShard(index: finishedShards.count)
        }
        guard let open = shard else { return }
        try open.append(rendered, chunker: chunker)
        samplesCommitted += 1
        instancesCommitted += rendered.instances.count
    }

    /// Closes the last shard, stamps the shard count into every shard, seals and renames them.
    public func finish() throws -> WriteSummary {
        guard let chunker, !finished else { preconditionFailure("HDF5ShardWriter.finish called twice or before begin") }
        if shard == nil && finishedShards.isEmpty {
            // No samples: still write one (empty) shard so the header survives.
            shard = try openShard(index: 0)
        }
        if let open = shard { try closeShard(open) }
        let count = finishedShards.count
        let split = try resolvedSplit()
        var summary = WriteSummary()
        // Complete every shard before renaming any, so a failure leaves no partial set behind.
        for s in finishedShards {
            let file = try HDF5File.openForUpdate(path: s.temporary)
            try file.setAttribute(HDF5ShardSchema.Attribute.shardCount, Int64(count))
            try file.setAttribute(HDF5ShardSchema.Attribute.totalSamples, Int64(samplesCommitted))
            try file.close()
            try ShardSeal.seal(path: s.temporary)
        }
        for s in finishedShards {
            let final = (directory as NSString).appendingPathComponent(HDF5ShardName(split: split, index: s.index, count: count).fileName)
            try AtomicFile.commit(s.temporary, to: final)
            summary.bytes += (try? FileManager.default.attributesOfItem(atPath: final)[.size] as? Int64) ?? 0
        }
        finished = true
        summary.samples = samplesCommitted
        summary.instances = instancesCommitted
        summary.files = count
        summary.notes.append("labels: \(chunker.type.rawValue), chunk (1, \(chunker.tile.height), \(chunker.tile.width)), \(options.compression)")
        let stale = staleShards(split: split, count: count)
        if !stale.isEmpty {
            summary.notes.append("\(stale.count) shard file(s) of an earlier run with another shard count are still in \(directory) (e.g. \(stale[0])); remove them before reading the directory")
        }
        return summary
    }

    // MARK: Shards

    private func resolvedSplit() throws -> String {
        let raw = options.split ?? header?.split ?? "data"
        do {
            return try SafePath.component(raw)
        } catch {
            throw ConversionError(.usage, "split name '\(raw)' cannot be used in a file name", hint: "pass --split NAME")
        }
    }

    private func openShard(index: Int) throws -> ShardFile {
        guard let header, let setup, let chunker else { preconditionFailure("openShard before begin") }
        let split = try resolvedSplit()
        let temporary = (directory as NSString).appendingPathComponent(".\(split)-\(index).h5.partial-\(getpid())")
        let attributes = ShardFile.Attributes(
            header: header, split: split, index: index, sampleOffset: Int64(samplesCommitted), options: options,
            setup: setup, labelType: chunker.type, tile: chunker.tile)
        return try ShardFile(path: temporary, attributes: attributes)
    }

    private func closeShard(_ open: ShardFile) throws {
        try open.close()
        finishedShards.append((open.path, open.index))
        shard = nil
    }

    /// Removes temporaries after a failure (or when the writer is dropped before finishing).
    private func abandon() {
        let paths = finishedShards.map(\.temporary) + (shard.map { [$0.path] } ?? [])
        shard = nil  // releases the HDF5 handles before the files are removed
        for p in paths { try? FileManager.default.removeItem(atPath: p) }
        finishedShards = []
    }

    private func staleShards(split: String, count: Int) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { name in
            guard let parsed = HDF5ShardName(fileName: name) else { return false }
            return parsed.split == split && parsed.count != count
        }.sorted()
    }

    private func imageBytes(_ sample: Sample) throws -> [UInt8] {
        switch sample.image {
        case .bytes(let b):
            return b
        case .none:
            throw ConversionError(.missingFile, "no image to embed", context: ErrorContext(imageID: sample.id),
                                  hint: "give the image directory with --images, or do not embed images")
        case .file(let path):
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
                  let size = attributes[.size] as? Int else {
                throw ConversionError(.missingFile, "image file not found", context: ErrorContext(file: path, imageID: sample.id),
                                      hint: "give the image directory with --images, or do not embed images")
            }
            guard size <= options.maxImageBytes else {
                throw ConversionError(.limitExceeded, "image file has \(size) bytes, more than \(options.maxImageBytes)",
                                      context: ErrorContext(file: path, imageID: sample.id))
            }
            guard let data = FileManager.default.contents(atPath: path) else {
                throw ConversionError(.io, "cannot read the image file", context: ErrorContext(file: path, imageID: sample.id))
            }
            return [UInt8](data)
        }
    }
}
