import CocoConvertCore
import Foundation

/// Reads the toy format back, one file per sample, in file-name order.
final class ToyReader: DatasetReader {
    let header: DatasetHeader
    private let directory: String
    private var files: [String]
    private let skips: SkipReport?

    /// A file whose first line is `skip` is reported to `skips` (as a reader reports a bad item) and left out.
    init(directory: String, strict: Bool, counted: Bool = true, skips: SkipReport? = nil) throws {
        self.directory = directory
        self.skips = skips
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
            throw ConversionError(.io, "cannot list the directory", context: ErrorContext(file: directory))
        }
        files = names.filter { $0.hasSuffix(".toy") }.sorted().reversed()
        var categories: [Category] = []
        let categoriesPath = directory + "/categories.txt"
        if let text = try? String(contentsOfFile: categoriesPath, encoding: .utf8) {
            for line in text.split(separator: "\n") where !line.hasPrefix("#") {
                let fields = line.split(separator: " ", maxSplits: 1)
                guard fields.count == 2, let id = Int64(fields[0]) else {
                    throw ConversionError(.malformedInput, "bad category line '\(line)'", context: ErrorContext(file: categoriesPath))
                }
                categories.append(Category(id: id, name: ToyFormat.unescape(fields[1])))
            }
        } else if strict {
            throw ConversionError(.missingFile, "no categories.txt", context: ErrorContext(file: directory))
        }
        header = DatasetHeader(kind: .instances, categories: categories, sampleCount: counted ? files.count : nil)
    }

    func next() throws -> Sample? {
        guard let name = files.popLast() else { return nil }
        let path = directory + "/" + name
        let text = try String(contentsOfFile: path, encoding: .utf8)
        if text.hasPrefix("skip"), let skips {
            try skips.report(ConversionError(.malformedInput, "marked to be skipped", context: ErrorContext(file: path)))
            return try next()
        }
        var sample: Sample?
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ")
            let bad = ConversionError(.malformedInput, "bad line '\(line)'", context: ErrorContext(file: path))
            if fields.first == "image" {
                guard fields.count == 5, let id = Int64(fields[1]), let width = Int(fields[2]), let height = Int(fields[3]) else { throw bad }
                sample = Sample(id: id, fileName: ToyFormat.unescape(fields[4]), width: width, height: height)
            } else if fields.first == "object", sample != nil {
                guard fields.count == 5, let id = Int64(fields[1]), let category = Int64(fields[2]), let current = sample else { throw bad }
                let counts = fields[4] == "-" ? "" : String(fields[4])
                let mask = CompressedRLE(height: current.height, width: current.width, counts: counts)
                sample?.instances.append(Instance(id: id < 0 ? nil : id, categoryID: category, isCrowd: fields[3] == "1",
                                                  geometry: .compressedRLE(mask)))
            } else {
                throw bad
            }
        }
        guard let sample else { throw ConversionError(.malformedInput, "no image line", context: ErrorContext(file: path)) }
        return sample
    }
}
