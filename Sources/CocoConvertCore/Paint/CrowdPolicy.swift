/// What the painter does with `iscrowd: 1` annotations.
public enum CrowdPolicy: String, Sendable, Hashable, CaseIterable {
    /// Leave crowd regions out (the cocostuffapi convention and the default).
    case skip
    /// Paint crowd regions with the schema's ignore index, beneath all non-crowd annotations;
    /// they never count as overlaps.
    case ignore
    /// Paint crowd regions like any other annotation (their category; in instance maps, their own id).
    case include
}
