import CocoConvertCore
import Foundation

/// The options that convert part of a dataset, for every route: parsed into a ``Subset``.
enum SubsetOptions {
    static let group = "Subset"
    static let limit = OptionSpec.value("limit", "N", group: group,
        help: "Convert the first N samples (after the other subset options).")
    static let imageIDs = OptionSpec.value("image-ids", "FILE|LIST", group: group,
        help: "Convert only these images: ids separated by commas (1,5,9), or a file of ids (whitespace, commas or one per line).")
    static let categories = OptionSpec.value("categories", "NAMES|IDS", group: group,
        help: "Keep the instances of these categories (names or ids, comma-separated; or a file, one per line) and drop the others; images stay. The summary counts what was dropped.")
    static let sample = OptionSpec.value("sample", "FRACTION", group: group,
        help: "Convert a random FRACTION (0 < F ≤ 1) of the images, chosen from the image id and --seed: the same for any --jobs.")
    static let seed = OptionSpec.value("seed", "S", group: group, help: "Seed of --sample (default 0).")

    static let all = [limit, imageIDs, categories, sample, seed]

    /// The subset the options ask for (everything when none is given).
    /// - Throws: `ConversionError` (.usage) for a bad value, naming the option.
    static func subset(_ values: OptionValues) throws -> Subset {
        var subset = Subset()
        subset.limit = try values.int("limit", in: 1...Int.max)
        if let text = values.string("image-ids") {
            let words = try listOrFile(text, option: "image-ids")
            var ids: Set<Int64> = []
            for word in words {
                guard let id = Int64(word) else {
                    throw ConversionError(.usage, "--image-ids: '\(word)' is not an image id (a whole number)",
                                          hint: "give ids separated by commas, or a file of ids")
                }
                ids.insert(id)
            }
            guard !ids.isEmpty else { throw ConversionError(.usage, "--image-ids lists no id") }
            subset.imageIDs = ids
        }
        if let text = values.string("categories") {
            if text.lowercased().hasSuffix(".json") && FileManager.default.fileExists(atPath: text) {
                throw ConversionError(.usage, "--categories keeps the categories it lists (names or ids); '\(text)' is a JSON file",
                                      hint: "a file for --categories has one name or id per line; to name the values of label maps from a COCO JSON, use --category-file")
            }
            let names = try listOrFile(text, option: "categories", separators: ",")
            guard !names.isEmpty else { throw ConversionError(.usage, "--categories lists no category") }
            subset.categories = names
        }
        if let text = values.string("sample") {
            guard let fraction = Double(text), fraction > 0, fraction <= 1 else {
                throw ConversionError(.usage, "--sample takes a fraction above 0 and at most 1, not '\(text)'", hint: "e.g. --sample 0.1 for 10%")
            }
            subset.fraction = fraction
        }
        if let text = values.string("seed") {
            guard values.has("sample") else { throw ConversionError(.usage, "--seed chooses what --sample keeps", hint: "add --sample FRACTION") }
            guard let seed = UInt64(text) else { throw ConversionError(.usage, "--seed takes a whole number ≥ 0, not '\(text)'") }
            subset.seed = seed
        }
        return subset
    }

    /// The words of `text`, or of the file it names (split on commas, whitespace and newlines;
    /// category names are split on `separators` only, since they may contain spaces).
    private static func listOrFile(_ text: String, option: String, separators: String? = nil) throws -> [String] {
        var body = text
        var split: Set<Character> = Set(separators ?? ", \t\n\r")
        if FileManager.default.fileExists(atPath: text) {
            guard let contents = try? String(contentsOfFile: text, encoding: .utf8) else {
                throw ConversionError(.usage, "--\(option): cannot read '\(text)' as text", context: ErrorContext(file: text))
            }
            body = contents
            if separators != nil { split = ["\n", "\r"] }
        }
        return body.split(whereSeparator: { split.contains($0) })
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
