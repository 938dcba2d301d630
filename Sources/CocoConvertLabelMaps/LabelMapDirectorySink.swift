import CocoConvertCore
import Foundation

/// The committing half of ``LabelMapDirectoryWriter``: writes `<stem>.png` under a temporary name
/// and renames it, appends the sample's `labels.json` (and `panoptic.json`) records, in sample
/// order; ``finish()`` completes and renames those files.
///
/// Owned by the committing thread. Its open files are removed if it is released unfinished.
public final class LabelMapDirectorySink: SampleSink {
    /// The output directory.
    let directory: String
    /// The dataset's categories, for `panoptic.json`.
    let categories: [Category]
    private let labels: OutputFile
    /// `panoptic.json` (images first) and its scratch `annotations` member (panoptic output only).
    private let panoptic: (images: OutputFile, annotations: OutputFile)?
    private var names = OutputNames()
    private var summary = WriteSummary()
    private var sixteenBitCount = 0
    /// Set when writing one partition: the index files are parts, described in the summary.
    private let partition: PartitionContext?
    /// Where the `labels.json` header ends (the first record starts).
    private let labelsHeaderEnd: Int64

    init(directory: String, categories: [Category], labels: OutputFile, panoptic: (images: OutputFile, annotations: OutputFile)?,
         partition: PartitionContext? = nil, notes: [String] = []) {
        summary.notes = notes
        self.partition = partition
        labelsHeaderEnd = labels.bytesWritten
        self.directory = directory
        self.categories = categories
        self.labels = labels
        self.panoptic = panoptic
    }

    public func commit(_ rendered: LabelMapDirectoryWriter.Rendered) throws {
        try names.claim(rendered.file, imageID: rendered.imageID)
        let path = (directory as NSString).appendingPathComponent(rendered.file)
        try AtomicFile.write(rendered.png, to: path)
        try labels.write((summary.samples == 0 ? "\n  " : ",\n  ") + rendered.record)
        if let panopticRecord = rendered.panopticRecord, let panoptic {
            let separator = summary.samples == 0 ? "\n  " : ",\n  "
            try panoptic.images.write(separator + rendered.imageRecordJSON)
            try panoptic.annotations.write(separator + panopticRecord)
        }
        summary.samples += 1
        summary.instances += rendered.instances
        summary.files += 1
        summary.bytes += Int64(rendered.png.count)
        if rendered.sixteenBit { sixteenBitCount += 1 }
    }

    public func finish() throws -> WriteSummary {
        var labelsPart = IndexFilePart.Builder(path: partition?.relativePath(of: labels.destination) ?? "")
        labelsPart.fixed(until: labelsHeaderEnd)
        labelsPart.list(until: labels.bytesWritten, lead: "\n  ", separator: ",\n  ")
        try labels.write(LabelsFile.footerText)
        labelsPart.fixed(until: labels.bytesWritten)
        try labels.commit()
        if partition != nil { summary.indexParts.insert(labelsPart.part, at: 0) }
        summary.files += 1
        summary.bytes += labels.bytesWritten
        if let panoptic {
            let (images, annotations) = panoptic
            var panopticPart = IndexFilePart.Builder(path: partition?.relativePath(of: images.destination) ?? "")
            panopticPart.fixed(until: Int64("{\"images\": [".utf8.count))
            panopticPart.list(until: images.bytesWritten, lead: "\n  ", separator: ",\n  ")
            try images.write("\n ],\n \"annotations\": [")
            panopticPart.fixed(until: images.bytesWritten)
            // The scratch annotations, then categories; the scratch file goes when `annotations` does.
            try images.append(contentsOf: annotations)
            annotations.discard()
            panopticPart.list(until: images.bytesWritten, lead: "\n  ", separator: ",\n  ")
            let categoryList = categories.map(LabelsFile.categoryJSON).joined(separator: ",\n  ")
            try images.write("\n ],\n \"categories\": [\n  " + categoryList + "\n ]}\n")
            panopticPart.fixed(until: images.bytesWritten)
            if partition != nil { summary.indexParts.append(panopticPart.part) }
            try images.commit()
            summary.files += 1
            summary.bytes += images.bytesWritten
        }
        if sixteenBitCount > 0 {
            summary.notes.append("\(sixteenBitCount) label maps needed values above 255 and were written as 16-bit gray PNGs")
        }
        return summary
    }
}
