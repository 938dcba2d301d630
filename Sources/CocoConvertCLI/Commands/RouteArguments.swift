import CocoConvertCore

/// Decides what a command line is: a conversion (a route shorthand or `convert`), another
/// subcommand, or a mistake to explain.
///
/// `coco2voc`, `coco:voc`, `coco-to-voc` and the quoted `'coco->voc'` all mean
/// `convert --from coco --to voc`. An unquoted `coco->voc` reaches us as `coco-` (the shell took
/// `>voc` as a redirection); that is caught here and explained. A first word that is neither a
/// command nor a route (`coco2vco`, `inspct`) gets a message naming what is known and what was
/// probably meant.
enum RouteArguments {
    /// The subcommand names of `cococonvert` besides routes (and ArgumentParser's `help`).
    static let commands = ["convert", "inspect", "formats", "verify", "preview", "merge", "help"]

    /// What the command line means.
    enum Resolution: Equatable {
        /// A conversion: the `convert` arguments (a route becomes `--from A --to B`).
        case convert([String])
        /// Another subcommand or a root option: parse the arguments as they are.
        case unchanged([String])
        /// A mistake: the message to print (exit 64).
        case mistake(String)
    }

    static func resolve(_ arguments: [String], registry: FormatRegistry) -> Resolution {
        guard let first = arguments.first else { return .unchanged(arguments) }
        let rest = Array(arguments.dropFirst())
        if first == "convert" { return .convert(rest) }
        if let (from, to) = registry.route(first) {
            return .convert(["--from", from.name, "--to", to.name] + rest)
        }
        if first.hasSuffix("-"), let from = registry.plugin(named: String(first.dropLast())) {
            return .mistake("""
                '\(first)' is not a command. It looks like '\(from.name)->FORMAT' was typed without quotes: the shell \
                read '>' as a redirection, so this command's output went into a file, which you may want to delete.
                Quote the route, or use a spelling without '>':
                  cococonvert '\(from.name)->voc' IN OUT
                  cococonvert \(from.name)2voc IN OUT
                  cococonvert \(from.name):voc IN OUT
                  cococonvert convert --from \(from.name) --to voc IN OUT
                """)
        }
        if !first.hasPrefix("-"), !commands.contains(first) {
            return .mistake(notACommandMessage(first, registry: registry))
        }
        return .unchanged(arguments)
    }

    /// Why `word` is neither a command nor a route, and what would be.
    static func notACommandMessage(_ word: String, registry: FormatRegistry) -> String {
        let formats = registry.nameList
        if let format = registry.plugin(named: word) {
            let other = registry.plugins.first { $0.name != format.name }?.name ?? "FORMAT"
            return """
                '\(word)' names one format; a route names two: \(format.name)2\(other), \(other)2\(format.name), \
                or convert --from \(format.name) --to FORMAT. Formats: \(formats).
                """
        }
        if let suggestion = registry.routeSuggestion(for: word) {
            return """
                '\(word)' is not a route; did you mean \(suggestion)?
                Formats: \(formats). A route is FROM2TO, FROM:TO or 'FROM->TO' (quoted); 'cococonvert formats' lists them.
                """
        }
        for (left, right) in FormatRegistry.routeSplits(word) {
            let unknown: String?
            switch (registry.plugin(named: left), registry.plugin(named: right)) {
            case (.some, .none): unknown = right
            case (.none, .some): unknown = left
            default: unknown = nil
            }
            if let unknown {
                let what = unknown.isEmpty ? "a format name is missing" : "'\(unknown)' is not a format"
                return """
                    '\(word)' is not a route: \(what).
                    Formats: \(formats). A route is FROM2TO, FROM:TO or 'FROM->TO' (quoted), e.g. coco2voc;
                    'cococonvert formats' shows which formats can be read and written.
                    """
            }
        }
        let near = EditDistance.nearest(to: word.lowercased(), in: commands.filter { $0 != "help" }).map { " Did you mean \($0)?" } ?? ""
        return """
            '\(word)' is not a command.\(near)
            Commands: \(commands.filter { $0 != "help" }.joined(separator: ", ")), or a route FROM2TO such as coco2voc \
            (formats: \(formats)). See 'cococonvert --help'.
            """
    }
}
