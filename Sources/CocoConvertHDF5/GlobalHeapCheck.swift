import CocoConvertCore
import Foundation

/// Checks the structure of a file's HDF5 global heap collections before libhdf5 parses them.
///
/// The global heap holds the bytes of variable-length strings and carries no checksum (unlike the
/// rest of the 1.10-format metadata). libhdf5 1.10 walks a collection's objects trusting their
/// sizes: a size of 0 loops forever, a size past the collection reads out of bounds (a segfault).
/// This walks every collection the way libhdf5 will and refuses one that does not tile exactly.
///
/// Collection (HDF5 file format spec, "Global Heap"): `GCOL`, version 1, 3 reserved bytes, the
/// collection size (8 bytes, the header included); then objects: heap index (2), reference count
/// (2), reserved (4), size (8), the data padded to 8 bytes. Index 0 is the free space, whose size
/// covers the rest of the collection (its header included).
enum GlobalHeapCheck {
    private static let signature: [UInt8] = Array("GCOL".utf8)
    private static let block = 1 << 20
    /// libhdf5's smallest collection (H5HG_MINSIZE).
    private static let minimumSize = 4096

    /// Throws `.malformedInput` naming the offset of the first collection that libhdf5 could not
    /// walk safely. Candidates are found by their signature and a plausible header (version 1,
    /// zero reserved bytes, a size of at least 4096 inside the file).
    static func verify(path: String) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ConversionError(.io, "cannot open the file", context: ErrorContext(file: path))
        }
        defer { try? handle.close() }
        do {
            let fileSize = Int(try handle.seekToEnd())
            var offset = 0
            var carry: [UInt8] = []
            try handle.seek(toOffset: 0)
            var candidates: [Int] = []
            // Blocks no larger than the file: a small shard does not cost a 1 MiB buffer.
            while let data = try handle.read(upToCount: max(1, min(block, fileSize - offset))), !data.isEmpty {
                let bytes = carry + [UInt8](data)
                let base = offset - carry.count
                var i = 0
                while i + 4 <= bytes.count {
                    if bytes[i] == 0x47, bytes[i + 1] == 0x43, bytes[i + 2] == 0x4F, bytes[i + 3] == 0x4C { candidates.append(base + i) }
                    i += 1
                }
                offset += data.count
                carry = Array(bytes.suffix(3))
            }
            for start in candidates {
                try checkCollection(at: start, handle: handle, fileSize: fileSize, path: path)
            }
        } catch let error as ConversionError {
            throw error
        } catch {
            throw ConversionError(.io, "cannot read the file: \(error.localizedDescription)", context: ErrorContext(file: path))
        }
    }

    private static func checkCollection(at start: Int, handle: FileHandle, fileSize: Int, path: String) throws {
        try handle.seek(toOffset: UInt64(start))
        let header = [UInt8](try handle.read(upToCount: 16) ?? Data())
        guard header.count == 16, header[4] == 1, header[5] == 0, header[6] == 0, header[7] == 0 else { return }
        let size = Int(clamping: littleEndian(header[8..<16]))
        // Not a plausible collection header (a stray "GCOL" in data): libhdf5 never goes there either.
        guard size >= minimumSize, size <= fileSize - start else {
            if size >= minimumSize { throw damaged(path, start, "its size \(size) runs past the end of the file") }
            return
        }
        try handle.seek(toOffset: UInt64(start))
        let heap = [UInt8](try handle.read(upToCount: size) ?? Data())
        guard heap.count == size else { throw damaged(path, start, "it is truncated") }
        var p = 16
        var seen = Set<UInt16>()
        while p < size {
            // Fewer bytes left than an object header: libhdf5 counts them as free space.
            if p + 16 > size { break }
            let index = UInt16(heap[p]) | UInt16(heap[p + 1]) << 8
            let objectSize = littleEndian(heap[(p + 8)..<(p + 16)])
            if index == 0 {
                // The free space: exactly the rest of the collection.
                guard objectSize == UInt64(size - p) else {
                    throw damaged(path, start, "its free space at byte \(p) says \(objectSize) bytes, \(size - p) remain")
                }
                p = size
            } else {
                // The size is checked before it is rounded up: near 2⁶⁴ the rounding would overflow.
                guard objectSize < UInt64(size), UInt64(16) + ((objectSize + 7) & ~UInt64(7)) <= UInt64(size - p) else {
                    throw damaged(path, start, "object \(index) at byte \(p) says \(objectSize) bytes, \(size - p - 16) remain")
                }
                let need = UInt64(16) + ((objectSize + 7) & ~UInt64(7))
                guard seen.insert(index).inserted else {
                    throw damaged(path, start, "object index \(index) appears twice")
                }
                p += Int(need)
            }
        }
    }

    private static func littleEndian(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        bytes.reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
    }

    private static func damaged(_ path: String, _ offset: Int, _ what: String) -> ConversionError {
        ConversionError(.malformedInput, "shard is corrupt: the HDF5 global heap collection at byte \(offset) (variable-length strings) is damaged: \(what)",
                        context: ErrorContext(file: path, byteOffset: offset),
                        hint: "it was damaged or edited after it was written; copy or convert it again from its source")
    }
}
