import CocoConvertCore
import Foundation

/// The 512-byte HDF5 user block at the start of every shard: a magic line with the size and CRC-32
/// of the HDF5 data after it.
///
/// HDF5 does not check raw data or every metadata structure, and libhdf5 can crash on a damaged file.
/// A shard's seal is therefore checked before the library sees the file: a truncated or damaged shard
/// becomes a clear error instead. HDF5 tools and h5py skip the user block (the superblock is found at
/// offset 512). Text, NUL-padded:
///
///     cococonvert-hdf5 seal 1 size=<bytes after the user block> crc32=<8 hex digits>\n
enum ShardSeal {
    /// Bytes reserved at the start of a shard (the smallest HDF5 user block).
    static let size = 512
    static let magic = "cococonvert-hdf5 seal 1 "
    private static let block = 1 << 20

    /// Computes the seal of a closed shard and writes it into its user block.
    static func seal(path: String) throws {
        guard let handle = FileHandle(forUpdatingAtPath: path) else {
            throw ConversionError(.io, "cannot open the shard to seal it", context: ErrorContext(file: path))
        }
        defer { try? handle.close() }
        do {
            let (length, crc) = try checksum(handle, path: path)
            var line = Array("\(magic)size=\(length) crc32=\(hex(crc))\n".utf8)
            line += [UInt8](repeating: 0, count: size - line.count)
            try handle.seek(toOffset: 0)
            try handle.write(contentsOf: Data(line))
            try handle.synchronize()
        } catch let error as ConversionError {
            throw error
        } catch {
            throw ConversionError(.io, "cannot seal the shard: \(error.localizedDescription)", context: ErrorContext(file: path))
        }
    }

    /// Checks a shard's seal: `true` when it is sealed and intact, `false` when the file has no seal
    /// (not written by cococonvert, or rewritten by another tool). Throws when the seal does not match.
    static func verify(path: String) throws -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ConversionError(.io, "cannot open the file", context: ErrorContext(file: path))
        }
        defer { try? handle.close() }
        do {
            let head = [UInt8](try handle.read(upToCount: size) ?? Data())
            guard head.count == size, head.starts(with: Array(magic.utf8)) else { return false }
            let text = String(decoding: head.prefix { $0 != 0 && $0 != 0x0A }, as: UTF8.self)
            var fields: [String: String] = [:]
            for part in text.dropFirst(magic.count).split(separator: " ") {
                let kv = part.split(separator: "=", maxSplits: 1)
                if kv.count == 2 { fields[String(kv[0])] = String(kv[1]) }
            }
            guard let expectedSize = fields["size"].flatMap(Int64.init), let expectedCRC = fields["crc32"].flatMap({ UInt32($0, radix: 16) }) else {
                throw damaged(path, "its seal line is unreadable")
            }
            let (length, crc) = try checksum(handle, path: path)
            guard length == expectedSize else {
                throw damaged(path, "it holds \(length) bytes of HDF5 data, its seal says \(expectedSize) (truncated or extended)")
            }
            guard crc == expectedCRC else {
                throw damaged(path, "its CRC-32 is \(hex(crc)), its seal says \(hex(expectedCRC))")
            }
            return true
        } catch let error as ConversionError {
            throw error
        } catch {
            throw ConversionError(.io, "cannot read the file: \(error.localizedDescription)", context: ErrorContext(file: path))
        }
    }

    /// Size and CRC-32 of everything after the user block.
    private static func checksum(_ handle: FileHandle, path: String) throws -> (Int64, UInt32) {
        try handle.seek(toOffset: UInt64(size))
        var crc: UInt32 = 0
        var length: Int64 = 0
        while let data = try handle.read(upToCount: block), !data.isEmpty {
            crc = data.withUnsafeBytes { ZlibCRC32.update(crc, $0) }
            length += Int64(data.count)
        }
        return (length, crc)
    }

    private static func damaged(_ path: String, _ what: String) -> ConversionError {
        ConversionError(.malformedInput, "shard is damaged or was changed after cococonvert wrote it: \(what)",
                        context: ErrorContext(file: path),
                        hint: "copy or convert it again; to accept a deliberate change, blank the seal: dd if=/dev/zero of=SHARD bs=512 count=1 conv=notrunc")
    }

    private static func hex(_ v: UInt32) -> String {
        let s = String(v, radix: 16)
        return String(repeating: "0", count: 8 - s.count) + s
    }
}
