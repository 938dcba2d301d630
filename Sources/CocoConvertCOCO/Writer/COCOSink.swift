import CocoConvertCore
import Foundation

/// The committing half of ``COCOWriter``: appends image records to the output and annotation
/// records to the scratch file, giving new ids in sample order; ``finish()`` appends the
/// annotations, `categories` and the other top-level members, and renames the file into place.
///
/// Owned by the committing thread. Released unfinished (after a failure), its temporary output
/// and scratch files are removed.
public final class COCOSink: SampleSink {
    let form: COCOWriter.Form
    let renumber: Bool
    let header: DatasetHeader
    /// Where panoptic segment PNGs go (panoptic form only).
    let panopticDirectory: String?

    private var output: OutputFile?
    /// Annotation records, appended to `output` by ``finish()`` (nil in the results form).
    private let annotationsScratch: OutputFile?
    private var imagesWritten = 0
    private var annotationsWritten = 0
    private var highestID: Int64 = 0
    private var summary = WriteSummary()
    /// Set when writing one partition: the JSON is a part, described in the summary.
    private let partition: PartitionContext?
    /// Where the first image (or result) record starts.
    private let itemsStart: Int64

    init(form: COCOWriter.Form, renumber: Bool, header: DatasetHeader, panopticDirectory: String?,
         output: OutputFile, annotationsScratch: OutputFile?, notes: [String] = []) {
        summary.notes = notes
        partition = header.partition
        itemsStart = output.bytesWritten
        self.form = form
        self.renumber = renumber
        self.header = header
        self.panopticDirectory = panopticDirectory
        self.output = output
        self.annotationsScratch = annotationsScratch
    }

    public func commit(_ rendered: COCOWriter.Rendered) throws {
        guard let output else { preconditionFailure("COCOSink.commit after finish") }
        summary.samples += 1
        summary.instances += rendered.instanceCount
        if form != .results {
            if imagesWritten > 0 { try output.write([ASCII.comma]) }
            try output.write(rendered.image)
            imagesWritten += 1
        }
        let sink = annotationsScratch ?? output
        if rendered.complete {
            guard rendered.instanceCount > 0 else { return }
            if annotationsWritten > 0 { try sink.write([ASCII.comma]) }
            try sink.write(rendered.annotations)
            annotationsWritten += rendered.instanceCount
            highestID = max(highestID, rendered.highestID)
            return
        }
        var start = 0
        var piece: [UInt8] = []
        piece.reserveCapacity(rendered.annotations.count + rendered.annotationEnds.count * 24)
        for (k, end) in rendered.annotationEnds.enumerated() {
            if annotationsWritten > 0 { piece.append(ASCII.comma) }
            piece.append(contentsOf: rendered.annotations[start..<end])
            start = end
            annotationsWritten += 1
            if form == .panoptic {
                piece.append(ASCII.closeBrace)
                continue
            }
            let id: Int64?
            if let own = rendered.annotationIDs[k] {
                id = own
            } else if form == .results && !renumber {
                id = nil
            } else if partition != nil {
                throw ConversionError(.usage, "an annotation has no id, and one partition cannot know the highest id of the partitions before it to give it one",
                                      hint: "convert without --partitions, or give every annotation an id in the source")
            } else {
                id = renumber ? Int64(annotationsWritten) : highestID &+ 1
            }
            if let id {
                highestID = max(highestID, id)
                piece.appendText(",\"id\":")
                piece.appendInteger(id)
            }
            piece.append(ASCII.closeBrace)
        }
        try sink.write(piece)
        if let png = rendered.png, let directory = panopticDirectory {
            try AtomicFile.write(png.bytes, to: directory + "/" + png.name)
            summary.files += 1
            summary.bytes += Int64(png.bytes.count)
        }
    }

    public func finish() throws -> WriteSummary {
        guard let output else { preconditionFailure("COCOSink.finish called twice") }
        var part = IndexFilePart.Builder(path: partition?.relativePath(of: output.destination) ?? "")
        part.fixed(until: itemsStart)
        part.list(until: output.bytesWritten, separator: ",")
        if form == .results {
            try output.write("]\n")
        } else {
            try output.write("],\"annotations\":[")
            part.fixed(until: output.bytesWritten)
            if let scratch = annotationsScratch {
                try output.append(contentsOf: scratch)
                scratch.discard()
            }
            part.list(until: output.bytesWritten, separator: ",")
            var tail: [UInt8] = []
            tail.appendText("],\"categories\":[")
            for (k, category) in header.categories.enumerated() {
                if k > 0 { tail.append(ASCII.comma) }
                tail.appendText("{\"id\":")
                tail.appendInteger(category.id)
                tail.appendText(",\"name\":")
                tail.appendString(category.name)
                if let supercategory = category.supercategory {
                    tail.appendText(",\"supercategory\":")
                    tail.appendString(supercategory)
                }
                if let isThing = category.isThing {
                    tail.appendText(",\"isthing\":")
                    tail.append(isThing ? UInt8(ascii: "1") : ASCII.zero)
                }
                if let color = category.color {
                    tail.appendText(",\"color\":[")
                    tail.appendInteger(Int64(color.r))
                    tail.append(ASCII.comma)
                    tail.appendInteger(Int64(color.g))
                    tail.append(ASCII.comma)
                    tail.appendInteger(Int64(color.b))
                    tail.append(ASCII.closeBracket)
                }
                tail.appendExtras(category.extra)
                tail.append(ASCII.closeBrace)
            }
            tail.append(ASCII.closeBracket)
            tail.appendExtras(header.extra)
            tail.appendText("}\n")
            try output.write(tail)
        }
        part.fixed(until: output.bytesWritten)
        if partition != nil { summary.indexParts.append(part.part) }
        summary.bytes += output.bytesWritten
        try output.commit()
        summary.files += 1
        self.output = nil
        return summary
    }
}
