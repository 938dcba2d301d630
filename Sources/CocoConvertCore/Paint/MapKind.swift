/// What the values of a painted label map mean.
public enum MapKind: String, Sendable, Hashable, CaseIterable {
    /// Value = the category's value in the label schema (one value per class).
    case semantic
    /// Value = instance number 1...K in annotation order (the ignore index is never used as an instance number).
    case instance
    /// Like `instance`, but meant for panoptic output: each value is a segment with a category.
    case panoptic
}
