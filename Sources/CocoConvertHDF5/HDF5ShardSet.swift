import CocoConvertCore
import Foundation

/// The shard files of one split: found in a directory by name, or a single file given directly.
public struct HDF5ShardSet: Sendable {
    /// Paths in shard order.
    public var paths: [String]
    /// The split, when the names follow the shard pattern.
    public var split: String?

    /// Finds the shards at `path`: a shard file, or a directory of `<split>-NNNNN-of-MMMMM.h5` files.
    ///
    /// With several splits in the directory, `split` picks one (required then). Every index
    /// `0 ..< count` must be present and all files must agree on the count.
    public static func locate(_ path: String, split: String? = nil) throws -> HDF5ShardSet {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ConversionError(.io, "no such file or directory", context: ErrorContext(file: path))
        }
        guard isDirectory.boolValue else {
            return HDF5ShardSet(paths: [path], split: HDF5ShardName(fileName: (path as NSString).lastPathComponent)?.split)
        }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: path)
        } catch {
            throw ConversionError(.io, "cannot list the directory: \(error.localizedDescription)", context: ErrorContext(file: path))
        }
        let shards = names.compactMap(HDF5ShardName.init(fileName:))
        let splits = Set(shards.map(\.split)).sorted()
        let chosen: String
        if let split {
            guard splits.contains(split) else {
                throw ConversionError(.io, "no shards of split '\(split)' here", context: ErrorContext(file: path),
                                      hint: splits.isEmpty ? "shard files are named <split>-00000-of-00001.h5"
                                                           : "splits present: \(splits.joined(separator: ", "))")
            }
            chosen = split
        } else if splits.count == 1 {
            chosen = splits[0]
        } else if splits.isEmpty {
            let other = names.filter { $0.hasSuffix(".h5") || $0.hasSuffix(".hdf5") }.sorted()
            throw ConversionError(.io, "no HDF5 shards (<split>-NNNNN-of-MMMMM.h5) in the directory",
                                  context: ErrorContext(file: path),
                                  hint: other.isEmpty ? "convert to HDF5 first (cococonvert coco2hdf5 IN.json DIR)"
                                                      : "found \(other.prefix(3).joined(separator: ", ")); pass one file to read it directly")
        } else {
            throw ConversionError(.usage, "the directory holds shards of several splits: \(splits.joined(separator: ", "))",
                                  context: ErrorContext(file: path), hint: "choose one with --split")
        }
        let mine = shards.filter { $0.split == chosen }
        let counts = Set(mine.map(\.count))
        guard counts.count == 1, let count = counts.first else {
            throw ConversionError(.malformedInput, "split '\(chosen)' has shards of different runs (counts \(counts.sorted().map(String.init).joined(separator: ", ")))",
                                  context: ErrorContext(file: path), hint: "remove the shards of the older run")
        }
        let indices = Set(mine.map(\.index))
        if let missing = (0..<count).first(where: { !indices.contains($0) }) {
            throw ConversionError(.malformedInput, "shard \(HDF5ShardName(split: chosen, index: missing, count: count).fileName) is missing",
                                  context: ErrorContext(file: path), hint: "copy every shard of the split")
        }
        let paths = (0..<count).map {
            (path as NSString).appendingPathComponent(HDF5ShardName(split: chosen, index: $0, count: count).fileName)
        }
        return HDF5ShardSet(paths: paths, split: chosen)
    }
}
