import CocoConvertCore
import Foundation

/// Refuses, before any input is read, outputs a run could damage: a non-empty directory or an
/// existing file (unless `--overwrite` or `--add` says what to do with it), an output that is an
/// input or lies inside an input directory, and a directory holding the input in the default mode.
enum OutputSafety {
    /// - Throws: `ConversionError` (.usage) saying why, and which option would allow it.
    static func check(input: String, output: String, isFile: Bool, mode: OutputMode,
                      route: String) throws {
        let source = ConversionPlan.standardized(input)
        let target = ConversionPlan.standardized(output)
        if source == target {
            throw ConversionError(.usage, "the output '\(output)' is the input", hint: "write to a new \(isFile ? "file" : "directory")")
        }
        if InputProbe.isDirectory(input) && target.hasPrefix(source + "/") {
            throw ConversionError(.usage, "the output '\(output)' lies inside the input directory '\(input)'",
                                  hint: "write outside the input, e.g. beside it")
        }
        let choices = "--overwrite replaces what \(route) writes there and removes stale files of the same kinds; "
            + "--add adds to it without replacing anything; or choose a new directory"
        if !isFile && source.hasPrefix(target + "/") && mode == .fresh {
            throw ConversionError(.usage, "the output directory '\(output)' holds the input '\(input)'",
                                  hint: choices + " (the input itself is never replaced)")
        }
        if isFile {
            if FileManager.default.fileExists(atPath: output) {
                switch mode {
                case .fresh:
                    throw ConversionError(.usage, "'\(output)' already exists", context: ErrorContext(file: output),
                                          hint: "--overwrite replaces it; or name a new file")
                case .add:
                    throw ConversionError(.usage, "--add merges into a directory; '\(output)' is one file",
                                          hint: "--overwrite (alone) replaces it; or name a new file")
                case .overwrite:
                    break
                }
            }
            // Directories beside a file output (COCO panoptic PNGs) may exist: the run only adds to
            // them, never replaces a file there with other bytes (the ledger checks, see execute).
            return
        }
        guard mode == .fresh, InputProbe.isDirectory(output) else { return }
        let occupants = OwnedFiles.occupants(of: output)
        guard !occupants.isEmpty else { return }
        let shown = occupants.prefix(3).joined(separator: ", ") + (occupants.count > 3 ? ", …" : "")
        throw ConversionError(.usage, "'\(output)' is not empty (\(Console.count(occupants.count, "entry").replacingOccurrences(of: "entrys", with: "entries")): \(shown)); nothing was written",
                              context: ErrorContext(file: output), hint: choices)
    }

    /// `--partitions` and `--resume` add to their output, so it must be theirs: an existing output
    /// directory is accepted only when it is empty (locks aside), holds the parts directory of
    /// partitions or checkpoints (each such run creates it before writing anything else, so
    /// partitions starting together accept each other), or holds only files of the kinds the writer
    /// makes (a finished run of the same command, run again).
    /// - Throws: `ConversionError` (.usage) naming what is there and how to go on.
    static func checkPartitioned(output: String, isFile: Bool, owned: [String], how: String) throws {
        guard !isFile, InputProbe.isDirectory(output) else { return }
        let parts = PathText.lastComponent(of: PartitionContext.partsDirectory(output: output, outputIsFile: false))
        let occupants = OwnedFiles.occupants(of: output).filter { !($0.hasPrefix(".cococonvert.partition-") && $0.hasSuffix(".lock")) }
        guard !occupants.isEmpty, !occupants.contains(parts) else { return }
        // A finished run of this kind (its merge removed the parts): only files the writer makes.
        if OwnedFiles.find(in: output, patterns: owned).count == visibleFiles(under: output) { return }
        let shown = occupants.prefix(3).joined(separator: ", ") + (occupants.count > 3 ? ", …" : "")
        throw ConversionError(.usage, "'\(output)' is not empty (\(occupants.count == 1 ? "1 entry" : "\(occupants.count) entries"): \(shown)) "
                              + "and holds no partitions or checkpoints; nothing was written", context: ErrorContext(file: output),
                              hint: "\(how) adds to an empty directory or to its own unfinished run: choose a new directory or empty this one; "
                              + "or convert in one plain run with --overwrite, which replaces what the route writes there")
    }

    /// Regular files and links under `directory`, hidden ones (and hidden directories) left out.
    private static func visibleFiles(under directory: String) -> Int {
        guard let enumerator = FileManager.default.enumerator(atPath: directory) else { return 0 }
        var count = 0
        while let relative = enumerator.nextObject() as? String {
            if PathText.lastComponent(of: relative).hasPrefix(".") {
                if (enumerator.fileAttributes?[.type] as? FileAttributeType) == .typeDirectory { enumerator.skipDescendants() }
                continue
            }
            if (enumerator.fileAttributes?[.type] as? FileAttributeType) != .typeDirectory { count += 1 }
        }
        return count
    }
}
