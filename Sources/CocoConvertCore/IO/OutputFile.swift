#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A buffered output file created under a temporary name in its destination directory.
///
/// Nothing appears under the final name until ``commit()`` renames the complete file, so a failed or
/// interrupted conversion never leaves truncated output. A file that is never committed is removed.
/// Also used for scratch files (``discard()`` instead of ``commit()``).
public final class OutputFile {
    /// The name the file gets on ``commit()``.
    public let destination: String
    /// The temporary name it is written under.
    public let temporaryPath: String
    private var descriptor: Int32
    private var buffer: [UInt8] = []
    private let flushThreshold = 1 << 20
    /// Bytes written so far (buffered included).
    public private(set) var bytesWritten: Int64 = 0
    private var finished = false

    /// Creates the temporary file next to `destination` (`.<name>.<tag>-<pid>-<n>`).
    public init(destination: String, tag: String = "tmp") throws {
        self.destination = destination
        let slash = destination.lastIndex(of: "/")
        let directory = slash.map { String(destination[...$0]) } ?? ""
        let name = slash.map { String(destination[destination.index(after: $0)...]) } ?? destination
        var attempt = 0
        while true {
            let candidate = "\(directory).\(name).\(tag)-\(getpid())-\(attempt)"
            let fd = open(candidate, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
            if fd >= 0 {
                descriptor = fd
                temporaryPath = candidate
                break
            }
            if errno == EEXIST && attempt < 1000 {
                attempt += 1
                continue
            }
            let reason = String(cString: strerror(errno))
            throw ConversionError(.io, "cannot create the output file: \(reason)", context: ErrorContext(file: destination),
                                  hint: "check that the directory exists and is writable")
        }
        // No up-front reservation: most files are one small write (a label PNG, an XML), and a
        // megabyte each would cost a mmap/munmap pair per file.
    }

    deinit {
        if !finished {
            close(descriptor)
            unlink(temporaryPath)
        }
    }

    /// Appends bytes (buffered).
    public func write(_ bytes: [UInt8]) throws {
        buffer.append(contentsOf: bytes)
        bytesWritten += Int64(bytes.count)
        if buffer.count >= flushThreshold { try flush() }
    }

    /// Appends a slice of bytes (buffered).
    public func write(_ bytes: ArraySlice<UInt8>) throws {
        buffer.append(contentsOf: bytes)
        bytesWritten += Int64(bytes.count)
        if buffer.count >= flushThreshold { try flush() }
    }

    /// Appends the UTF-8 of `text` (buffered).
    public func write(_ text: String) throws {
        buffer.append(contentsOf: text.utf8)
        bytesWritten += Int64(text.utf8.count)
        if buffer.count >= flushThreshold { try flush() }
    }

    /// Writes the buffer to the file.
    public func flush() throws {
        try buffer.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return }
            try writeAll(base, count: raw.count)
        }
        buffer.removeAll(keepingCapacity: true)
    }

    private func writeAll(_ base: UnsafeRawPointer, count: Int) throws {
        var done = 0
        while done < count {
            let n = systemWrite(descriptor, base + done, count - done)
            if n < 0 {
                if errno == EINTR { continue }
                let reason = String(cString: strerror(errno))
                throw ConversionError(.io, "write failed: \(reason)", context: ErrorContext(file: destination),
                                      hint: "check the free space on the output device")
            }
            done += n
        }
    }

    /// Appends the whole content of another (flushed) file, streamed in large pieces.
    public func append(contentsOf other: OutputFile) throws {
        try other.flush()
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
            try piece.withUnsafeBytes { raw in
                guard let base = raw.baseAddress else { return }
                try writeAll(base, count: got)
            }
            offset += Int64(got)
            bytesWritten += Int64(got)
        }
    }

    /// Flushes and renames the file to its destination.
    ///
    /// No `fsync`: the rename protects readers from partial files if cococonvert stops, and a sync per
    /// label PNG would cost more than encoding it.
    public func commit() throws {
        try flush()
        close(descriptor)
        finished = true
        if rename(temporaryPath, destination) != 0 {
            let reason = String(cString: strerror(errno))
            unlink(temporaryPath)
            throw ConversionError(.io, "cannot move the finished file into place: \(reason)",
                                  context: ErrorContext(file: destination))
        }
    }

    /// Closes and removes the file.
    public func discard() {
        guard !finished else { return }
        close(descriptor)
        unlink(temporaryPath)
        finished = true
    }
}

/// `write(2)`, under a name that the methods of ``OutputFile`` do not shadow.
@inline(__always)
private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    write(fd, buffer, count)
}
