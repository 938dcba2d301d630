import CocoConvertCore
import Foundation

/// An append-only file with a write buffer, over POSIX `open`/`write` so errors carry `errno`;
/// with a ``PageCacheRelease``, written data is streamed out of the page cache.
final class BufferedFileWriter {
    let path: String
    private var fd: Int32
    private var buffer: [UInt8] = []
    private let capacity: Int
    /// Bytes appended so far (buffered or written).
    private(set) var bytesWritten: Int64 = 0
    /// Bytes handed to `write(2)` so far; the window not yet reported starts at `windowStart`.
    private var fileOffset: Int64 = 0
    private var windowStart: Int64 = 0
    private let pageCache: PageCacheRelease?

    /// Creates (or truncates) `path`.
    init(path: String, bufferSize: Int = 1 << 20, pageCache: PageCacheRelease? = nil) throws {
        self.path = path
        self.pageCache = pageCache
        self.capacity = max(4096, bufferSize)
        fd = POSIX.createTruncating(path)
        guard fd >= 0 else {
            let reason = String(cString: strerror(errno))
            throw ConversionError(.io, "cannot create: \(reason)", context: ErrorContext(file: path),
                                  hint: errno == EMFILE ? "too many open files: use fewer shards or raise `ulimit -n`"
                                      : "check that the output directory is writable")
        }
        buffer.reserveCapacity(capacity)
    }

    deinit {
        if fd >= 0 {
            pageCache?.forget(fd: fd)
            POSIX.closeFile(fd)
        }
    }

    func append(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try append($0) }
    }

    func append(_ bytes: UnsafeRawBufferPointer) throws {
        bytesWritten += Int64(bytes.count)
        if buffer.count + bytes.count <= capacity {
            buffer.append(contentsOf: bytes)
            return
        }
        try flush()
        if bytes.count >= capacity {
            try writeAll(bytes)
        } else {
            buffer.append(contentsOf: bytes)
        }
    }

    func flush() throws {
        guard !buffer.isEmpty else { return }
        try buffer.withUnsafeBytes { try writeAll($0) }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes and closes; the file is complete when this returns.
    func close() throws {
        try flush()
        guard fd >= 0 else { return }
        pageCache?.fileFinished(fd: fd, offset: windowStart, count: fileOffset - windowStart)
        let result = POSIX.closeFile(fd)
        fd = -1
        if result != 0 {
            throw ConversionError(.io, "close failed: \(String(cString: strerror(errno)))", context: ErrorContext(file: path))
        }
    }

    private func writeAll(_ bytes: UnsafeRawBufferPointer) throws {
        guard var p = bytes.baseAddress else { return }
        var remaining = bytes.count
        while remaining > 0 {
            let n = POSIX.writeSome(fd, p, remaining)
            if n < 0 {
                if errno == EINTR { continue }
                throw ConversionError(.io, "write failed: \(String(cString: strerror(errno)))",
                                      context: ErrorContext(file: path), hint: "check free disk space")
            }
            p += n
            remaining -= n
        }
        fileOffset += Int64(bytes.count)
        streamOutOfCache()
    }

    /// Reports a completed window to the page-cache release.
    private func streamOutOfCache() {
        guard let pageCache, fileOffset - windowStart >= pageCache.window else { return }
        pageCache.completed(fd: fd, offset: windowStart, count: fileOffset - windowStart)
        windowStart = fileOffset
    }
}
