/// What the painter does with an annotation whose category the label schema does not map.
public enum UnmappedCategoryPolicy: String, Sendable, Hashable, CaseIterable {
    /// Throw `ConversionError` `.unknownCategory` (right when the schema was built from the dataset's
    /// own categories, where an unmapped id means the annotation is broken).
    case fail
    /// Leave the annotation out (right for partial mappings such as `voc21`, which keeps only 20 classes).
    case ignore
}
