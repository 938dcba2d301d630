/// Output file names derived from untrusted `file_name` values, confined to the output directory.
public enum SafePath {
    /// A stem that is safe as a single path component: the last component of `name`, without
    /// directories, with `..`, control characters and NUL rejected.
    ///
    /// - Throws: `ConversionError.invalidValue` when nothing usable remains.
    public static func component(_ name: String, context: ErrorContext = ErrorContext()) throws -> String {
        let last = name.split(separator: "/", omittingEmptySubsequences: true).last.map(String.init) ?? ""
        let cleaned = String(last.unicodeScalars.filter { $0.value >= 0x20 && $0 != "\\" })
        if cleaned.isEmpty || cleaned == "." || cleaned == ".." {
            throw ConversionError(.invalidValue, "file name '\(name)' does not give a usable output file name",
                                  context: context, hint: "fix the image's file_name in the source")
        }
        return cleaned
    }
}
