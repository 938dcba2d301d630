/// Output file names derived from untrusted `file_name` values, confined to the output directory.
public enum SafePath {
    /// A stem that is safe as a single path component: the last component of `name`, without
    /// directories, with `..`, control characters and NUL rejected.
    ///
    /// The longest stem accepted, in UTF-8 bytes. File systems allow 255 bytes per name; writers add
    /// an extension (`.png`, `.xml`) and, while a file is being written, a temporary prefix and
    /// suffix (`.<name>.tmp-<pid>-<n>`), so 200 leaves room for both.
    public static let maximumStemBytes = 200

    /// - Throws: `ConversionError.invalidValue` when nothing usable remains, or when the name is
    ///   longer than ``maximumStemBytes`` (an item problem: `--on-error skip` leaves the sample out).
    public static func component(_ name: String, context: ErrorContext = ErrorContext()) throws -> String {
        let last = name.split(separator: "/", omittingEmptySubsequences: true).last.map(String.init) ?? ""
        let cleaned = String(last.unicodeScalars.filter { $0.value >= 0x20 && $0 != "\\" })
        if cleaned.isEmpty || cleaned == "." || cleaned == ".." {
            throw ConversionError(.invalidValue, "file name '\(name)' does not give a usable output file name",
                                  context: context, hint: "fix the image's file_name in the source")
        }
        let bytes = cleaned.utf8.count
        if bytes > maximumStemBytes {
            throw ConversionError(.invalidValue, "file name '\(cleaned.prefix(40))…' is \(bytes) bytes; output names hold at most \(maximumStemBytes)",
                                  context: context, hint: "shorten the image's file_name in the source, or --on-error skip leaves it out")
        }
        return cleaned
    }
}
