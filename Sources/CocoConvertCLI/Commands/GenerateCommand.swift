import CocoConvertCore
import Foundation

/// `cococonvert __generate man|bash|zsh|fish`: the man page or a completion script on stdout, made
/// from the registry and the help texts. Hidden (not in `--help`); `./dev install` calls it.
enum GenerateCommand {
    static let word = "__generate"

    static func run(_ arguments: [String], registry: FormatRegistry, console: Console) -> Int32 {
        let model = CommandLineModel(registry: registry)
        guard arguments.count == 1, let what = arguments.first else {
            console.say("error: \(word) takes one of: man, \(Completions.shells.joined(separator: ", "))")
            return ExitStatus.usage
        }
        if what == "man" {
            console.out(String(ManPage.text(model: model, registry: registry).dropLast()))
            return ExitStatus.success
        }
        guard let script = Completions.script(for: what, model: model) else {
            console.say("error: \(word) does not know '\(what)'; one of: man, \(Completions.shells.joined(separator: ", "))")
            return ExitStatus.usage
        }
        console.out(String(script.dropLast()))
        return ExitStatus.success
    }
}
