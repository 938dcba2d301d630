/// What the VOC writer does with crowd (`iscrowd: 1`) annotations.
public enum VOCCrowdPolicy: String, Sendable, CaseIterable {
    /// Paint them as void (255) in both maps, in annotation order; list them in the XML unindexed.
    case ignore
    /// Do not paint them; list them in the XML unindexed.
    case skip
    /// Paint them like any other instance (class and index).
    case include
}

/// Which label a pixel covered by several instances gets in the VOC maps.
public enum VOCOverlapPolicy: String, Sendable, CaseIterable {
    /// The later annotation in file order (cocostuffapi's rule). The default.
    case later
    /// The smaller mask (fewest pixels); equal sizes fall back to file order.
    case smaller
    /// Void (255), as torchvision's COCO segmentation reference does.
    case ignore
    /// Stop: the image is an `overlap` error naming both annotations.
    case error
}
