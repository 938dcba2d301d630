import CocoConvertCore
import Foundation

/// The committing half of ``VOCWriter``: puts each image in `JPEGImages` and writes its three
/// files (each through a temporary name and a rename), in sample order; ``finish()`` writes the
/// ImageSets lists and `labelmap.txt`.
///
/// Owned by the committing thread; holds the list of written items and the summary.
public final class VOCSink: SampleSink {
    let layout: VOCLayout
    let imageMode: VOCImageMode
    let skips: SkipReport
    let labelMap: VOCLabelMap
    /// The ImageSets list name.
    let split: String

    private var written: [String] = []
    private var seen: Set<String> = []
    private var summary: WriteSummary
    private var sizeMismatches = 0

    init(layout: VOCLayout, imageMode: VOCImageMode, skips: SkipReport, labelMap: VOCLabelMap, split: String, summary: WriteSummary) {
        self.layout = layout
        self.imageMode = imageMode
        self.skips = skips
        self.labelMap = labelMap
        self.split = split
        self.summary = summary
    }

    public func commit(_ rendered: VOCWriter.Rendered) throws {
        let context = ErrorContext(imageID: rendered.imageID)
        guard seen.insert(rendered.item).inserted else {
            try skips.report(ConversionError(.duplicateID, "another image was already written as \(rendered.item)",
                                             context: context, hint: "two file names share a stem; rename one of the images"))
            return
        }
        if let imageFile = rendered.imageFile {
            let destination = VOCLayout.join(layout.jpegImages, imageFile)
            do {
                switch rendered.image {
                case .file(let path): try FileOutput.place(path, at: destination, mode: imageMode)
                case .bytes(let bytes): try AtomicFile.write(bytes, to: destination)
                case .none: break
                }
            } catch let error as ConversionError {
                seen.remove(rendered.item)
                try skips.report(error.adding(context))
                return
            }
            summary.files += 1
        }
        try AtomicFile.write(rendered.classPNG, to: layout.classPNG(rendered.item))
        try AtomicFile.write(rendered.objectPNG, to: layout.objectPNG(rendered.item))
        try AtomicFile.write(rendered.xml, to: layout.annotationXML(rendered.item))
        written.append(rendered.item)
        summary.samples += 1
        summary.instances += rendered.instances
        summary.files += 3
        summary.bytes += Int64(rendered.classPNG.count + rendered.objectPNG.count + rendered.xml.count)
        if rendered.imageSizeDiffers { sizeMismatches += 1 }
    }

    public func finish() throws -> WriteSummary {
        let list = Array(written.map { $0 + "\n" }.joined().utf8)
        for directory in [layout.segmentationSets, layout.mainSets] {
            try AtomicFile.write(list, to: VOCLayout.join(directory, split + ".txt"))
        }
        let labelText = Array(try labelMap.text().utf8)
        try AtomicFile.write(labelText, to: layout.labelMapFile)
        summary.files += 3
        summary.bytes += Int64(2 * list.count + labelText.count)
        if sizeMismatches > 0 {
            summary.notes.append("\(sizeMismatches) images have a JPEG size different from the annotation's width × height (masks use the annotation's)")
        }
        return summary
    }
}
