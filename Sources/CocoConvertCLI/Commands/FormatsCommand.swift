import ArgumentParser

/// `cococonvert formats`: what each format can read and write.
struct Formats: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the formats and what each one reads and writes.")

    func run() throws {
        print(Self.table())
    }

    static func table() -> String {
        var lines = ["FORMAT    READS / WRITES"]
        for plugin in FormatPlugin.all {
            lines.append(plugin.id.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0) + plugin.summary)
            lines.append("          read:  " + (plugin.reads ?? "not yet"))
            lines.append("          write: " + (plugin.writes ?? "not yet"))
        }
        let readable = FormatPlugin.all.filter { $0.makeReader != nil }.map(\.id.rawValue)
        let writable = FormatPlugin.all.filter { $0.makeWriter != nil }.map(\.id.rawValue)
        lines.append("")
        lines.append("Any reader converts to any writer: cococonvert <from>2<to> IN OUT")
        lines.append("  from: " + (readable.isEmpty ? "-" : readable.joined(separator: ", ")))
        lines.append("  to:   " + (writable.isEmpty ? "-" : writable.joined(separator: ", ")))
        return lines.joined(separator: "\n")
    }
}
