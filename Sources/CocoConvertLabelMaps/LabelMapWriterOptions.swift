import CocoConvertCore
import CocoConvertPNG

/// Options of ``LabelMapDirectoryWriter``.
public struct LabelMapWriterOptions: Sendable {
    /// How annotations become pixels (schema, crowd, overlap, kind), decided from the dataset's
    /// header when the writer begins (the schema usually depends on the categories).
    public var paint: @Sendable (DatasetHeader) throws -> PaintOptions
    /// Palette for 8-bit maps ("P" PNGs); `nil` writes gray PNGs. Ignored for panoptic (RGB) output
    /// and for maps that need 16 bits.
    public var palette: [RGB]?
    /// Name of the palette for labels.json (`voc`, `cocostuff`, a file name, or nil).
    public var paletteName: String?
    public var compression: PNGCompression

    /// Options with paint options made from the header in `begin`.
    public init(paint: @escaping @Sendable (DatasetHeader) throws -> PaintOptions, palette: [RGB]? = nil,
                paletteName: String? = nil, compression: PNGCompression = .labelMapDefault) {
        self.paint = paint
        self.palette = palette
        self.paletteName = paletteName
        self.compression = compression
    }

    /// Options with fixed paint options.
    public init(paint: PaintOptions, palette: [RGB]? = nil, paletteName: String? = nil,
                compression: PNGCompression = .labelMapDefault) {
        self.init(paint: { _ in paint }, palette: palette, paletteName: paletteName, compression: compression)
    }
}
