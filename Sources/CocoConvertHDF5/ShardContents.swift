import CocoConvertCore

/// One shard opened for reading: its root attributes, checked, and block-wise access to its tables.
final class ShardContents {
    typealias D = HDF5ShardSchema.Dataset
    typealias A = HDF5ShardSchema.Attribute

    let path: String
    let file: HDF5File
    let formatVersion: Int64
    /// Samples in this shard (length of every per-sample table).
    let sampleCount: Int
    /// Instances in this shard (length of every `instances/` table).
    let instanceCount: Int
    /// Length of `instances/polygons_json`.
    let polygonBytes: Int
    let hasImages: Bool
    /// Whether the shard keeps panoptic records (`panoptic_file_names`, `panoptic_extra`).
    let hasPanoptic: Bool
    /// Whether the file carries an intact seal (see ``ShardSeal``).
    let sealed: Bool

    /// Opens `path` and checks that it is a cococonvert shard this build can read.
    init(path: String) throws {
        self.path = path
        // The seal is checked before libhdf5 parses anything: a damaged shard must not reach it.
        sealed = try ShardSeal.verify(path: path)
        // The global heap (variable-length strings) has no checksum; walk it before libhdf5 does.
        try GlobalHeapCheck.verify(path: path)
        file = try HDF5File.open(path: path)
        let format = try? file.stringAttribute(A.format)
        guard let format, format == HDF5ShardSchema.formatName else {
            throw Self.notOurs(file: file, foundFormat: format ?? nil)
        }
        guard let version = try file.intAttribute(A.formatVersion) else {
            throw ConversionError(.malformedInput, "shard has no format_version attribute", context: ErrorContext(file: path, field: A.formatVersion))
        }
        guard version >= 1, version <= HDF5ShardSchema.formatVersion else {
            throw ConversionError(.unsupported, "shard layout version \(version) is not supported (this build reads 1...\(HDF5ShardSchema.formatVersion))",
                                  context: ErrorContext(file: path, field: A.formatVersion),
                                  hint: version > HDF5ShardSchema.formatVersion ? "it was written by a newer cococonvert; upgrade" : nil)
        }
        formatVersion = version

        // Every table of a kind must have the same length; check shapes and types once, up front.
        let perSample: [(String, HDF5Element, [Int])] = [
            (D.imageIDs, .numeric(.int64), []), (D.fileNames, .string, []), (D.heights, .numeric(.int32), []),
            (D.widths, .numeric(.int32), []), (D.instanceStart, .numeric(.int64), []), (D.instanceCount, .numeric(.int32), []),
            (D.imageExtra, .string, []),
        ]
        let perInstance: [(String, HDF5Element, [Int])] = [
            (D.instSampleIndex, .numeric(.int64), []), (D.instID, .numeric(.int64), []), (D.instHasID, .numeric(.uint8), []),
            (D.instCategoryID, .numeric(.int64), []), (D.instIsCrowd, .numeric(.uint8), []), (D.instBBox, .numeric(.float64), [4]),
            (D.instArea, .numeric(.float64), []), (D.instScore, .numeric(.float64), []),
            (D.instSegmentationKind, .numeric(.uint8), []), (D.instRLE, .string, []), (D.instRLESize, .numeric(.int32), [2]),
            (D.instPolygonsEnd, .numeric(.int64), []), (D.instExtra, .string, []),
        ]
        sampleCount = try Self.commonLength(file, perSample)
        instanceCount = try Self.commonLength(file, perInstance)
        polygonBytes = try Self.commonLength(file, [(D.instPolygonsJSON, .numeric(.uint8), [])])
        hasImages = file.exists(D.images)
        if hasImages { _ = try Self.commonLength(file, [(D.images, .bytes, [])], expected: sampleCount) }
        hasPanoptic = file.exists(D.panopticFileNames)
        if hasPanoptic {
            _ = try Self.commonLength(file, [(D.panopticFileNames, .string, []), (D.panopticExtra, .string, [])], expected: sampleCount)
        }
        let labels = try dataset(D.labels)
        let labelDims = try labels.dims()
        let labelType = try labels.typeInfo()
        guard labelDims.count == 3, labelDims[0] == sampleCount,
              labelType.matches(.numeric(.uint16)) else {
            throw ConversionError(.malformedInput, "labels has shape \(labelDims) and type \(labelType); expected (\(sampleCount), H, W) of uint8 or uint16",
                                  context: ErrorContext(file: path, field: D.labels))
        }
    }

    private var datasets: [String: HDF5Dataset] = [:]

    /// The dataset `name`, opened once.
    func dataset(_ name: String) throws -> HDF5Dataset {
        if let d = datasets[name] { return d }
        let d = try file.openDataset(name)
        datasets[name] = d
        return d
    }

    /// Releases the datasets and the file.
    func close() {
        datasets = [:]
        try? file.close()
    }

    // MARK: Reading

    func int64s(_ name: String, _ rows: Range<Int>, rowShape: [Int] = []) throws -> [Int64] {
        try dataset(name).read(Int64.self, rows: rows, rowShape: rowShape)
    }

    func int32s(_ name: String, _ rows: Range<Int>, rowShape: [Int] = []) throws -> [Int32] {
        try dataset(name).read(Int32.self, rows: rows, rowShape: rowShape)
    }

    func uint8s(_ name: String, _ rows: Range<Int>) throws -> [UInt8] {
        try dataset(name).read(UInt8.self, rows: rows)
    }

    func doubles(_ name: String, _ rows: Range<Int>, rowShape: [Int] = []) throws -> [Double] {
        try dataset(name).read(Double.self, rows: rows, rowShape: rowShape)
    }

    func strings(_ name: String, _ rows: Range<Int>) throws -> [String] {
        try dataset(name).readStrings(rows: rows)
    }

    // MARK: Checks

    private static func commonLength(_ file: HDF5File, _ tables: [(String, HDF5Element, [Int])], expected: Int? = nil) throws -> Int {
        var length = expected
        for (name, element, rowShape) in tables {
            guard file.exists(name) else {
                throw ConversionError(.malformedInput, "dataset '\(name)' is missing", context: ErrorContext(file: file.path, field: name),
                                      hint: "the shard is incomplete or was not written by cococonvert")
            }
            let d = try file.openDataset(name)
            let dims = try d.dims()
            let type = try d.typeInfo()
            guard dims.count == 1 + rowShape.count, Array(dims.dropFirst()) == rowShape, type.matches(element) else {
                throw ConversionError(.malformedInput, "dataset '\(name)' has shape \(dims) and type \(type), not the layout's",
                                      context: ErrorContext(file: file.path, field: name))
            }
            if let length, dims[0] != length {
                throw ConversionError(.malformedInput, "dataset '\(name)' has \(dims[0]) rows, its siblings \(length)",
                                      context: ErrorContext(file: file.path, field: name))
            }
            length = dims[0]
        }
        return length ?? 0
    }

    /// The error for an HDF5 file that is not one of ours: what we expected and what is there.
    private static func notOurs(file: HDF5File, foundFormat: String?) -> ConversionError {
        let attributes = (try? file.attributeNames()) ?? []
        let members = (try? file.memberNames()) ?? []
        func list(_ items: [String]) -> String {
            items.isEmpty ? "none" : items.prefix(12).joined(separator: ", ") + (items.count > 12 ? ", …" : "")
        }
        let found = foundFormat.map { "root attribute format = \"\($0)\"" }
            ?? "root attributes: \(list(attributes)); top-level objects: \(list(members))"
        return ConversionError(.unsupported,
                               "not a cococonvert HDF5 shard: expected root attribute format = \"\(HDF5ShardSchema.formatName)\" with format_version 1; found \(found)",
                               context: ErrorContext(file: file.path),
                               hint: "cococonvert reads only the shard layout it writes (formats/hdf5.md)")
    }
}
