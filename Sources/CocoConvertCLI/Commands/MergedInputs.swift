import CocoConvertCore
import Foundation

/// `ROUTE IN1 IN2 ... OUT`: several inputs of the route's source format read as one dataset.
///
/// The last path is the output; the inputs are merged by image id (``MergedDatasetReader``).
enum MergedInputs {
    /// Mistakes of a several-input command line, found before anything is read.
    static func check(_ inputs: [String], output: String, route: String) throws {
        guard inputs.count > 1 else { return }
        var seen: Set<String> = []
        for input in inputs {
            guard FileManager.default.fileExists(atPath: input) else {
                throw ConversionError(.usage, "input '\(input)' does not exist",
                                      hint: "\(route) merges every path but the last into one dataset and writes to the last (\(output)); "
                                          + "an option value that starts with '-' needs --name=value")
            }
            if !seen.insert(ConversionPlan.standardized(input)).inserted {
                throw ConversionError(.usage, "'\(input)' is given twice", hint: "name each input once")
            }
        }
    }

    /// Opens every input with `open`; two or more become one ``MergedDatasetReader``.
    static func open(_ inputs: [String], skips: SkipReport, with open: ReaderPlugin.Open) throws -> any DatasetReader {
        if inputs.count == 1 { return try open(inputs[0], skips) }
        var sources: [MergedDatasetReader.Source] = []
        for input in inputs {
            do {
                sources.append(MergedDatasetReader.Source(path: input, reader: try open(input, skips)))
            } catch let error as ConversionError {
                throw error.context.file == nil ? error.adding(ErrorContext(file: input)) : error
            }
        }
        return try MergedDatasetReader(sources, skips: skips)
    }
}
