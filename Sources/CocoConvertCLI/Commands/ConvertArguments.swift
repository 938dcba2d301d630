import CocoConvertCore

/// A `convert` command line, parsed against the options its route declares.
///
/// Accepted: `convert --from F --to T IN OUT [options]` (after route shorthands were rewritten to
/// it), `--name value`, `--name=value`, `-q`, and `--` before paths that start with a dash. An
/// option the route does not have is a usage error that names the routes it belongs to, or the
/// option meant by a typo.
struct ConvertArguments {
    var from: FormatPlugin?
    var to: FormatPlugin?
    var paths: [String] = []
    var values = OptionValues()
    var wantsHelp = false

    /// Parses `arguments` (without the leading `convert`).
    static func parse(_ arguments: [String], registry: FormatRegistry) throws -> ConvertArguments {
        var result = ConvertArguments()
        // --from and --to decide which options exist, so they are found first.
        var index = 0
        var rest: [String] = []
        while index < arguments.count {
            let argument = arguments[index]
            if argument == "--" {
                rest += arguments[index...]
                break
            }
            let (name, inline) = split(argument)
            if name == "from" || name == "to" {
                guard let value = inline ?? (index + 1 < arguments.count ? arguments[index + 1] : nil) else {
                    throw ConversionError(.usage, "--\(name) needs a format name", hint: "formats: \(registry.nameList)")
                }
                if inline == nil { index += 1 }
                guard let plugin = registry.plugin(named: value) else {
                    let near = registry.nearestName(to: value).map { "did you mean \($0.name)? " } ?? ""
                    throw ConversionError(.usage, "'\(value)' is not a format", hint: near + "formats: \(registry.nameList)")
                }
                if name == "from" { result.from = plugin } else { result.to = plugin }
            } else {
                rest.append(argument)
            }
            index += 1
        }
        result.wantsHelp = rest.prefix(while: { $0 != "--" }).contains { $0 == "--help" || $0 == "-h" }
        if result.wantsHelp { return result }
        guard result.from != nil, result.to != nil else {
            throw ConversionError(.usage, "a conversion needs a source and a target format",
                                  hint: "write the route first, e.g. cococonvert coco2voc IN OUT, or give --from and --to")
        }
        let specs = Self.specs(from: result.from, to: result.to)
        index = 0
        var onlyPaths = false
        while index < rest.count {
            let argument = rest[index]
            index += 1
            if onlyPaths || !argument.hasPrefix("-") || argument == "-" {
                result.paths.append(argument)
                continue
            }
            if argument == "--" {
                onlyPaths = true
                continue
            }
            let (name, inline) = split(argument)
            let spec: OptionSpec
            if argument.hasPrefix("--") {
                guard let found = specs.first(where: { $0.name == name }) else {
                    throw unknownOption(name, route: result, registry: registry)
                }
                spec = found
            } else {
                let letters = Array(argument.dropFirst())
                guard letters.count == 1, let found = specs.first(where: { $0.short == letters[0] }) else {
                    throw ConversionError(.usage, "unknown option '\(argument)'",
                                          hint: "'cococonvert \(result.from?.name ?? "")2\(result.to?.name ?? "") --help' lists this route's options")
                }
                spec = found
            }
            if spec.takesValue {
                guard let value = inline ?? (index < rest.count ? rest[index] : nil) else {
                    throw ConversionError(.usage, "--\(spec.name) needs a value", hint: spec.help)
                }
                if inline == nil { index += 1 }
                if !spec.choices.isEmpty, !spec.choices.contains(value.lowercased()) {
                    let near = EditDistance.nearest(to: value.lowercased(), in: spec.choices).map { "did you mean \($0)? " } ?? ""
                    throw ConversionError(.usage, "--\(spec.name) does not accept '\(value)'",
                                          hint: near + "choose one of \(spec.choices.joined(separator: ", "))")
                }
                result.values.append(spec.name, spec.choices.isEmpty ? value : value.lowercased())
            } else {
                if inline != nil { throw ConversionError(.usage, "--\(spec.name) takes no value") }
                result.values.append(spec.name)
            }
        }
        return result
    }

    /// Every option of a route: the common ones, then the reader's, then the writer's (an option
    /// both declare, such as `--split`, is listed once and reaches both).
    static func specs(from: FormatPlugin?, to: FormatPlugin?) -> [OptionSpec] {
        var seen: Set<String> = []
        return (CommonOptions.all + (from?.reader?.options ?? []) + (to?.writer?.options ?? []))
            .filter { seen.insert($0.name).inserted }
    }

    /// `--name=value` → (`name`, `value`); `--name` → (`name`, nil).
    private static func split(_ argument: String) -> (String, String?) {
        guard argument.hasPrefix("--") else { return ("", nil) }
        let body = argument.dropFirst(2)
        if let equals = body.firstIndex(of: "=") {
            return (String(body[..<equals]), String(body[body.index(after: equals)...]))
        }
        return (String(body), nil)
    }

    /// Why `--name` is not accepted here, and what would be.
    private static func unknownOption(_ name: String, route: ConvertArguments, registry: FormatRegistry) -> ConversionError {
        let routeName = "\(route.from?.name ?? "?")2\(route.to?.name ?? "?")"
        let owners = registry.owners(ofOption: name)
        if !owners.isEmpty {
            return ConversionError(.usage, "--\(name) does not apply to \(routeName): it is an option for \(owners.joined(separator: ", "))",
                                   hint: "'cococonvert \(routeName) --help' lists this route's options")
        }
        let routeNames = specs(from: route.from, to: route.to).map(\.name)
        if let near = EditDistance.nearest(to: name, in: routeNames) {
            return ConversionError(.usage, "unknown option '--\(name)'", hint: "did you mean --\(near)?")
        }
        if let near = EditDistance.nearest(to: name, in: registry.allOptionNames) {
            let nearOwners = registry.owners(ofOption: near).joined(separator: ", ")
            return ConversionError(.usage, "unknown option '--\(name)'", hint: "--\(near) exists for \(nearOwners), not for \(routeName)")
        }
        return ConversionError(.usage, "unknown option '--\(name)'", hint: "'cococonvert \(routeName) --help' lists this route's options")
    }
}
