import CocoConvertCore

/// The options that say what a run may do to an existing output, and `--dry-run`.
enum OutputOptions {
    static let group = "Output"
    static let overwrite = OptionSpec.flag("overwrite", group: group,
        help: "The output may exist: files this route writes replace those of the same name, and files of the same kinds this run did not write are removed (other files are kept).")
    static let add = OptionSpec.flag("add", group: group,
        help: "Add to an existing tree (a second split into a VOC tree); files already there with the same content are kept, and a file with other content stops the run (unless --overwrite).")
    static let dryRun = OptionSpec.flag("dry-run", group: group,
        help: "Read and check the whole input, write nothing: print the files and bytes a run would write, the label mapping, the policies and what the route loses.")

    static let all = [overwrite, add, dryRun]

    /// The mode the command line asks for.
    static func mode(_ values: OptionValues) -> OutputMode {
        OutputMode(overwrite: values.flag("overwrite"), add: values.flag("add"))
    }
}
