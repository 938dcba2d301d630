import CocoConvertCore
import Foundation

/// Writes samples into HDF5 shards `OUT/<split>-00000-of-000NN.h5` of `shardSize` consecutive samples,
/// in the layout of ``HDF5ShardSchema`` (see `formats/hdf5.md`).
///
/// ``begin(_:)`` decides the label setup; its ``HDF5ShardRenderer`` (any thread) paints the label
/// map, cuts it into filtered chunks, encodes instance masks and reads the image file; its
/// ``HDF5ShardSink`` (one thread, in order) only hands bytes to HDF5. Memory: one
/// sample in flight per worker plus the table buffers of the open shard (bounded by row and byte
/// thresholds), whatever the shard size. Shards are written under temporary names and renamed in
/// ``HDF5ShardSink/finish()``, when the shard count is known; on failure the temporaries are removed.
public final class HDF5ShardWriter: DatasetWriter {
    /// Paints one sample's label map (see ``HDF5LabelSetup/Painter``).
    public typealias Painter = HDF5LabelSetup.Painter

    /// What ``HDF5ShardRenderer/render(_:)`` produces for one sample.
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

    // MARK: DatasetWriter

    /// Decides the label setup from `header` and creates the output directory.
    public func begin(_ header: DatasetHeader) throws -> (renderer: HDF5ShardRenderer, sink: HDF5ShardSink) {
        let split = try resolvedSplit(header)
        let setup = try makeSetup(header)
        let type = setup.effectiveLabelType
        guard setup.schema.ignoreIndex <= UInt32(type.maxValue) else {
            throw ConversionError(.usage, "ignore index \(setup.schema.ignoreIndex) does not fit \(type.rawValue) labels",
                                  hint: "choose an ignore index up to \(type.maxValue)")
        }
        let chunker = LabelChunker(tile: options.effectiveChunk, type: type, fill: UInt16(setup.schema.ignoreIndex),
                                   compression: options.compression)
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw ConversionError(.io, "cannot create the output directory: \(error.localizedDescription)",
                                  context: ErrorContext(file: directory))
        }
        return (HDF5ShardRenderer(options: options, setup: setup, chunker: chunker),
                HDF5ShardSink(directory: directory, options: options, header: header, setup: setup, chunker: chunker, split: split,
                              partition: header.partition))
    }

    /// The split name for file names: `--split`, else the header's, else `data`.
    private func resolvedSplit(_ header: DatasetHeader) throws -> String {
        let raw = options.split ?? header.split ?? "data"
        do {
            return try SafePath.component(raw)
        } catch {
            throw ConversionError(.usage, "split name '\(raw)' cannot be used in a file name", hint: "pass --split NAME")
        }
    }
}
