import ArgumentParser
import CocoConvertCore

/// `cococonvert formats`: what each format can read and write.
struct Formats: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the formats and what each one reads and writes.")

    @Flag(name: .customLong("json"), help: "Print the formats and every option of their readers and writers as JSON.")
    var json = false

    @Option(name: .customLong("detect"), help: "Print the formats PATH looks like, most likely first (as JSON with --json).")
    var detect: String?

    func run() throws {
        let registry = CococonvertCommand.registry
        if let detect {
            guard InputProbe(path: detect).exists else {
                throw ValidationError("\(detect): no such file or directory")
            }
            if json {
                print(FormatCatalog.detectionJSON(detect, registry: registry))
            } else {
                for entry in registry.detect(InputProbe(path: detect)) {
                    print(entry.plugin.name.padding(toLength: 10, withPad: " ", startingAt: 0)
                          + "\(entry.detection.description) (confidence \(entry.detection.confidence)/100)")
                }
            }
            return
        }
        print(json ? FormatCatalog.json(registry) : Self.table(registry))
    }

    static func table(_ registry: FormatRegistry) -> String {
        var lines = ["FORMAT    READS / WRITES"]
        for plugin in registry.plugins {
            let names = plugin.name + (plugin.aliases.isEmpty ? "" : " (also " + plugin.aliases.joined(separator: ", ") + ")")
            lines.append(plugin.name.padding(toLength: 10, withPad: " ", startingAt: 0) + plugin.summary)
            if names != plugin.name { lines.append("          names: " + names) }
            lines.append("          read:  " + (plugin.reader?.accepts ?? "not yet"))
            lines.append("          write: " + (plugin.writer?.produces ?? "not yet"))
        }
        let readable = registry.plugins.filter { $0.reader != nil }.map(\.name)
        let writable = registry.plugins.filter { $0.writer != nil }.map(\.name)
        lines.append("")
        lines.append("Any reader converts to any writer: cococonvert <from>2<to> IN OUT ('cococonvert <from>2<to> --help' lists its options)")
        lines.append("  from: " + (readable.isEmpty ? "-" : readable.joined(separator: ", ")))
        lines.append("  to:   " + (writable.isEmpty ? "-" : writable.joined(separator: ", ")))
        return lines.joined(separator: "\n")
    }
}
