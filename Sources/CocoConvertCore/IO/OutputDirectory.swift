#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Directories inside an output, created so that nothing is written outside it: a symbolic link
/// already standing inside the output (`OUT/JPEGImages` → a directory elsewhere) is refused, never
/// written through. The output itself may be a link; the user chose it.
public enum OutputDirectory {
    /// Creates `path` and its missing parents below `root` (itself created if missing).
    /// - Throws: `ConversionError` (.io) naming the link or the file in the way.
    public static func create(_ path: String, inside root: String) throws {
        try createPlain(root)
        let base = root.hasSuffix("/") ? String(root.dropLast()) : root
        guard path.hasPrefix(base + "/") else {
            try createPlain(path)
            return
        }
        var current = base
        for component in path.dropFirst(base.count + 1).split(separator: "/") where component != "." {
            current += "/" + component
            var info = stat()
            if lstat(current, &info) == 0 {
                if info.st_mode & S_IFMT == S_IFLNK {
                    throw ConversionError(.io, "\(current) is a symbolic link inside the output; cococonvert does not write through it",
                                          context: ErrorContext(file: current),
                                          hint: "remove the link (everything is written inside the output directory), or choose another output")
                }
                guard info.st_mode & S_IFMT == S_IFDIR else {
                    throw ConversionError(.io, "\(current) is a file where the output needs a directory", context: ErrorContext(file: current),
                                          hint: "move it away or choose another output")
                }
                continue
            }
            if mkdir(current, 0o755) == 0 {
                OutputLedger.didCreateDirectory(current)
            } else if errno != EEXIST {
                throw ConversionError(.io, "cannot create directory: \(String(cString: strerror(errno)))", context: ErrorContext(file: current),
                                      hint: "check the output path and permissions")
            }
        }
    }

    /// `mkdir -p` for the output root (links followed: the root is the user's choice).
    private static func createPlain(_ path: String) throws {
        var current = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            current += "/" + component
            if mkdir(current, 0o755) != 0 && errno != EEXIST {
                throw ConversionError(.io, "cannot create directory: \(String(cString: strerror(errno)))", context: ErrorContext(file: current),
                                      hint: "check the output path and permissions")
            }
        }
    }
}
