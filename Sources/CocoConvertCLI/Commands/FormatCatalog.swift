import CocoConvertCore

/// The formats and their options as JSON (`cococonvert formats --json`), and what an input looks
/// like (`formats --detect PATH --json`): what wrappers such as the Python API read instead of
/// keeping their own copy of every route's options.
enum FormatCatalog {
    /// `{"version":…, "common_options":[…], "formats":[{"name", "aliases", "summary", "reads",
    /// "writes", "reader_options":[…], "writer_options":[…]}]}`; a route takes the common options,
    /// its reader's and its writer's.
    static func json(_ registry: FormatRegistry) -> String {
        let formats: [JSONValue] = registry.plugins.map { plugin in
            .object([
                ("name", .string(plugin.name)),
                ("aliases", .array(plugin.aliases.map(JSONValue.string))),
                ("summary", .string(plugin.summary)),
                ("reads", .bool(plugin.reader != nil)),
                ("writes", .bool(plugin.writer != nil)),
                ("reader_options", .array((plugin.reader?.options ?? []).map(option))),
                ("writer_options", .array((plugin.writer?.options ?? []).map(option))),
            ])
        }
        return JSONValue.object([
            ("version", .string(cococonvertVersion)),
            ("common_options", .array(CommonOptions.all.map(option))),
            ("formats", .array(formats)),
        ]).text(pretty: true)
    }

    /// One option: `{"name":"shard","takes_value":true,"value_name":"N","choices":[],"help":…}`.
    static func option(_ spec: OptionSpec) -> JSONValue {
        var valueName: JSONValue = .null
        if case .value(let name) = spec.kind { valueName = .string(name) }
        return .object([
            ("name", .string(spec.name)),
            ("takes_value", .bool(spec.takesValue)),
            ("value_name", valueName),
            ("choices", .array(spec.choices.map(JSONValue.string))),
            ("help", .string(spec.help)),
        ])
    }

    /// The formats `path` looks like, most likely first: `[{"name","confidence","description"}]`.
    static func detectionJSON(_ path: String, registry: FormatRegistry) -> String {
        let found = registry.detect(InputProbe(path: path)).map { entry -> JSONValue in
            .object([
                ("name", .string(entry.plugin.name)),
                ("confidence", .int(Int64(entry.detection.confidence))),
                ("description", .string(entry.detection.description)),
            ])
        }
        return JSONValue.array(found).text(pretty: true)
    }
}
