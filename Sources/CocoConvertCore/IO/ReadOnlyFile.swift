#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A file opened for positional reads (`pread`), so that large inputs are read in pieces and never mapped.
///
/// Mapped pages would count in the process's resident size; positional reads through a reusable buffer keep
/// memory flat whatever the file size.
public final class ReadOnlyFile {
    public let path: String
    private let descriptor: Int32
    /// Size of the file in bytes when it was opened.
    public let size: Int64

    /// Opens `path` for reading.
    /// - Throws: `ConversionError.io` when the file cannot be opened or is not a regular file.
    public init(path: String) throws {
        self.path = path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let reason = String(cString: strerror(errno))
            throw ConversionError(.io, "cannot open the file: \(reason)", context: ErrorContext(file: path),
                                  hint: "check the path and its permissions")
        }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            throw ConversionError(.io, "not a regular file", context: ErrorContext(file: path))
        }
        descriptor = fd
        size = Int64(info.st_size)
    }

    deinit {
        close(descriptor)
    }

    /// Reads up to `count` bytes at `offset` into `destination`; returns the number read (0 at end of file).
    public func read(into destination: UnsafeMutableRawPointer, count: Int, at offset: Int64) throws -> Int {
        var total = 0
        while total < count {
            let n = pread(descriptor, destination + total, count - total, off_t(offset + Int64(total)))
            if n < 0 {
                if errno == EINTR { continue }
                let reason = String(cString: strerror(errno))
                throw ConversionError(.io, "read failed: \(reason)", context: ErrorContext(file: path, byteOffset: Int(offset)))
            }
            if n == 0 { break }
            total += n
        }
        return total
    }

    /// Reads exactly `count` bytes at `offset` into `buffer` (resized as needed, reused between calls).
    /// - Throws: `ConversionError.io` when the file is shorter than expected (it changed since indexing).
    public func readExactly(_ count: Int, at offset: Int64, into buffer: inout [UInt8]) throws {
        if buffer.count < count {
            buffer = [UInt8](repeating: 0, count: max(count, buffer.count * 2))
        }
        let got = try buffer.withUnsafeMutableBytes { raw -> Int in
            guard let base = raw.baseAddress else { return 0 }
            return try read(into: base, count: count, at: offset)
        }
        guard got == count else {
            throw ConversionError(.io, "the file is shorter than when it was indexed (it changed during the conversion)",
                                  context: ErrorContext(file: path, byteOffset: Int(offset)))
        }
    }
}
