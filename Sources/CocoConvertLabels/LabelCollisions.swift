import CocoConvertCore

/// A label mapping that gives a class the background or ignore value makes maps in which those
/// pixels cannot be told apart: an error unless `--allow-collisions` says it is meant.
enum LabelCollisions {
    /// Throws a usage error naming every class (up to five) whose value is the background or ignore value.
    static func check(_ schema: LabelSchema, labels: String) throws {
        let clashing = schema.entries.filter { $0.value == schema.background || $0.value == schema.ignoreIndex }
        guard let first = clashing.first else { return }
        func role(_ value: UInt32) -> String {
            value == schema.background && value == schema.ignoreIndex ? "the background and ignore value"
                : value == schema.background ? "the background value" : "the ignore value"
        }
        let named = clashing.prefix(5).map { "category \($0.categoryID) '\($0.name)' → \($0.value)" }.joined(separator: ", ")
        let more = clashing.count > 5 ? " and \(clashing.count - 5) more" : ""
        throw ConversionError(.usage,
            "--labels \(labels) gives a class \(role(first.value)) (\(named)\(more)): its pixels could not be told from \(first.value == schema.background ? "unlabeled" : "ignored") ones",
            hint: "change the mapping or --background/--ignore-index (now \(schema.background)/\(schema.ignoreIndex)), or add --allow-collisions if this is meant")
    }
}
