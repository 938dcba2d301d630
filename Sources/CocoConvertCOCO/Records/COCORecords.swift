import CocoConvertCore

/// An `images[]` record.
struct ImageRecord {
    var id: Int64
    var fileName: String
    var width: Int
    var height: Int
    var extra: [ExtraField]
}

/// A panoptic `annotations[]` record: the PNG name, the segments, and other members.
struct PanopticAnnotationRecord {
    var imageID: Int64
    var fileName: String
    /// One instance per segment, with `geometry == .none` until the PNG is read; `id` is the segment id.
    var segments: [Instance]
    var extra: [ExtraField]
}
