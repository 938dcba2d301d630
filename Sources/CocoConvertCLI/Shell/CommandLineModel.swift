import CocoConvertCore

/// The command line as data, for the generated man page and shell completions: every route with the
/// options it takes, and the other commands. Built from the registry, so a new format appears in both.
struct CommandLineModel {
    /// A route (`coco2png`) and its options (common, reader's, writer's).
    struct Route {
        var name: String
        var from: FormatPlugin
        var to: FormatPlugin
        var options: [OptionSpec]
    }

    var routes: [Route]
    /// `inspect`'s options (kept in step with ``Inspect``).
    var inspectOptions: [OptionSpec]

    /// The root command's subcommands (`inspect`, `formats`, …): name and one-line abstract.
    static var subcommands: [(name: String, abstract: String)] {
        CococonvertCommand.configuration.subcommands.map { command in
            (command.configuration.commandName ?? String(describing: command).lowercased(), command.configuration.abstract)
        }
    }

    /// Commands other than routes.
    static var commands: [String] { ["convert"] + subcommands.map(\.name) + ["help"] }

    init(registry: FormatRegistry) {
        var routes: [Route] = []
        for from in registry.plugins where from.reader != nil {
            for to in registry.plugins where to.writer != nil {
                routes.append(Route(name: "\(from.name)2\(to.name)", from: from, to: to,
                                    options: ConvertArguments.specs(from: from, to: to)))
            }
        }
        self.routes = routes
        inspectOptions = [
            .value("from", "FORMAT", help: "The input's format, when detection is not wanted."),
            .flag("json", help: "Print one JSON object instead of the table."),
            .flag("deep", help: "Parse and validate every record, and check the image files."),
            .value("images", "DIR", help: "Image directory for --deep."),
            .value("problems", "N", help: "How many problems to list (default 20)."),
            .flag("help", short: "h", help: "Show help."),
        ]
    }

    /// Every option any route or `inspect` takes, once per name (the first declaration's help).
    var allOptions: [OptionSpec] {
        var seen: Set<String> = []
        return (routes.flatMap(\.options) + inspectOptions).filter { seen.insert($0.name).inserted }
    }

    /// The routes that take option `name`.
    func routes(taking name: String) -> [String] {
        routes.filter { $0.options.contains { $0.name == name } }.map(\.name)
    }

    /// The first sentence of a help text, for one-line descriptions.
    static func firstSentence(_ help: String) -> String {
        if let end = help.range(of: ". ") { return String(help[..<end.lowerBound]) }
        return help.hasSuffix(".") ? String(help.dropLast()) : help
    }
}
