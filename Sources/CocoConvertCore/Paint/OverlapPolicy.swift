/// What the painter does where two painted annotations cover the same pixel.
///
/// In semantic maps only annotations with different values conflict (two overlapping "person"
/// objects are not a problem); in instance and panoptic maps any two annotations do.
public enum OverlapPolicy: String, Sendable, Hashable, CaseIterable {
    /// The annotation that comes later in the file wins (cocostuffapi, torchvision; the default).
    case later
    /// Smaller objects (fewer mask pixels) are painted on top; equal areas fall back to file order.
    case smaller
    /// Overlaps are an error (`ConversionError` `.overlap`) naming both annotation ids and the pixel count.
    case error
    /// Overlapping pixels get the ignore index (in semantic maps, only where the values differ).
    case ignore
    /// Pixels covered by any two annotations get the ignore index, even where both have the same value
    /// (torchvision's segmentation reference, `ConvertCocoPolysToMask`: `target[masks.sum(0) > 1] = 255`).
    case ignoreAny = "ignore-any"
}
