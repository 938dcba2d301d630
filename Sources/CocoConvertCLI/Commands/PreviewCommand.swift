import ArgumentParser
import CocoConvertCore
import CocoConvertLabels
import CocoConvertPNG
import CocoConvertPictures
import Foundation

/// `cococonvert preview IN OUT.png`: a contact sheet of some samples with their masks, outlines,
/// boxes and class names.
struct Preview: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Draw a contact sheet of samples (any readable format) with their masks, outlines, boxes and class names.",
        discussion: """
            Each tile shows the picture (JPEG or PNG), every instance's owned pixels
            blended in its colour with a solid outline, and its box with the class
            name; the image id and file name are underneath. A tile whose picture is
            missing, truncated, or of another size than the annotation says is
            crossed out in red with the reason; the sheet is still written.

            Examples:
              cococonvert preview instances_val2017.json sheet.png   (first 9 images)
              cococonvert preview voc/ sheet.png --samples 16 --random 7 --kind semantic
              cococonvert preview instances_val2017.json one.png --ids 139 --scale 1

            Exit status: 0 written, 65 written with tiles marked bad (or input
            unreadable), 64 bad command line.
            """)

    @Argument(help: "A dataset: a COCO JSON file, a PNG label directory, a VOC tree, HDF5 shards, TFRecords, YOLO…")
    var input: String
    @Argument(help: "The sheet to write (.png).")
    var output: String

    @Option(name: .customLong("from"), help: "The input's format, when detection is not wanted.")
    var from: String?
    @Option(name: .customLong("images"), help: "Image directory (COCO; default: the COCO convention, annotations/instances_val2017.json → val2017/).")
    var images: String?
    @Option(name: .customLong("samples"), help: "How many samples (default 9): the first ones, or with --random a random choice.")
    var samples = 9
    @Option(name: .customLong("ids"), parsing: .upToNextOption, help: "These image ids, in this order (space- or comma-separated).")
    var ids: [String] = []
    @Option(name: .customLong("random"), help: "Choose --samples samples at random with this seed (the same seed picks the same samples).")
    var random: UInt64?
    @Option(name: .customLong("kind"), help: "Colours: instance (each instance its own colour; default) or semantic (one colour per class, VOC palette).")
    var kind: String = "instance"
    @Option(name: .customLong("scale"), help: "Picture scale (1 = full size); default: fit each picture into a --tile square.")
    var scale: Double?
    @Option(name: .customLong("tile"), help: "Tile size in pixels when --scale is not given (default 256).")
    var tile = 256
    @Option(name: .customLong("columns"), help: "Tiles per row (default: a square grid).")
    var columns: Int?
    @Flag(name: [.customShort("q"), .customLong("quiet")], help: "No summary line (warnings about bad tiles are still printed).")
    var quiet = false
    @Flag(name: .customLong("no-pictures"), help: "Draw the masks on grey instead of the pictures.")
    var noPictures = false

    @OptionGroup(title: "Label painting (as the label-map writers)")
    var paint: PaintArguments

    func validate() throws {
        if samples < 1 || samples > 10_000 { throw ValidationError("--samples must be 1...10000.") }
        if let scale, !(scale > 0 && scale <= 8) { throw ValidationError("--scale must be above 0 and at most 8.") }
        if tile < 16 || tile > 4096 { throw ValidationError("--tile must be 16...4096 pixels.") }
        if let columns, columns < 1 { throw ValidationError("--columns must be 1 or more.") }
        if kind != "instance" && kind != "semantic" { throw ValidationError("--kind must be instance or semantic, not '\(kind)'.") }
        if !ids.isEmpty && random != nil { throw ValidationError("--ids and --random choose samples in different ways; give one.") }
        if parsedIDs == nil { throw ValidationError("--ids takes image ids (integers), e.g. --ids 139 285 or --ids 139,285.") }
        if !output.lowercased().hasSuffix(".png") { throw ValidationError("the sheet is a PNG: name it OUT.png (got '\(output)').") }
    }

    private var parsedIDs: [Int64]? {
        var out: [Int64] = []
        for word in ids.flatMap({ $0.split(separator: ",") }) {
            guard let id = Int64(word.trimmingCharacters(in: .whitespaces)) else { return nil }
            out.append(id)
        }
        return out
    }

    func run() throws {
        let status = execute(console: Console())
        if status != 0 { throw ExitCode(status) }
    }

    func execute(console: Console) -> Int32 {
        let opener = DatasetOpener(registry: CococonvertCommand.registry)
        if InputProbe(path: output).isDirectory {
            console.say("error: '\(output)' is a directory; preview writes one PNG file (e.g. \(output)/sheet.png)")
            return ExitStatus.usage
        }
        do {
            let labelOptions = try paint.labelOptions()
            let plugin = try opener.plugin(for: input, format: from, option: "--from")
            let reader = try opener.open(input, plugin: plugin, images: images, skips: SkipReport(policy: .fail))
            var style = PreviewStyle(paint: try labelOptions.paintOptions(for: reader.header))
            style.kind = kind == "semantic" ? .semantic : .instance
            style.scale = scale
            style.tile = tile
            style.columns = columns
            style.pictures = !noPictures
            let wanted = parsedIDs ?? []
            let selection: SampleSelection = !wanted.isEmpty ? .ids(wanted)
                : random.map { .random(count: samples, seed: $0) } ?? .first(samples)
            let (chosen, missing) = try selection.choose(from: reader)
            if !missing.isEmpty {
                console.say("warning: image id(s) not in \(input): \(missing.map(String.init).joined(separator: ", "))")
            }
            guard !chosen.isEmpty else {
                console.say("error: \(input): no samples to draw" + (missing.isEmpty ? " (the dataset is empty)" : ""))
                return ExitStatus.data
            }
            let (sheet, problems) = ContactSheet.render(chosen, header: reader.header, style: style)
            let png = try sheet.pngBytes()
            try AtomicFile.write(png, to: output)
            for problem in problems { console.say("warning: \(problem)") }
            if !quiet { console.say("wrote \(output): \(chosen.count) tile(s), \(sheet.width)×\(sheet.height)"
                + (problems.isEmpty ? "" : ", \(problems.count) marked bad")) }
            return problems.isEmpty && missing.isEmpty ? ExitStatus.success : ExitStatus.data
        } catch let error as ConversionError {
            console.error(error)
            return error.code == .usage ? ExitStatus.usage : ExitStatus.data
        } catch {
            console.say("error: \(error)")
            return ExitStatus.data
        }
    }
}
