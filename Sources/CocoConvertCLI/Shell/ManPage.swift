import CocoConvertCore

/// `cococonvert(1)` in man(7) roff, generated from the same texts `--help` prints: the root command's
/// overview and examples, the routes, the options every route takes, and each format's reading and
/// writing options.
enum ManPage {
    static func text(model: CommandLineModel, registry: FormatRegistry) -> String {
        var out: [String] = []
        let config = CococonvertCommand.configuration
        out.append(".TH COCOCONVERT 1 \"\" \"cococonvert \(cococonvertVersion)\" \"User Commands\"")
        out.append(".SH NAME")
        out.append("cococonvert \\- " + escape(config.abstract))
        out.append(".SH SYNOPSIS")
        out.append(".B cococonvert")
        out.append("\\fIfrom\\fR\\fB2\\fR\\fIto\\fR \\fIinput\\fR... \\fIoutput\\fR [\\fIoptions\\fR]")
        out.append(".br")
        out.append(".B cococonvert convert")
        out.append("\\fB\\-\\-from\\fR \\fIformat\\fR \\fB\\-\\-to\\fR \\fIformat\\fR \\fIinput\\fR... \\fIoutput\\fR [\\fIoptions\\fR]")
        out.append(".br")
        out.append(".B cococonvert inspect")
        out.append("\\fIinput\\fR [\\fB\\-\\-deep\\fR] [\\fB\\-\\-json\\fR]")
        out.append(".br")
        out.append(".B cococonvert formats")
        out.append(".SH DESCRIPTION")
        out += paragraphs(config.discussion)
        out.append(".PP")
        out.append("Several inputs of the source format are read as one dataset: every path but the last is an")
        out.append("input, merged by image id (sizes must agree, category ids must mean the same in every input,")
        out.append("annotation ids are kept). COCO-Stuff training maps from things and stuff in one command:")
        out.append(".PP")
        out.append(".RS")
        out.append(".nf")
        out.append("cococonvert coco2png instances_train2017.json stuff_train2017.json labels/ \\-\\-labels cocostuff182")
        out.append(".fi")
        out.append(".RE")
        out.append(".SH COMMANDS")
        out.append(".TP")
        out.append(".B convert")
        out.append("A route written out: \\fBconvert \\-\\-from\\fR \\fIformat\\fR \\fB\\-\\-to\\fR \\fIformat\\fR (same options as the route).")
        for command in CommandLineModel.subcommands {
            out.append(".TP")
            out.append(".B " + escape(command.name))
            out.append(escape(command.abstract) + " See \\fBcococonvert " + escape(command.name) + " \\-\\-help\\fR.")
        }
        out.append(".SH FORMATS")
        for plugin in registry.plugins {
            out.append(".TP")
            out.append(".B \(escape(plugin.name))")
            out.append(escape(plugin.summary))
        }
        out.append(".PP")
        out.append("Routes: " + escape(model.routes.map(\.name).joined(separator: ", ")) + ".")
        out.append(".SH OPTIONS (EVERY ROUTE)")
        for spec in CommonOptions.all { out += option(spec) }
        var shared: [String: [OptionSpec]] = [:]
        var sharedOrder: [String] = []
        for plugin in registry.plugins {
            for (title, specs) in [("READING \(plugin.name.uppercased())", plugin.reader?.options ?? []),
                                   ("WRITING \(plugin.name.uppercased())", plugin.writer?.options ?? [])] where !specs.isEmpty {
                let own = specs.filter { $0.group.isEmpty }
                for spec in specs where !spec.group.isEmpty {
                    if shared[spec.group] == nil { sharedOrder.append(spec.group); shared[spec.group] = [] }
                    if !(shared[spec.group] ?? []).contains(where: { $0.name == spec.name }) { shared[spec.group]?.append(spec) }
                }
                guard !own.isEmpty else { continue }
                out.append(".SH OPTIONS \(title)")
                for spec in own { out += option(spec) }
            }
        }
        for group in sharedOrder {
            out.append(".SH OPTIONS: \(escape(group.uppercased()))")
            out.append("Routes whose formats take them: see \\fBcococonvert\\fR \\fIroute\\fR \\fB\\-\\-help\\fR.")
            for spec in shared[group] ?? [] { out += option(spec) }
        }
        out.append(".SH INSPECT OPTIONS")
        for spec in model.inspectOptions { out += option(spec) }
        out.append(".SH EXIT STATUS")
        for (code, meaning) in [("0", "success"), ("1", "the output could not be written (permissions, disk full), or another run holds the output"),
                                ("64", "the command line is wrong (nothing was read)"), ("65", "the input data is wrong"),
                                ("130, 143", "interrupted (SIGINT, SIGTERM); what the run had not finished was removed")] {
            out.append(".TP")
            out.append(".B \(code)")
            out.append(escape(meaning))
        }
        out.append(".SH SEE ALSO")
        out.append("\\fBcococonvert\\fR \\fIroute\\fR \\fB\\-\\-help\\fR lists exactly the options of one route;")
        out.append("\\fBcococonvert formats\\fR what each format reads and writes.")
        return out.joined(separator: "\n") + "\n"
    }

    /// One `.TP` entry: the synopsis in bold, the help as its paragraph.
    private static func option(_ spec: OptionSpec) -> [String] {
        [".TP", ".B " + escape(spec.synopsis), escape(spec.help)]
    }

    /// Blank-line separated paragraphs; indented lines (examples) kept as they are.
    private static func paragraphs(_ text: String) -> [String] {
        var out: [String] = []
        var inExample = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.trimmingCharacters(in: .whitespaces).isEmpty {
                if inExample { out += [".fi", ".RE"]; inExample = false }
                out.append(".PP")
            } else if line.hasPrefix("  ") {
                if !inExample { out += [".RS", ".nf"]; inExample = true }
                out.append(escape(line.trimmingCharacters(in: .whitespaces)))
            } else {
                if inExample { out += [".fi", ".RE"]; inExample = false }
                out.append(escape(String(line)))
            }
        }
        if inExample { out += [".fi", ".RE"] }
        return out
    }

    /// Text safe in roff: backslashes as `\e`, hyphens as `\-`, other than ASCII as `\[uXXXX]` (groff
    /// reads bytes, not UTF-8), a leading `.` or `'` protected.
    static func escape(_ text: String) -> String {
        var s = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": s += "\\e"
            case "-": s += "\\-"
            case _ where scalar.value > 0x7e:
                let hex = String(scalar.value, radix: 16, uppercase: true)
                s += "\\[u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex + "]"
            default: s.unicodeScalars.append(scalar)
            }
        }
        if s.hasPrefix(".") || s.hasPrefix("'") { s = "\\&" + s }
        return s
    }
}
