/// What a run may do to an output that already holds files.
///
/// A run never mixes its files silently into an existing output: ``fresh`` (the default) refuses a
/// non-empty output directory or an existing output file before anything is read; the user chooses
/// ``overwrite`` or ``add`` on the command line (`--overwrite`, `--add`, both: add replacing). New
/// modes (resuming an interrupted run) are new cases here.
public enum OutputMode: Sendable, Hashable {
    /// The output must not exist yet, or be an empty directory.
    case fresh
    /// Files this route writes replace those of the same name; afterwards, files of the kinds the
    /// writer produces that this run did not write (stale ones) are removed. Other files are kept.
    case overwrite
    /// Files are added to an existing tree (a second split into a VOC tree); nothing is removed.
    /// A file that already exists with the same bytes is kept; one with other content stops the
    /// run, unless `replacing` (then it is replaced).
    case add(replacing: Bool)

    /// The mode the options `--overwrite` and `--add` ask for.
    public init(overwrite: Bool, add: Bool) {
        switch (overwrite, add) {
        case (false, false): self = .fresh
        case (true, false): self = .overwrite
        case (_, true): self = .add(replacing: overwrite)
        }
    }

    /// Whether files of the same name may be replaced.
    public var replaces: Bool {
        switch self {
        case .fresh, .overwrite: return true
        case .add(let replacing): return replacing
        }
    }

    /// Whether stale files of the writer's kinds are removed after a complete run.
    public var removesStale: Bool { self == .overwrite }

    /// How the mode is spelled on the command line.
    public var flags: String {
        switch self {
        case .fresh: return ""
        case .overwrite: return "--overwrite"
        case .add(let replacing): return replacing ? "--add --overwrite" : "--add"
        }
    }
}
