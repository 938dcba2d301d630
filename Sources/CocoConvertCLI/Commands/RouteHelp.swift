import CocoConvertCore

/// `--help` for a route: what it reads and writes and only the options it takes, grouped by who
/// uses them; and for `convert` without a route, the routes and how to ask about one.
enum RouteHelp {
    static func text(from: FormatPlugin?, to: FormatPlugin?, registry: FormatRegistry) -> String {
        guard let from, let to, let reader = from.reader, let writer = to.writer else { return overview(registry) }
        let route = "\(from.name)2\(to.name)"
        var lines = [
            "OVERVIEW: Convert \(from.name) to \(to.name).",
            "",
            "USAGE: cococonvert \(route) <input> <output> [<options>]",
            "       (also \(from.name):\(to.name), '\(from.name)->\(to.name)' quoted, or convert --from \(from.name) --to \(to.name))",
            "",
            "ARGUMENTS:",
        ]
        lines += wrap("<input>", reader.accepts)
        let outputText: String
        switch writer.output {
        case .file(let example): outputText = "One file (e.g. \(example)). " + writer.produces
        case .directory: outputText = "A directory, created if missing. " + writer.produces
        }
        lines += wrap("<output>", outputText)

        var sections: [(title: String, specs: [OptionSpec])] = []
        func add(_ spec: OptionSpec, section: String) {
            if sections.contains(where: { $0.specs.contains { $0.name == spec.name } }) { return }
            let title = spec.group.isEmpty ? section : spec.group
            if let index = sections.firstIndex(where: { $0.title == title }) {
                sections[index].specs.append(spec)
            } else {
                sections.append((title, [spec]))
            }
        }
        for spec in reader.options { add(spec, section: "Reading \(from.name)") }
        for spec in writer.options { add(spec, section: "Writing \(to.name)") }
        for spec in CommonOptions.all { add(spec, section: CommonOptions.group) }
        for section in sections {
            lines.append("")
            lines.append(section.title.uppercased() + ":")
            for spec in section.specs { lines += wrap(spec.synopsis, spec.help) }
        }
        lines.append("")
        lines.append("Outputs are written under temporary names and renamed when complete; a failed or interrupted")
        lines.append("run removes what it created. An output directory that holds files, or an output file that exists,")
        lines.append("is refused unless --overwrite or --add says what to do with it; --dry-run shows what a run would")
        lines.append("write and what the route loses. Exit status: 0 success, 64 bad command line, 65 bad input data,")
        lines.append("1 other failures (output not writable, disk full).")
        return lines.joined(separator: "\n")
    }

    /// `cococonvert convert --help`: the routes, and where each route's options are listed.
    static func overview(_ registry: FormatRegistry) -> String {
        let readable = registry.plugins.filter { $0.reader != nil }.map(\.name)
        let writable = registry.plugins.filter { $0.writer != nil }.map(\.name)
        var lines = [
            "OVERVIEW: Convert a dataset from one format to another.",
            "",
            "USAGE: cococonvert <from>2<to> <input> <output> [<options>]",
            "       cococonvert convert --from <from> --to <to> <input> <output> [<options>]",
            "",
            "Shorthands for the same command: coco2voc, coco:voc, 'coco->voc' (quote the >: unquoted, the shell",
            "reads it as a redirection). Any reader converts to any writer:",
            "  from: " + readable.joined(separator: ", "),
            "  to:   " + writable.joined(separator: ", "),
            "",
            "Each route has its own options: 'cococonvert coco2voc --help' lists those of coco2voc.",
            "",
            "OPTIONS OF EVERY ROUTE:",
        ]
        for spec in CommonOptions.all { lines += wrap(spec.synopsis, spec.help) }
        lines.append("")
        lines.append("Exit status: 0 success, 64 bad command line, 65 bad input data, 1 other failures (output not writable, disk full).")
        return lines.joined(separator: "\n")
    }

    /// A two-column entry: the synopsis, then the help wrapped at 100 columns and indented.
    static func wrap(_ synopsis: String, _ help: String) -> [String] {
        let indent = 26
        var lines: [String] = []
        var current = "  " + synopsis
        if current.count >= indent - 1 {
            lines.append(current)
            current = ""
        }
        current = current.padding(toLength: indent, withPad: " ", startingAt: 0)
        var empty = true
        for word in help.split(separator: " ") {
            if !empty && current.count + 1 + word.count > 100 {
                lines.append(current)
                current = String(repeating: " ", count: indent)
                empty = true
            }
            current += (empty ? "" : " ") + word
            empty = false
        }
        lines.append(current)
        return lines
    }
}
