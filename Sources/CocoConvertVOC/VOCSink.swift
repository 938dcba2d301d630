import CocoConvertCore
import Foundation

/// The committing half of ``VOCWriter``: puts each image in `JPEGImages` and writes its three
/// files (each through a temporary name and a rename), in sample order; ``finish()`` writes the
/// ImageSets lists and `labelmap.txt`.
///
/// Owned by the committing thread; holds the list of written items and the summary.
public struct VOCSink: SampleSink {
    let layout: VOCLayout
    let imageMode: ImageMode
    let labelMap: VOCLabelMap
    /// The ImageSets list name.
    let split: String
    var summary: WriteSummary
    var written: [String] = []
    var names = OutputNames()
    var sizeMismatches = 0
    /// Set when writing one partition: the lists and the label map are written as parts.
    var partition: PartitionContext?

    init(layout: VOCLayout, imageMode: ImageMode, labelMap: VOCLabelMap, split: String, summary: WriteSummary,
         partition: PartitionContext?) {
        self.layout = layout
        self.imageMode = imageMode
        self.labelMap = labelMap
        self.split = split
        self.summary = summary
        self.partition = partition
    }

    public mutating func commit(_ rendered: VOCWriter.Rendered) throws {
        let context = ErrorContext(imageID: rendered.imageID)
        // A duplicate name or a missing image is an item problem: thrown, the pipeline reports it.
        try names.claim(rendered.item, imageID: rendered.imageID)
        if let imageFile = rendered.imageFile {
            let destination = VOCLayout.join(layout.jpegImages, imageFile)
            do {
                try ImageFiles.put(rendered.image, at: destination, mode: imageMode)
            } catch let error as ConversionError {
                names.release(rendered.item)
                throw error.adding(context)
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

    public mutating func finish() throws -> WriteSummary {
        let list = Array(written.map { $0 + "\n" }.joined().utf8)
        for directory in [layout.segmentationSets, layout.mainSets] {
            try PartitionContext.writeIndexFile(list, to: VOCLayout.join(directory, split + ".txt"), kind: .list,
                                                partition: partition, summary: &summary)
        }
        let labelText = Array(try labelMap.text().utf8)
        try PartitionContext.writeIndexFile(labelText, to: layout.labelMapFile, kind: .fixed, partition: partition, summary: &summary)
        summary.files += 3
        summary.bytes += Int64(2 * list.count + labelText.count)
        if sizeMismatches > 0 {
            summary.notes.append("\(sizeMismatches) images have a JPEG size different from the annotation's width × height (masks use the annotation's)")
        }
        return summary
    }
}
