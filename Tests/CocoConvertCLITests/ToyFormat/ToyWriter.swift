import CocoConvertCore
import Foundation

/// Writes the toy format through the project's plumbing: safe names, atomic files, skips.
struct ToyWriter: DatasetWriter {
    let directory: String
    let note: String?
    let skips: SkipReport

    func begin(_ header: DatasetHeader) throws -> (renderer: ToyRenderer, sink: ToySink) {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var categories = note.map { "# \($0)\n" } ?? ""
        for category in header.categories { categories += "\(category.id) \(ToyFormat.escape(category.name))\n" }
        return (ToyRenderer(), ToySink(directory: directory, categories: categories, skips: skips))
    }
}

/// Turns a sample into its file's text; any thread.
struct ToyRenderer: SampleRenderer {
    struct Rendered: Sendable {
        let id: Int64
        let name: String
        let text: String
        let instances: Int
    }

    func render(_ sample: Sample) throws -> Rendered {
        let stem = try SafePath.component(sample.stem.isEmpty ? String(sample.id) : sample.stem,
                                          context: ErrorContext(imageID: sample.id))
        var text = "image \(sample.id) \(sample.width) \(sample.height) \(ToyFormat.escape(sample.fileName))\n"
        for instance in sample.instances {
            let rle = try instance.geometry.rle(height: sample.height, width: sample.width)
            var counts: [UInt8] = []
            rle.appendCompressed(to: &counts)
            text += "object \(instance.id ?? -1) \(instance.categoryID) \(instance.isCrowd ? 1 : 0) "
                + (counts.isEmpty ? "-" : String(decoding: counts, as: UTF8.self)) + "\n"
        }
        return Rendered(id: sample.id, name: stem + ".toy", text: text, instances: sample.instances.count)
    }
}

/// Writes files in sample order; one thread.
final class ToySink: SampleSink {
    let directory: String
    let categories: String
    let skips: SkipReport
    private var names: Set<String> = []
    private var summary = WriteSummary()

    init(directory: String, categories: String, skips: SkipReport) {
        self.directory = directory
        self.categories = categories
        self.skips = skips
    }

    func commit(_ rendered: ToyRenderer.Rendered) throws {
        guard names.insert(rendered.name).inserted else {
            try skips.report(ConversionError(.duplicateID, "another sample was already written as \(rendered.name)",
                                             context: ErrorContext(imageID: rendered.id)))
            return
        }
        let bytes = Array(rendered.text.utf8)
        try AtomicFile.write(bytes, to: directory + "/" + rendered.name)
        summary.samples += 1
        summary.instances += rendered.instances
        summary.files += 1
        summary.bytes += Int64(bytes.count)
    }

    func finish() throws -> WriteSummary {
        try AtomicFile.write(Array(categories.utf8), to: directory + "/categories.txt")
        summary.files += 1
        return summary
    }
}
