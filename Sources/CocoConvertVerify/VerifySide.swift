import CocoConvertCore

/// One side of a comparison: an open reader and how to paint its samples.
public struct VerifySide {
    public var reader: any DatasetReader
    /// How this side's annotations become pixels; the kind is forced to `.instance` (verify compares
    /// instance maps and derives classes from them).
    public var paint: PaintOptions
    /// What to call the side in messages (`A: instances_val2017.json (coco)`).
    public var label: String

    public init(reader: any DatasetReader, paint: PaintOptions, label: String) {
        self.reader = reader
        var paint = paint
        paint.kind = .instance
        self.paint = paint
        self.label = label
    }
}

/// How samples of A and B are paired.
public enum PairingKey: String, Sendable, CaseIterable {
    /// The image id (COCO ids, and label-map formats that keep them).
    case id
    /// The file name's stem (`000000000139` for `val2017/000000000139.jpg` and `000000000139.png`).
    case stem
    /// The image id when the first samples of A and B share it, else the stem.
    case auto
}

/// How the two sides were walked.
public enum WalkMode: Sendable, Hashable {
    /// Both in step (their orders agree, apart from images missing on one side).
    case inStep
    /// Their orders disagree: every image of `side` ("A" or "B", the smaller) was held in an index.
    case indexed(side: String, images: Int)
}
