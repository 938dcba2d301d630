/// Everything that decides how annotations become label-map pixels.
public struct PaintOptions: Sendable, Hashable {
    /// Category → value mapping, background and ignore values.
    public var schema: LabelSchema
    public var crowd: CrowdPolicy
    public var overlap: OverlapPolicy
    public var kind: MapKind
    /// Annotations whose category the schema lacks.
    public var unmapped: UnmappedCategoryPolicy
    /// Size limits for the painted image.
    public var limits: Limits

    public init(schema: LabelSchema, crowd: CrowdPolicy = .skip, overlap: OverlapPolicy = .later,
                kind: MapKind = .semantic, unmapped: UnmappedCategoryPolicy = .fail, limits: Limits = .standard) {
        self.schema = schema
        self.crowd = crowd
        self.overlap = overlap
        self.kind = kind
        self.unmapped = unmapped
        self.limits = limits
    }
}
