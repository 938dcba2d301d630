import ArgumentParser
import CocoConvertLabels
import CocoConvertCore
import Foundation

/// Opens a dataset for the commands that read without writing (verify, preview): the format named,
/// else detected, and the reader configured with the options it knows.
struct DatasetOpener {
    let registry: FormatRegistry

    /// The plugin for `path`: `format` if given, else the most confident detection.
    func plugin(for path: String, format: String?, option: String) throws -> FormatPlugin {
        if let format {
            guard let named = registry.plugin(named: format), named.reader != nil else {
                throw ConversionError(.usage, "\(option) '\(format)' is not a readable format", hint: "formats: \(registry.nameList)")
            }
            return named
        }
        let probe = InputProbe(path: path)
        guard probe.exists else {
            throw ConversionError(.missingFile, "no such file or directory", context: ErrorContext(file: path),
                                  hint: "check the path")
        }
        guard let detected = registry.detect(probe).first(where: { $0.detection.confidence >= 40 }) else {
            throw ConversionError(.unsupported, "not a format cococonvert recognises", context: ErrorContext(file: path),
                                  hint: "name it with \(option) (formats: \(registry.nameList))")
        }
        return detected.plugin
    }

    /// Opens `path` as `plugin`; `images` goes to readers that take `--images`.
    func open(_ path: String, plugin: FormatPlugin, images: String?, skips: SkipReport) throws -> any DatasetReader {
        guard let reader = plugin.reader else {
            throw ConversionError(.usage, "\(plugin.name) cannot be read", hint: "see 'cococonvert formats'")
        }
        var values = OptionValues()
        if let images, reader.options.contains(where: { $0.name == "images" }) { values.append("images", images) }
        let probe = InputProbe(path: path)
        guard probe.exists else {
            throw ConversionError(.missingFile, "no such file or directory", context: ErrorContext(file: path), hint: "check the path")
        }
        return try reader.configure(values)(path, skips)
    }
}

/// The label-painting options (`--labels --crowd --overlap --ignore-index --background`) as
/// ArgumentParser options, with the writers' help texts; parsed by ``LabelOptions``.
struct PaintArguments: ParsableArguments {
    @Option(name: .customLong("labels"), help: ArgumentHelp(LabelOptions.labelsSpec.help, valueName: "NAME|FILE"))
    var labels: String?
    @Option(name: .customLong("crowd"), help: ArgumentHelp(LabelOptions.crowdSpec.help, valueName: "skip|ignore|include"))
    var crowd: String?
    @Option(name: .customLong("overlap"), help: ArgumentHelp(LabelOptions.overlapSpec.help, valueName: "later|smaller|..."))
    var overlap: String?
    @Option(name: .customLong("ignore-index"), help: ArgumentHelp(LabelOptions.ignoreIndexSpec.help, valueName: "N"))
    var ignoreIndex: String?
    @Option(name: .customLong("background"), help: ArgumentHelp(LabelOptions.backgroundSpec.help, valueName: "N"))
    var background: String?

    /// The options as ``LabelOptions`` (usage errors name the option).
    func labelOptions() throws -> LabelOptions {
        var values = OptionValues()
        if let labels { values.append("labels", labels) }
        if let crowd { values.append("crowd", crowd) }
        if let overlap { values.append("overlap", overlap) }
        if let ignoreIndex { values.append("ignore-index", ignoreIndex) }
        if let background { values.append("background", background) }
        return try LabelOptions(values)
    }
}
