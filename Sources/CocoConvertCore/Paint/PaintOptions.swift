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

extension PaintOptions {
    /// A summary note naming the categories of `categories` the schema leaves out (painted as
    /// background under ``UnmappedCategoryPolicy/ignore``): `--labels cocostuff171` on panoptic input
    /// drops the `*-merged` classes, `voc21` drops 60 COCO classes. Nil when every category is mapped.
    public func unmappedNote(for categories: [Category]) -> String? {
        guard unmapped == .ignore else { return nil }
        let mapped = Set(schema.entries.map(\.categoryID))
        let left = categories.filter { !mapped.contains($0.id) }
        guard !left.isEmpty else { return nil }
        let shown = left.prefix(6).map { "\($0.name) (\($0.id))" }.joined(separator: ", ")
        return "\(left.count) of \(categories.count) categories are not in the label mapping and were painted as background "
            + "(\(schema.background)): \(shown)\(left.count > 6 ? ", ..." : "")"
    }
}

