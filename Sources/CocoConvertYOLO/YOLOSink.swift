import CocoConvertCore

/// Places images and writes label files in sample order; writes data.yaml at the end.
public struct YOLOSink: SampleSink {
    let layout: YOLOLayout
    let imageMode: ImageMode
    let classes: YOLOClassMap
    var labelNames = OutputNames()
    var summary = WriteSummary()
    var crowdsLeftOut = 0
    var unmapped = 0
    var emptyMasks = 0
    /// Set when writing one partition: data.yaml is written as a part.
    var partition: PartitionContext?

    init(layout: YOLOLayout, imageMode: ImageMode, classes: YOLOClassMap, partition: PartitionContext?) {
        self.layout = layout
        self.imageMode = imageMode
        self.classes = classes
        self.partition = partition
    }

    public mutating func commit(_ rendered: YOLORenderer.Rendered) throws {
        let context = ErrorContext(imageID: rendered.imageID)
        // A duplicate name or a missing image is an item problem: thrown, the pipeline reports it.
        try labelNames.claim(rendered.labelName, imageID: rendered.imageID)
        do {
            try ImageFiles.put(rendered.image, at: layout.imagesDirectory + "/" + rendered.imageName, mode: imageMode)
        } catch let error as ConversionError {
            labelNames.release(rendered.labelName)
            throw error.adding(context)
        }
        if case .none = rendered.image {} else { summary.files += 1 }
        // Every image gets a label file, empty when it has no objects: Ultralytics counts it as a
        // background image instead of a missing label.
        try AtomicFile.write(rendered.label, to: layout.labelsDirectory + "/" + rendered.labelName)
        summary.samples += 1
        summary.instances += rendered.instances
        summary.files += 1
        summary.bytes += Int64(rendered.label.count)
        crowdsLeftOut += rendered.crowdsLeftOut
        unmapped += rendered.unmapped
        emptyMasks += rendered.emptyMasks
    }

    public mutating func finish() throws -> WriteSummary {
        var data = YOLODataFile(splits: [:], names: classes.names, categoryIDs: classes.categoryIDs)
        // Splits written earlier into the same tree stay listed when their classes are the same.
        if InputProbe.fileExists(layout.dataFile), let existing = try? YOLODataFile.read(layout.dataFile) {
            if existing.names == classes.names {
                data.splits = existing.splits
            } else {
                summary.notes.append("data.yaml listed other class names; it now lists this run's classes and split only")
            }
        }
        data.splits[YOLOLayout.dataKey(forSplit: layout.split)] = [layout.relativeImagesDirectory]
        for required in ["train", "val"] where data.splits[required] == nil {
            // Ultralytics' checker wants both; until the other split is converted, both name this one.
            data.splits[required] = [layout.relativeImagesDirectory]
        }
        let text = Array(data.text.utf8)
        try PartitionContext.writeIndexFile(text, to: layout.dataFile, kind: .fixed, partition: partition, summary: &summary)
        summary.files += 1
        summary.bytes += Int64(text.count)
        summary.notes.append("class ids: \(classes.description) (names in data.yaml)")
        if crowdsLeftOut > 0 {
            summary.notes.append("\(crowdsLeftOut) crowd annotations left out (--crowd include traces them to polygons)")
        }
        if unmapped > 0 { summary.notes.append("\(unmapped) annotations of categories outside the class mapping left out") }
        if emptyMasks > 0 { summary.notes.append("\(emptyMasks) annotations with an empty mask left out") }
        return summary
    }
}
