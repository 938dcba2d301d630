/// Everything the command line knows about one format, declared by the format's own module.
///
/// A format module exposes one `static let plugin: FormatPlugin`; the executable lists the plugins
/// in its registry. Nothing outside the module names the format: routes, `--help`, option
/// checking, input detection and `inspect` all come from this value. See formats/ADDING.md.
public struct FormatPlugin: Sendable {
    /// The name used in routes (`voc` in `coco2voc`): lower case letters and digits.
    public var name: String
    /// Other names accepted in routes (`pascal-voc`).
    public var aliases: [String]
    /// One line for `cococonvert formats`.
    public var summary: String
    /// How to read the format, if it can be read.
    public var reader: ReaderPlugin?
    /// How to write the format, if it can be written.
    public var writer: WriterPlugin?
    /// A format-specific `inspect` (nil: the generic one, which reads every sample through ``reader``).
    public var inspector: Inspector?

    public init(name: String, aliases: [String] = [], summary: String, reader: ReaderPlugin? = nil,
                writer: WriterPlugin? = nil, inspector: Inspector? = nil) {
        self.name = name
        self.aliases = aliases
        self.summary = summary
        self.reader = reader
        self.writer = writer
        self.inspector = inspector
    }

    /// The name and the aliases.
    public var names: [String] { [name] + aliases }
}

/// The reading half of a plugin.
public struct ReaderPlugin: Sendable {
    /// Opens an input once the options are known; called after every usage check has passed.
    public typealias Open = (_ input: String, _ skips: SkipReport) throws -> any DatasetReader

    /// What the reader accepts, for `cococonvert formats` and `--help`.
    public var accepts: String
    /// Options that only this reader uses (the pipeline's common options are not listed here).
    public var options: [OptionSpec]
    /// Whether an input is this format, from a cheap look (no full parse).
    public var detect: @Sendable (InputProbe) -> Detection?
    /// Validates the options (throwing ``ConversionError/Code/usage``) before any input is read,
    /// and returns how to open an input.
    public var configure: @Sendable (OptionValues) throws -> Open
    /// For readers that hand files to a C library that may crash on damaged input: performs, in
    /// this process, every library read the reader would perform on one file `path` (the file
    /// the reader passes to ``IsolatedCheck/verify(format:path:)``). The command line runs it in a
    /// child process (a hidden subcommand) before the reader opens the file; it returns normally
    /// or throws a `ConversionError` the reader would throw too. nil: the reader needs no isolation.
    public var isolatedCheck: (@Sendable (_ path: String) throws -> Void)?
    /// The reader's loss table: what the files may hold that this reader does not bring into the
    /// model, for an input with this header (a DeepLab TFRecord's header says its maps are
    /// semantic). Printed by `--dry-run` and in the summary. Empty: nothing is left behind.
    public var losses: @Sendable (DatasetHeader) -> [Loss] = { _ in [] }

    public init(accepts: String, options: [OptionSpec] = [], detect: @escaping @Sendable (InputProbe) -> Detection?,
                configure: @escaping @Sendable (OptionValues) throws -> Open,
                isolatedCheck: (@Sendable (_ path: String) throws -> Void)? = nil) {
        self.accepts = accepts
        self.options = options
        self.detect = detect
        self.configure = configure
        self.isolatedCheck = isolatedCheck
    }

    /// This reader with a loss table.
    public func losing(_ losses: @escaping @Sendable (DatasetHeader) -> [Loss]) -> ReaderPlugin {
        var copy = self
        copy.losses = losses
        return copy
    }
}

extension ReaderPlugin {
    /// A reader whose only option is `--split` (the split to read where a layout holds several).
    public static func splitSelecting(
        accepts: String, detect: @escaping @Sendable (InputProbe) -> Detection?,
        isolatedCheck: (@Sendable (_ path: String) throws -> Void)? = nil,
        open: @escaping @Sendable (_ input: String, _ split: String?, _ skips: SkipReport) throws -> any DatasetReader
    ) -> ReaderPlugin {
        ReaderPlugin(accepts: accepts, options: [SharedOptions.split], detect: detect, configure: { values in
            let split = values.string("split")
            return { input, skips in try open(input, split, skips) }
        }, isolatedCheck: isolatedCheck)
    }
}

/// The writing half of a plugin.
public struct WriterPlugin: Sendable {
    /// Creates the writer for an output path; called after every usage check has passed.
    public typealias Create = (_ output: String, _ skips: SkipReport) throws -> any DatasetWriter

    /// Whether the output is one file or a directory the writer fills.
    public enum Output: Sendable, Equatable {
        /// One file (`out.json`); the example name appears in messages.
        case file(example: String)
        /// A directory, created if missing.
        case directory
    }

    /// What the writer produces, for `cococonvert formats` and `--help`.
    public var produces: String
    public var output: Output
    /// Options that only this writer uses.
    public var options: [OptionSpec]
    /// The top-level paths a run creates for an output path: the output itself, and anything
    /// beside it (COCO panoptic writes a PNG directory next to its JSON). Interrupt and failure
    /// cleanup remove those that did not exist before the run.
    public var createdPaths: @Sendable (_ output: String) -> [String]
    /// Validates the options before any input is read and returns how to create the writer.
    public var configure: @Sendable (OptionValues) throws -> Create
    /// The number of consecutive samples partition blocks are aligned to, for a dataset of
    /// `totalSamples` (`--partitions`): 1 by default, the shard size for sharded writers, so that
    /// every shard is written by one partition. Throws (.usage) when the options cannot be split.
    /// nil: the writer does not support partitions yet (`--partitions` and `--resume` are refused).
    public var partitionUnit: (@Sendable (_ values: OptionValues, _ totalSamples: Int) throws -> Int)?
    /// The files this writer produces, as patterns relative to each directory it writes in (the
    /// output directory, or the directories among ``createdPaths`` for a file output):
    /// `*` matches within one path component, `**/` any number of directories
    /// (`SegmentationClass/*.png`, `**/*.tfrecord`). `--overwrite` removes files matching these
    /// that the run did not write; files of other kinds are never touched. A file output itself is
    /// always owned.
    public var ownedFiles: [String] = []
    /// The writer's loss table for these options: what the format cannot carry. Checked against
    /// the input's ``InputFacts``; printed by `--dry-run` and as summary notes.
    public var losses: @Sendable (OptionValues) -> [Loss] = { _ in [] }
    /// For `--dry-run`: what a run would write, estimated from the header and the input's facts
    /// without rendering anything (nil: the preview gives counts only).
    public var preview: (@Sendable (OptionValues, DatasetHeader, InputFacts) throws -> OutputPreview)?

    public init(produces: String, output: Output, options: [OptionSpec] = [],
                createdPaths: @escaping @Sendable (String) -> [String] = { [$0] },
                partitionUnit: (@Sendable (OptionValues, Int) throws -> Int)? = nil,
                configure: @escaping @Sendable (OptionValues) throws -> Create) {
        self.produces = produces
        self.output = output
        self.options = options
        self.createdPaths = createdPaths
        self.partitionUnit = partitionUnit
        self.configure = configure
    }

    /// This writer with its owned-file patterns, loss table and dry-run preview.
    public func describing(owns ownedFiles: [String], losses: @escaping @Sendable (OptionValues) -> [Loss],
                           preview: (@Sendable (OptionValues, DatasetHeader, InputFacts) throws -> OutputPreview)? = nil) -> WriterPlugin {
        var copy = self
        copy.ownedFiles = ownedFiles
        copy.losses = losses
        copy.preview = preview
        return copy
    }
}

/// What `--dry-run` says a writer would produce.
public struct OutputPreview: Sendable {
    /// Files the run would write.
    public var files: Int
    /// A rough size of everything written (label maps compress differently image by image).
    public var bytes: Int64
    /// Label mapping, policies and layout, one line each ("values: person → 1 … toothbrush → 80").
    public var lines: [String]

    public init(files: Int, bytes: Int64, lines: [String] = []) {
        self.files = files
        self.bytes = bytes
        self.lines = lines
    }
}

extension WriterPlugin {
    /// ``partitionUnit`` of a writer without shards: partitions are blocks of samples.
    public static let onePerSample: @Sendable (OptionValues, Int) throws -> Int = { _, _ in 1 }
}

/// What `inspect` was asked for.
public struct InspectRequest: Sendable {
    public var path: String
    /// Parse and check every record, not only the index.
    public var deep = false
    /// Where the images are, when the format refers to image files.
    public var images: String?
    /// How many problems to list (all are counted).
    public var problemLimit = 20

    public init(path: String) {
        self.path = path
    }
}

/// A format's own `inspect`.
public typealias Inspector = @Sendable (InspectRequest) throws -> Inspection

/// What `inspect` prints: a table for people, JSON for machines, and how many problems were found
/// (any makes `inspect` exit 65).
public struct Inspection: Sendable {
    public var table: String
    /// One JSON object (pretty-printed).
    public var json: String
    public var problemCount = 0

    public init(table: String, json: String) {
        self.table = table
        self.json = json
    }
}
