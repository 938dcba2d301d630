import Foundation

/// Writes files so that a reader never sees a partial one: a temporary name beside the target,
/// then a rename.
public enum AtomicFile {
    /// The temporary name used for `path` until it is complete.
    public static func temporaryPath(for path: String) -> String {
        let url = URL(fileURLWithPath: path)
        return url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp").path
    }

    /// Writes `bytes` to `path` atomically, creating the parent directory if it is missing.
    public static func write(_ bytes: [UInt8], to path: String) throws {
        let file: OutputFile
        do {
            file = try OutputFile(destination: path)
        } catch {
            let parent = URL(fileURLWithPath: path).deletingLastPathComponent()
            guard (try? FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)) != nil else {
                throw error
            }
            file = try OutputFile(destination: path)
        }
        try file.write(bytes)
        try file.commit()
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
