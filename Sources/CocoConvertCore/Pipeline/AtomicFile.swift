import Foundation

/// Writes files so that a reader never sees a partial one: a temporary name beside the target,
/// then a rename. Temporary names are registered in ``TemporaryFiles`` until renamed or removed.
public enum AtomicFile {
    /// The temporary name used for `path` until it is complete (`.<name>.tmp-<pid>-0`); register
    /// the file with ``TemporaryFiles/create(_:_:)`` when creating it.
    public static func temporaryPath(for path: String) -> String {
        TemporaryFiles.path(beside: path, tag: "tmp")
    }

    /// Writes `bytes` to `path` atomically, creating the parent directory if it is missing.
    public static func write(_ bytes: [UInt8], to path: String) throws {
        let file: OutputFile
        do {
            file = try OutputFile(destination: path)
        } catch let error as ConversionError {
            // Not after an interruption (`ConversionCancelled`): the parent may just have been removed.
            let parent = URL(fileURLWithPath: path).deletingLastPathComponent()
            guard (try? FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)) != nil else {
                throw error
            }
            file = try OutputFile(destination: path)
        }
        try file.write(bytes)
        try file.commit()
    }

    /// Renames a finished, registered temporary file to its final name, replacing an older file; on
    /// failure the temporary file is removed.
    public static func commit(_ temporary: String, to path: String) throws {
        let code: Int32
        do {
            code = try TemporaryFiles.rename(temporary, to: path)
        } catch {
            TemporaryFiles.remove(temporary)
            throw error
        }
        if code != 0 {
            TemporaryFiles.remove(temporary)
            throw ConversionError(.io, "cannot rename \(temporary) into place: \(String(cString: strerror(code)))",
                                  context: ErrorContext(file: path))
        }
    }
}
