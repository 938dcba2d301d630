/// One command-line option a format's reader or writer (or the pipeline) understands.
///
/// Formats declare their options as values; the command line parses, validates and documents
/// them from these declarations, so `cococonvert coco2voc --help` lists exactly the options of
/// that route, and an option that belongs to another route is refused with its name.
public struct OptionSpec: Sendable, Hashable {
    /// Whether the option stands alone or takes a value.
    public enum Kind: Sendable, Hashable {
        /// `--masks`: present or absent.
        case flag
        /// `--shard N`: takes one value; the associated string names it in help (`N`, `FILE`, `MODE`).
        case value(String)
    }

    /// The long name without dashes (`labels` for `--labels`).
    public var name: String
    /// A one-letter spelling (`q` for `-q`), for the few common options that have one.
    public var short: Character?
    public var kind: Kind
    /// One or two sentences for `--help`: what it does and its default.
    public var help: String
    /// The values accepted, when they are a closed set (checked by the parser, listed in help).
    public var choices: [String]
    /// The section of `--help` it is listed under when several formats share it (`Label maps`);
    /// empty for a format's own options, listed under "Reading X" or "Writing X".
    public var group: String

    public init(name: String, short: Character? = nil, kind: Kind, help: String, choices: [String] = [], group: String = "") {
        self.name = name
        self.short = short
        self.kind = kind
        self.help = help
        self.choices = choices
        self.group = group
    }

    /// An option without a value.
    public static func flag(_ name: String, short: Character? = nil, group: String = "", help: String) -> OptionSpec {
        OptionSpec(name: name, short: short, kind: .flag, help: help, group: group)
    }

    /// An option with a free-form value (a number, a path, a size).
    public static func value(_ name: String, _ valueName: String, group: String = "", help: String) -> OptionSpec {
        OptionSpec(name: name, kind: .value(valueName), help: help, group: group)
    }

    /// An option whose value is one case of a string enumeration.
    public static func choice<Choice: CaseIterable & RawRepresentable>(
        _ name: String, _ type: Choice.Type, group: String = "", help: String
    ) -> OptionSpec where Choice.RawValue == String {
        OptionSpec(name: name, kind: .value("MODE"), help: help, choices: type.allCases.map(\.rawValue), group: group)
    }

    /// True when the option takes a value.
    public var takesValue: Bool {
        if case .value = kind { return true }
        return false
    }

    /// `--shard N`, `--masks`, `-q, --quiet`: how help shows it.
    public var synopsis: String {
        var text = short.map { "-\($0), " } ?? ""
        text += "--" + name
        if case .value(let valueName) = kind {
            text += " " + (choices.isEmpty ? valueName : "<" + choices.joined(separator: "|") + ">")
        }
        return text
    }
}
