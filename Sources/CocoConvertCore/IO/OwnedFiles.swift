#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// The files of the kinds a writer produces (its ``WriterPlugin/ownedFiles`` patterns), found in
/// an existing output: what `--overwrite` may remove when the run did not write them.
public enum OwnedFiles {
    /// Whether `relativePath` matches `pattern`: `*`, `?` and `[...]` within one component;
    /// a leading `**/` stands for any number of directories, none included.
    public static func matches(_ relativePath: String, _ pattern: String) -> Bool {
        if pattern.hasPrefix("**/") {
            let rest = String(pattern.dropFirst(3))
            var candidate = Substring(relativePath)
            while true {
                if fnmatch(rest, String(candidate), FNM_PATHNAME | FNM_PERIOD) == 0 { return true }
                guard let slash = candidate.firstIndex(of: "/") else { return false }
                candidate = candidate[candidate.index(after: slash)...]
            }
        }
        return fnmatch(pattern, relativePath, FNM_PATHNAME | FNM_PERIOD) == 0
    }

    /// Files and links under `directory` (symbolic links to directories are not followed) whose
    /// path relative to it matches one of `patterns`, sorted. Hidden files (locks, temporaries) never match.
    public static func find(in directory: String, patterns: [String]) -> [String] {
        guard !patterns.isEmpty, let enumerator = FileManager.default.enumerator(atPath: directory) else { return [] }
        var found: [String] = []
        while let relative = enumerator.nextObject() as? String {
            if PathText.lastComponent(of: relative).hasPrefix(".") { continue }
            let path = PathText.join(directory, relative)
            var info = stat()
            guard lstat(path, &info) == 0, info.st_mode & S_IFMT != S_IFDIR else { continue }
            if patterns.contains(where: { matches(relative, $0) }) { found.append(path) }
        }
        return found.sorted()
    }

    /// The entries of an existing output directory that make it non-empty, sorted: everything but
    /// the output lock and temporary files that killed runs left (a later run removes those).
    public static func occupants(of directory: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0 != ".cococonvert.lock" && !TemporaryFiles.isForeignTemporaryName($0) }.sorted()
    }
}
