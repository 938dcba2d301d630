#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The output file every writer uses: buffered, created under a temporary name in its destination
/// directory, renamed into place when complete.
///
/// Nothing appears under the final name until ``commit(to:)`` renames the complete file, so a failed
/// or interrupted conversion never leaves truncated output. A file that is never committed is
/// removed when released. The temporary name is registered in ``TemporaryFiles`` until it is
/// renamed or removed. Also used for scratch files (``discard()`` instead of ``commit(to:)``).
///
/// A file whose final name is decided only later (TFRecord shards, `-SSSSS-of-KKKKK`) is completed
/// with ``close()`` and renamed afterwards with `commit(to: finalName)`. Large files that are never
/// read back can stream their pages out of the cache through a shared ``PageCacheRelease``.
/// Not thread-safe: one thread writes a file.
public final class OutputFile {
    /// The name the file gets on ``commit(to:)`` without an argument.
    public let destination: String
    /// The temporary name it is written under.
    public let temporaryPath: String
    /// Bytes written so far (buffered included).
    public private(set) var bytesWritten: Int64 = 0

    private var descriptor: Int32
    private var buffer: [UInt8] = []
    /// Appends that fit stay in the buffer; larger ones bypass it.
    private let capacity: Int
    private let pageCache: PageCacheRelease?
    /// Bytes handed to `write(2)`; the window not yet reported to `pageCache` starts at `windowStart`.
    private var fileOffset: Int64 = 0
    private var windowStart: Int64 = 0
    private var state = State.open

    private enum State {
        /// Being written.
        case open
        /// Complete under its temporary name, descriptor closed.
        case closed
        /// Renamed into place or removed: no longer ours.
        case finished
    }

    /// Creates the temporary file next to `destination` (`.<name>.<tag>-<pid>-<n>`).
    ///
    /// - Parameters:
    ///   - bufferSize: bytes kept before a `write(2)` (at least 4 KiB); given explicitly, the buffer
    ///     is reserved up front. The default (1 MiB, grown on demand) suits files that are mostly one
    ///     small write (a label PNG, an XML).
    ///   - pageCache: streams the written data out of the page cache (large files never read back).
    public init(destination: String, tag: String = "tmp", bufferSize: Int? = nil,
                pageCache: PageCacheRelease? = nil) throws {
        self.destination = destination
        self.capacity = max(4096, bufferSize ?? (1 << 20))
        self.pageCache = pageCache
        var attempt = 0
        var fd: Int32 = -1
        var code: Int32 = 0
        while true {
            let candidate = TemporaryFiles.path(beside: destination, tag: tag, attempt: attempt)
            let created = try TemporaryFiles.create(candidate) {
                fd = open(candidate, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
                code = errno
                return fd >= 0
            }
            if created {
                temporaryPath = candidate
                break
            }
            if code == EEXIST && attempt < 1000 {
                attempt += 1
                continue
            }
            let reason = String(cString: strerror(code))
            throw ConversionError(.io, "cannot create the output file: \(reason)", context: ErrorContext(file: destination),
                                  hint: code == EMFILE ? "too many open files: write fewer files at once or raise `ulimit -n`"
                                      : "check that the directory exists and is writable")
        }
        descriptor = fd
        if bufferSize != nil { buffer.reserveCapacity(capacity) }
    }

    deinit {
        if state == .open {
            pageCache?.forget(fd: descriptor)
            _ = systemClose(descriptor)
        }
        if state != .finished { TemporaryFiles.remove(temporaryPath) }
    }

    /// Appends bytes (buffered).
    public func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try append($0) }
    }

    /// Appends a slice of bytes (buffered).
    public func write(_ bytes: ArraySlice<UInt8>) throws {
        try bytes.withUnsafeBytes { try append($0) }
    }

    /// Appends the UTF-8 of `text` (buffered).
    public func write(_ text: String) throws {
        var text = text
        try text.withUTF8 { try append(UnsafeRawBufferPointer($0)) }
    }

    /// Appends raw bytes: into the buffer when they fit, otherwise after flushing it, and an append
    /// at least as large as the buffer goes straight to `write(2)` (no copy).
    public func append(_ bytes: UnsafeRawBufferPointer) throws {
        precondition(state == .open, "OutputFile.append after close")
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

    /// Writes the buffer to the file.
    public func flush() throws {
        guard !buffer.isEmpty else { return }
        try buffer.withUnsafeBytes { try writeAll($0) }
        buffer.removeAll(keepingCapacity: true)
    }

    private func writeAll(_ bytes: UnsafeRawBufferPointer) throws {
        guard let base = bytes.baseAddress else { return }
        var done = 0
        while done < bytes.count {
            let n = systemWrite(descriptor, base + done, bytes.count - done)
            if n < 0 {
                if errno == EINTR { continue }
                let reason = String(cString: strerror(errno))
                throw ConversionError(.io, "write failed: \(reason)", context: ErrorContext(file: destination),
                                      hint: "check the free space on the output device")
            }
            done += n
        }
        fileOffset += Int64(bytes.count)
        if let pageCache, fileOffset - windowStart >= pageCache.window {
            pageCache.completed(fd: descriptor, offset: windowStart, count: fileOffset - windowStart)
            windowStart = fileOffset
        }
    }

    /// Appends the whole content of another file (flushed, or closed), streamed in large pieces.
    public func append(contentsOf other: OutputFile) throws {
        if other.state == .open { try other.flush() }
        try flush()
        let source = try ReadOnlyFile(path: other.temporaryPath)
        let chunk = 4 << 20
        var piece = [UInt8](repeating: 0, count: chunk)
        var offset: Int64 = 0
        while true {
            let got = try piece.withUnsafeMutableBytes { raw -> Int in
                guard let base = raw.baseAddress else { return 0 }
                return try source.read(into: base, count: chunk, at: offset)
            }
            if got == 0 { break }
            try piece.withUnsafeBytes { raw in try writeAll(UnsafeRawBufferPointer(rebasing: raw[0..<got])) }
            offset += Int64(got)
            bytesWritten += Int64(got)
        }
    }

    /// Flushes and closes the file, which stays complete under ``temporaryPath`` (still removed when
    /// released uncommitted) until ``commit(to:)`` renames it.
    public func close() throws {
        guard state == .open else { return }
        try flush()
        buffer = []  // a closed file may wait long for its rename (every TFRecord shard until `finish`)
        pageCache?.fileFinished(fd: descriptor, offset: windowStart, count: fileOffset - windowStart)
        state = .closed
        if systemClose(descriptor) != 0 {
            throw ConversionError(.io, "close failed: \(String(cString: strerror(errno)))",
                                  context: ErrorContext(file: destination), hint: "check the free space on the output device")
        }
    }

    /// Flushes, closes and renames the file to `path` (by default ``destination``), replacing a file
    /// there.
    ///
    /// No `fsync`: the rename protects readers from partial files if cococonvert stops, and a sync per
    /// label PNG would cost more than encoding it.
    public func commit(to path: String? = nil) throws {
        precondition(state != .finished, "OutputFile.commit after commit or discard")
        let final = path ?? destination
        do {
            try close()
            let code = try TemporaryFiles.rename(temporaryPath, to: final)
            if code != 0 {
                let reason = String(cString: strerror(code))
                throw ConversionError(.io, "cannot move the finished file into place: \(reason)",
                                      context: ErrorContext(file: final))
            }
        } catch {
            TemporaryFiles.remove(temporaryPath)
            state = .finished
            throw error
        }
        state = .finished
    }

    /// Closes and removes the file.
    public func discard() {
        if state == .open {
            pageCache?.forget(fd: descriptor)
            _ = systemClose(descriptor)
        }
        if state != .finished { TemporaryFiles.remove(temporaryPath) }
        state = .finished
    }
}

/// `write(2)` and `close(2)`, under names that the methods of ``OutputFile`` do not shadow.
@inline(__always)
private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    write(fd, buffer, count)
}

@inline(__always)
private func systemClose(_ fd: Int32) -> Int32 {
    close(fd)
}
