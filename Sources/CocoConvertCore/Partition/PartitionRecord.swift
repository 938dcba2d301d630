import Foundation

/// What one finished partition leaves for `cococonvert merge`: how it was made (route, options,
/// input), which samples it converted and the layout of its index-file parts.
///
/// Written last, atomically, as `<parts>/partition-IIIII-of-NNNNN.json`: its presence means the
/// partition is complete. Merge compares the records of all partitions and refuses to join parts
/// made differently.
public struct PartitionRecord: Sendable, Hashable, Codable {
    /// The input as the partition saw it.
    public struct InputIdentity: Sendable, Hashable, Codable {
        public var path: String
        public var size: Int64
        /// Modification time, whole seconds since 1970.
        public var modified: Int64

        public init(path: String, size: Int64, modified: Int64) {
            self.path = path
            self.size = size
            self.modified = modified
        }

        /// The identity of `path` now (size and time 0 when it cannot be read).
        public static func of(_ path: String) -> InputIdentity {
            let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
            let attributes = try? FileManager.default.attributesOfItem(atPath: path)
            let size = (attributes?[.size] as? NSNumber)?.int64Value ?? 0
            let modified = (attributes?[.modificationDate] as? Date).map { Int64($0.timeIntervalSince1970) } ?? 0
            return InputIdentity(path: absolute, size: size, modified: modified)
        }
    }

    /// The record layout version.
    public var version = 1
    /// `coco → png`.
    public var route: String
    /// The writer's format name (merge finds nothing else by it: the parts describe themselves).
    public var writer: String
    /// The options that shape the output, `name=value`, sorted.
    public var options: [String]
    /// The input the partition read (path, size, modification time).
    public var input: InputIdentity
    /// Which partition this is.
    public var partition: Partition
    /// The first sample of its block.
    public var firstSample: Int
    /// nil: open-ended (the last partition).
    public var endSample: Int?
    /// The input's sample count.
    public var totalSamples: Int
    /// The samples per unit the blocks were aligned to.
    public var alignment: Int
    /// Samples written (after `--on-error skip`).
    public var samplesWritten: Int
    /// The layouts of its index-file parts.
    public var indexParts: [IndexFilePart]

    /// The record of the partition `context` describes, after it wrote `samplesWritten` samples.
    public init(route: String, writer: String, options: [String], input: InputIdentity, context: PartitionContext,
                samplesWritten: Int, indexParts: [IndexFilePart]) {
        self.route = route
        self.writer = writer
        self.options = options
        self.input = input
        partition = context.partition
        firstSample = context.samples.lowerBound
        endSample = context.samples.upperBound == Int.max ? nil : context.samples.upperBound
        totalSamples = context.totalSamples
        alignment = context.alignment
        self.samplesWritten = samplesWritten
        self.indexParts = indexParts
    }

    /// Where the record of `partition` lives.
    public static func path(partsDirectory: String, partition: Partition) -> String {
        PathText.join(partsDirectory, partition.fileStem + ".json")
    }

    /// Writes the record atomically (the partition is complete once it exists).
    public func write(partsDirectory: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data: Data
        do {
            data = try encoder.encode(self)
        } catch {
            throw ConversionError(.io, "cannot encode the partition record: \(error)")
        }
        try AtomicFile.write(Array(data) + [0x0A], to: Self.path(partsDirectory: partsDirectory, partition: partition))
    }

    /// Reads a record; nil when there is none.
    /// - Throws: `ConversionError` naming the file when it is not a record.
    public static func read(_ path: String) throws -> PartitionRecord? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        do {
            return try JSONDecoder().decode(PartitionRecord.self, from: data)
        } catch {
            throw ConversionError(.io, "the partition record is damaged: \(error)", context: ErrorContext(file: path),
                                  hint: "delete it and run that partition again")
        }
    }

    /// Whether `other` was made the same way (route, options, input, partition count, split).
    public func sameRun(as other: PartitionRecord) -> Bool {
        route == other.route && writer == other.writer && options == other.options && input == other.input
            && partition.count == other.partition.count && totalSamples == other.totalSamples && alignment == other.alignment
    }
}
