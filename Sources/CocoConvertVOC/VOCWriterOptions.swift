import CocoConvertCore
import CocoConvertPNG

/// Options of ``VOCWriter``.
public struct VOCWriterOptions: Sendable {
    /// `plain` (OUT/JPEGImages...) or `devkit` (OUT/VOCdevkit/VOC2012/...).
    public var layout: VOCLayoutStyle
    /// How images get into `JPEGImages`.
    public var imageMode: ImageMode
    /// The ImageSets list name; `nil`: the input's split without its year (`val2017` → `val`), else `train`.
    public var split: String?
    /// The label mapping, crowd and overlap rules for a dataset (`kind` is ignored: VOC writes both
    /// maps). The schema must use 0 for background, 255 for void and values 1...254 for classes.
    public var paint: @Sendable (DatasetHeader) throws -> PaintOptions
    /// zlib settings of the mask PNGs.
    public var compression: PNGCompression

    /// The VOC defaults: the source's own value mapping or contiguous values 1...N, crowds void
    /// beneath the objects, later annotations win.
    public static let defaultPaint: @Sendable (DatasetHeader) throws -> PaintOptions = { header in
        PaintOptions(schema: header.labelSchema ?? .contiguous(header.categories), crowd: .ignore, overlap: .later, kind: .instance)
    }

    public init(layout: VOCLayoutStyle = .plain, imageMode: ImageMode = .hardlink, split: String? = nil,
                paint: @escaping @Sendable (DatasetHeader) throws -> PaintOptions = VOCWriterOptions.defaultPaint,
                compression: PNGCompression = .labelMapDefault) {
        self.layout = layout
        self.imageMode = imageMode
        self.split = split
        self.paint = paint
        self.compression = compression
    }
}
