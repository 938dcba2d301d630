import CocoConvertCore

/// How a run turns samples into label maps: decided from the dataset header when writing begins
/// (the mapping may depend on the categories), recorded in each shard's root attributes.
public struct HDF5LabelSetup: Sendable {
    /// Paints one sample's label map: row-major pixels of `width × height`. Called concurrently.
    public typealias Painter = @Sendable (Sample) throws -> (width: Int, height: Int, pixels: [UInt16])

    /// How categories became pixel values (stored as `label_mapping`, `ignore_index`, `background`).
    public var schema: LabelSchema
    /// The painting options, recorded verbatim in `label_options` (e.g. `kind`, `crowd`, `overlap`).
    public var labelOptions: [(key: String, value: String)]
    /// Element type of `labels`; `nil` = uint8 when every value the schema paints fits, else uint16.
    public var labelType: HDF5LabelType?
    /// Paints each sample (called concurrently from worker threads).
    public var painter: Painter

    /// A setup; `labelType` `nil` picks uint8 or uint16 from the schema.
    public init(schema: LabelSchema, labelOptions: [(key: String, value: String)] = [], labelType: HDF5LabelType? = nil,
                painter: @escaping Painter) {
        self.schema = schema
        self.labelOptions = labelOptions
        self.labelType = labelType
        self.painter = painter
    }

    /// The label element type actually used.
    var effectiveLabelType: HDF5LabelType { labelType ?? (schema.maxValue <= 255 ? .uint8 : .uint16) }
}
