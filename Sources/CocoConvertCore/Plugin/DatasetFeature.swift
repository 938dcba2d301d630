/// Something a dataset may carry that some formats cannot: the rows of a plugin's loss table.
///
/// Each feature can be counted in the input (``InputFacts``), so a route says what it loses only
/// when the input actually has it, with numbers: "338 of 543 instances share their category with
/// another instance of the same image".
public enum DatasetFeature: String, Sendable, CaseIterable {
    /// Several instances of one category in one image, told apart by instance id.
    case separateInstances = "separate instances"
    /// Annotation ids.
    case annotationIDs = "annotation ids"
    /// `iscrowd` annotations.
    case crowds
    /// Detection scores (results lists).
    case scores
    /// Members of image and annotation records that cococonvert does not model.
    case extraFields = "extra fields"
    /// Polygon vertices (as opposed to pixels).
    case polygons
    /// Instances without a mask (box only).
    case masklessInstances = "box-only instances"
    /// Declared categories that no instance uses.
    case unusedCategories = "categories without pixels"
    /// Category ids above 255 (label values that need 16 bits).
    case wideCategoryIDs = "category ids above 255"
    /// `area` and `bbox` as the source has them.
    case storedAreaAndBox = "stored area and bbox"
}

/// One row of a loss table: a feature a reader or writer does not carry, and what becomes of it.
public struct Loss: Sendable, Hashable {
    public var feature: DatasetFeature
    /// What happens to it, completing "… : <consequence>" ("merged into one region per category").
    public var consequence: String

    public init(_ feature: DatasetFeature, _ consequence: String) {
        self.feature = feature
        self.consequence = consequence
    }
}

/// A loss found in an actual input: the row and how much of the input it touches.
public struct FoundLoss: Sendable, Hashable, CustomStringConvertible {
    public var loss: Loss
    /// "338 of 543 instances share their category with another instance in the same image"
    public var extent: String

    public var description: String { "\(loss.feature.rawValue): \(extent); \(loss.consequence)" }
}
