import CocoConvertCore
import Foundation

/// An output file written piece by piece under a temporary name in its destination directory and
/// renamed into place by ``commit()``; ``discard()`` (or deinit without commit) removes it.
final class StreamedFile {
    let path: String
    let temporaryPath: String
    private var handle: FileHandle?
    private var buffer: [UInt8] = []
    private(set) var bytesWritten: Int64 = 0
    private var committed = false

    init(path: String) throws {
        self.path = path
        temporaryPath = AtomicFile.temporaryPath(for: path)
        guard FileManager.default.createFile(atPath: temporaryPath, contents: nil),
              let handle = FileHandle(forWritingAtPath: temporaryPath) else {
            throw ConversionError(.io, "cannot create a temporary file", context: ErrorContext(file: temporaryPath),
                                  hint: "check that the output directory is writable")
        }
        self.handle = handle
        buffer.reserveCapacity(1 << 16)
    }

    func write(_ bytes: [UInt8]) throws {
        buffer += bytes
        bytesWritten += Int64(bytes.count)
        if buffer.count >= 1 << 16 { try flush() }
    }

    func write(_ text: String) throws {
        try write(Array(text.utf8))
    }

    private func flush() throws {
        guard let handle, !buffer.isEmpty else { return }
        do {
            try handle.write(contentsOf: buffer)
        } catch {
            throw ConversionError(.io, "cannot write: \(error.localizedDescription)", context: ErrorContext(file: path),
                                  hint: "check free disk space")
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes, closes and renames into place.
    func commit() throws {
        try close()
        try AtomicFile.commit(temporaryPath, to: path)
        committed = true
    }

    /// Flushes and closes, leaving the content at ``temporaryPath`` (for scratch files read back).
    func close() throws {
        try flush()
        try handle?.close()
        handle = nil
    }

    /// Closes and deletes the temporary file (a no-op after ``commit()``).
    func discard() {
        try? handle?.close()
        handle = nil
        if !committed { try? FileManager.default.removeItem(atPath: temporaryPath) }
    }

    deinit { discard() }
}
