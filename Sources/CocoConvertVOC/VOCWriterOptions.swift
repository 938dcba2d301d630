import CocoConvertPNG

/// Options of ``VOCWriter``.
public struct VOCWriterOptions: Sendable {
    /// `plain` (OUT/JPEGImages...) or `devkit` (OUT/VOCdevkit/VOC2012/...).
    public var layout: VOCLayoutStyle
    /// How images get into `JPEGImages`.
    public var imageMode: VOCImageMode
    /// The ImageSets list name; `nil`: the input's split without its year (`val2017` → `val`), else `train`.
    public var split: String?
    /// Category id → class value.
    public var classes: VOCClassMapping
    public var crowd: VOCCrowdPolicy
    public var overlap: VOCOverlapPolicy
    /// zlib settings of the mask PNGs.
    public var compression: PNGCompression

    public init(layout: VOCLayoutStyle = .plain, imageMode: VOCImageMode = .hardlink, split: String? = nil,
                classes: VOCClassMapping = .source, crowd: VOCCrowdPolicy = .ignore, overlap: VOCOverlapPolicy = .later,
                compression: PNGCompression = .labelMapDefault) {
        self.layout = layout
        self.imageMode = imageMode
        self.split = split
        self.classes = classes
        self.crowd = crowd
        self.overlap = overlap
        self.compression = compression
    }
}
