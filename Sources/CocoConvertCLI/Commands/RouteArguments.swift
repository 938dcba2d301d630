/// Turns the route shorthands into the `convert` command line.
///
/// `coco2voc`, `coco:voc`, `coco-to-voc` and the quoted `'coco->voc'` all become
/// `convert --from coco --to voc`. An unquoted `coco->voc` reaches us as `coco-` (the shell took
/// `>voc` as a redirection); that is caught here and explained. A first word that is neither a
/// command nor a route (`coco2xyz`, `inspct`) gets a message naming what is known, instead of the
/// argument parser's "unexpected arguments".
enum RouteArguments {
    /// The separators a route shorthand may use between two format names, longest first.
    static let separators = ["-to-", "->", "2", ":"]

    /// The subcommand names of `cococonvert` (and ArgumentParser's `help`).
    static let commands = ["convert", "inspect", "formats", "help"]

    /// What the command line means.
    enum Resolution: Equatable {
        /// Not a route: parse the arguments as they are.
        case unchanged([String])
        /// A route shorthand, rewritten to the `convert` command.
        case rewritten([String])
        /// An unquoted `->`: the message to print.
        case unquotedArrow(String)
        /// Neither a command nor a route (`coco2xyz`, `inspct`): the message to print.
        case notACommand(String)
    }

    static func resolve(_ arguments: [String]) -> Resolution {
        guard let first = arguments.first else { return .unchanged(arguments) }
        let rest = Array(arguments.dropFirst())
        if let (from, to) = route(first) {
            return .rewritten(["convert", "--from", from.rawValue, "--to", to.rawValue] + rest)
        }
        if first.hasSuffix("-"), FormatID(rawValue: String(first.dropLast())) != nil {
            let from = String(first.dropLast())
            let to = "FORMAT"
            return .unquotedArrow("""
                '\(first)' is not a command. It looks like '\(from)->\(to)' was typed without quotes: the shell \
                read '>' as a redirection, so this command's output went into a file, which you may want to delete.
                Quote the route, or use a spelling without '>':
                  cococonvert '\(from)->voc' IN OUT
                  cococonvert \(from)2voc IN OUT
                  cococonvert \(from):voc IN OUT
                  cococonvert convert --from \(from) --to voc IN OUT
                """)
        }
        if !first.hasPrefix("-"), !commands.contains(first) {
            return .notACommand(notACommandMessage(first))
        }
        return .unchanged(arguments)
    }

    /// Why `word` is neither a command nor a route, and what would be.
    static func notACommandMessage(_ word: String) -> String {
        let formats = FormatID.allCases.map(\.rawValue).joined(separator: ", ")
        let lower = word.lowercased()
        if let format = FormatID(rawValue: lower) {
            let name = format.rawValue
            let other = format == .coco ? "voc" : "coco"
            return """
                '\(word)' names one format; a route names two: \(name)2\(other), \(other)2\(name), \
                or convert --from \(name) --to FORMAT. Formats: \(formats).
                """
        }
        for separator in separators {
            var searchStart = lower.startIndex
            while let range = lower.range(of: separator, range: searchStart..<lower.endIndex) {
                let left = String(lower[..<range.lowerBound])
                let right = String(lower[range.upperBound...])
                let unknown: String?
                switch (FormatID(rawValue: left), FormatID(rawValue: right)) {
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
                searchStart = range.upperBound
            }
        }
        return """
            '\(word)' is not a command.
            Commands: \(commands.filter { $0 != "help" }.joined(separator: ", ")), or a route FROM2TO such as coco2voc \
            (formats: \(formats)). See 'cococonvert --help'.
            """
    }

    /// The two formats a shorthand names, if it is one.
    static func route(_ word: String) -> (FormatID, FormatID)? {
        let lower = word.lowercased()
        for separator in separators {
            var searchStart = lower.startIndex
            while let range = lower.range(of: separator, range: searchStart..<lower.endIndex) {
                if let from = FormatID(rawValue: String(lower[..<range.lowerBound])),
                   let to = FormatID(rawValue: String(lower[range.upperBound...])) {
                    return (from, to)
                }
                searchStart = range.upperBound
            }
        }
        return nil
    }
}
