import Foundation

/// Writes files so that a reader never sees a partial one: a temporary name beside the target,
/// then a rename.
public enum AtomicFile {
    /// The temporary name used for `path` until it is complete.
    public static func temporaryPath(for path: String) -> String {
        let url = URL(fileURLWithPath: path)
        return url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp").path
    }

    /// Writes `bytes` to `path` atomically, creating the parent directory if needed.
    public static func write(_ bytes: [UInt8], to path: String) throws {
        let temporary = temporaryPath(for: path)
        do {
            let parent = URL(fileURLWithPath: path).deletingLastPathComponent()
            try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
            try Data(bytes).write(to: URL(fileURLWithPath: temporary))
            try commit(temporary, to: path)
        } catch let error as ConversionError {
            throw error
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw ConversionError(.io, "cannot write: \(error.localizedDescription)", context: ErrorContext(file: path),
                                  hint: "check that the output directory is writable and the disk has space")
        }
    }

    /// Renames a finished temporary file to its final name, replacing an older file.
    public static func commit(_ temporary: String, to path: String) throws {
        if rename(temporary, path) != 0 {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(atPath: temporary)
            throw ConversionError(.io, "cannot rename \(temporary) into place: \(reason)", context: ErrorContext(file: path))
        }
    }
}
