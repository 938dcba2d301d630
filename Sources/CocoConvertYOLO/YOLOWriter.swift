import CocoConvertCore
import Foundation

/// What the YOLO writer writes.
public enum YOLOTask: String, Sendable, CaseIterable {
    /// `class x1 y1 … xn yn`: one polygon ring per object (Ultralytics segmentation).
    case segment
    /// `class cx cy w h`: one box per object (Ultralytics detection).
    case detect
}

/// Options of ``YOLOWriter``.
public struct YOLOWriterOptions: Sendable {
    public var task: YOLOTask = .segment
    /// `contiguous`, `coco80` or a mapping file (``YOLOClassMap``).
    public var classes = "contiguous"
    /// Crowd annotations: left out (counted) unless `includeCrowds`.
    public var includeCrowds = false
    public var imageMode: ImageMode = .hardlink
    /// The split directory name (default: the source's, e.g. `val2017`).
    public var split: String?
    /// Polygon simplification tolerance in pixels (0: exact).
    public var simplify = 0.0

    public init() {}
}

/// Writes an Ultralytics YOLO dataset (formats/yolo.md): images, one label file per image, data.yaml.
///
/// `render` (any thread) traces each mask into one ring (holes and parts joined by zero-width
/// bridges, exact under pycocotools' rasteriser) and formats the label file; `commit` (in order)
/// places the image and writes the label file; `finish` writes data.yaml.
public struct YOLOWriter: DatasetWriter {
    /// The dataset root written.
    let output: String
    let options: YOLOWriterOptions
    let skips: SkipReport

    public func begin(_ header: DatasetHeader) throws -> (renderer: YOLORenderer, sink: YOLOSink) {
        let classes = try YOLOClassMap(mapping: options.classes, categories: header.categories)
        let split = try SafePath.component(options.split ?? header.split ?? "train", context: ErrorContext(field: "split"))
        let layout = YOLOLayout(root: output, split: split)
        for directory in [layout.labelsDirectory] + (options.imageMode == .none ? [] : [layout.imagesDirectory]) {
            try OutputDirectory.create(directory, inside: output)
        }
        let renderer = YOLORenderer(options: options, classes: classes)
        let sink = YOLOSink(layout: layout, imageMode: options.imageMode, classes: classes, partition: header.partition)
        return (renderer, sink)
    }
}
