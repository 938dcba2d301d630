/// Turns the route shorthands into the `convert` command line.
///
/// `coco2voc`, `coco:voc`, `coco-to-voc` and the quoted `'coco->voc'` all become
/// `convert --from coco --to voc`. An unquoted `coco->voc` reaches us as `coco-` (the shell took
/// `>voc` as a redirection); that is caught here and explained.
enum RouteArguments {
    /// The separators a route shorthand may use between two format names, longest first.
    static let separators = ["-to-", "->", "2", ":"]

    /// What the command line means.
    enum Resolution: Equatable {
        /// Not a route: parse the arguments as they are.
        case unchanged([String])
        /// A route shorthand, rewritten to the `convert` command.
        case rewritten([String])
        /// An unquoted `->`: the message to print.
        case unquotedArrow(String)
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
        return .unchanged(arguments)
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
