import ArgumentParser
import CocoConvertCore
import CocoConvertLabels
import CocoConvertVerify
import CocoConvertPictures
import Foundation

/// `cococonvert verify A B`: what changed between two datasets, pixel by pixel and instance by instance.
struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compare two datasets (any readable formats): what a conversion changed, by pixel and by instance.",
        discussion: """
            Both sides are painted the same way (the label options below, or each
            side's own label values where it has them) and compared image by image:
              pixels     class agreement and confusion (classes matched by name)
              instances  matched by annotation id, else by best overlap within a
                         class: lost, invented, category-changed, mask-changed,
                         with IoU, area drift and box drift
            Instances are compared by their owned pixels: what each keeps after the
            later ones are painted over it (--overlap), all a label map can hold.
            Images are paired by id, else by file stem (--pair). Both sides stream;
            when their orders differ, the smaller side is indexed (the summary says).

            Examples:
              cococonvert verify instances_val2017.json voc/
              cococonvert verify instances_val2017.json labels/ --json > diff.json
              cococonvert verify a.json b.json --overlays diff/ --limit 10

            Exit status: 0 equal (within --tolerance), 1 different, 2 could not
            compare (unreadable or unrecognised input), 64 bad command line.
            """)

    @Argument(help: "Side A (the reference): a COCO JSON, PNG label directory, VOC tree, HDF5 shards, TFRecords, YOLO…")
    var a: String
    @Argument(help: "Side B (usually the conversion of A).")
    var b: String

    @Option(name: .customLong("from-a"), help: "A's format, when detection is not wanted.")
    var fromA: String?
    @Option(name: .customLong("from-b"), help: "B's format, when detection is not wanted.")
    var fromB: String?
    @Option(name: .customLong("images-a"), help: "A's image directory (COCO), for --overlays pictures.")
    var imagesA: String?
    @Option(name: .customLong("images-b"), help: "B's image directory (COCO), for --overlays pictures.")
    var imagesB: String?

    @OptionGroup(title: "Label painting (as the label-map writers)")
    var paint: PaintArguments

    @Option(name: .customLong("pair"), help: "Pair images by id, stem (file name without extension), or auto (id when the first images agree on it; default).")
    var pair: String = "auto"
    @Option(name: .customLong("tolerance"), help: "Share of an image's pixels (0...1) that may change class, and IoU shortfall (1 − IoU) a matched instance may have, before the image counts as different (default 0: exact).")
    var tolerance: Double = 0
    @Flag(name: .customLong("json"), help: "Print one JSON object (every differing image, worst first) instead of the table.")
    var json = false
    @Flag(name: [.customShort("q"), .customLong("quiet")], help: "Print nothing; the exit status says equal (0) or different (1).")
    var quiet = false
    @Option(name: .customLong("rows"), help: "Differing images listed in the table, worst first (default 20).")
    var rows = 20
    @Option(name: .customLong("overlays"), help: "Write one PNG per differing image to DIR: A-only pixels red, B-only blue, agreeing green, class changes yellow, with a legend.")
    var overlays: String?
    @Option(name: .customLong("limit"), help: "With --overlays: only the K worst images.")
    var limit: Int?

    func validate() throws {
        if !(0...1).contains(tolerance) { throw ValidationError("--tolerance must be between 0 and 1 (a share of pixels), not \(tolerance).") }
        if rows < 0 { throw ValidationError("--rows must be 0 or more.") }
        if let limit, limit < 1 { throw ValidationError("--limit must be 1 or more.") }
        if limit != nil && overlays == nil { throw ValidationError("--limit chooses which overlays are drawn; add --overlays DIR.") }
        if PairingKey(rawValue: pair) == nil { throw ValidationError("--pair must be id, stem or auto, not '\(pair)'.") }
    }

    func run() throws {
        let console = Console()
        let status = execute(console: console)
        if status != 0 { throw ExitCode(status) }
    }

    /// Exit statuses of verify.
    enum Status {
        static let equal: Int32 = 0
        static let different: Int32 = 1
        static let couldNotCompare: Int32 = 2
    }

    func execute(console: Console) -> Int32 {
        let opener = DatasetOpener(registry: CococonvertCommand.registry)
        let labelOptions: LabelOptions
        let pluginA: FormatPlugin, pluginB: FormatPlugin
        do {
            labelOptions = try paint.labelOptions()
            pluginA = try opener.plugin(for: a, format: fromA, option: "--from-a")
            pluginB = try opener.plugin(for: b, format: fromB, option: "--from-b")
        } catch let error as ConversionError {
            console.error(error)
            return error.code == .usage ? ExitStatus.usage : Status.couldNotCompare
        } catch {
            console.say("error: \(error)")
            return ExitStatus.usage
        }
        if let overlays {
            let probe = InputProbe(path: overlays)
            if probe.exists && !probe.isDirectory {
                console.say("error: --overlays '\(overlays)' is a file; give a directory (it is created if missing)")
                return ExitStatus.usage
            }
        }
        do {
            let skips = SkipReport(policy: .fail)
            let readerA = try opener.open(a, plugin: pluginA, images: imagesA, skips: skips)
            let readerB = try opener.open(b, plugin: pluginB, images: imagesB, skips: skips)
            let sideA = VerifySide(reader: readerA, paint: try labelOptions.paintOptions(for: readerA.header),
                                   label: "\(a) (\(pluginA.name))")
            let sideB = VerifySide(reader: readerB, paint: try labelOptions.paintOptions(for: readerB.header),
                                   label: "\(b) (\(pluginB.name))")
            let verifier = Verifier(a: sideA, b: sideB, tolerance: tolerance, pairing: PairingKey(rawValue: pair) ?? .auto)
            var drawer = try overlays.map { try OverlayQueue(directory: $0, limit: limit) }
            let summary = try verifier.run { report, imageA, imageB in
                if report.differs(tolerance: tolerance) { try drawer?.offer(report, imageA, imageB) }
            }
            let written = try drawer?.finish() ?? 0
            if !quiet { console.out(json ? summary.json : summary.table(rows: rows)) }
            if let overlays, !json, !quiet {
                console.out("overlays: \(written) PNG(s) in \(overlays)")
            }
            return summary.isEqual ? Status.equal : Status.different
        } catch let error as ConversionError {
            console.error(error)
            return error.code == .usage ? ExitStatus.usage : Status.couldNotCompare
        } catch {
            console.say("error: \(error)")
            return Status.couldNotCompare
        }
    }
}
