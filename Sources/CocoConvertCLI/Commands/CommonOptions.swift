import CocoConvertCore

/// The options every route takes, whatever its formats: how to run, not what to write.
enum CommonOptions {
    static let group = "Run"
    static let onError = OptionSpec.choice("on-error", ErrorPolicy.self, group: group,
        help: "A bad sample or annotation: fail (stop, exit 65; default) or skip (leave it out, list it in the skip report).")
    static let skipReport = OptionSpec.value("skip-report", "FILE", group: group,
        help: "Where --on-error skip lists what it left out, as JSON lines (default: <output>.skipped.jsonl when anything was skipped).")
    static let jobs = OptionSpec.value("jobs", "N", group: group, help: "Worker threads (default: all cores).")
    static let quiet = OptionSpec.flag("quiet", short: "q", group: group, help: "No summary on stderr, and no progress unless --progress names a mode.")
    static let verbose = OptionSpec.flag("verbose", short: "v", group: group,
        help: "On failure, also print the underlying causes in full (library error stacks).")
    static let maxPixels = OptionSpec.value("max-pixels", "N", group: group,
        help: "Largest image or mask accepted, in pixels (default 268435456 = 16384×16384; about 1 GiB of memory per worker at the limit). Larger ones are item problems.")
    static let help = OptionSpec.flag("help", short: "h", group: group, help: "Show this route's options.")

    static let all = OutputOptions.all + SubsetOptions.all
        + [onError, skipReport, jobs, maxPixels, ProgressMode.option, ReportRequest.option, quiet, verbose]
        + PartitionOptions.all + [help]

    /// More threads than this is a typo, not a machine.
    static let maximumJobs = 1024
}
