import CocoConvertCore

/// The Pascal VOC 21-class preset over COCO categories (torchvision's segmentation reference).
extension LabelSchema {
    /// COCO category id for each VOC class index, as torchvision's segmentation reference
    /// (`references/segmentation/coco_utils.py`, `CAT_LIST`) uses it: VOC index i ← COCO id
    /// `vocFromCOCO[i]`; index 0 is background (no COCO category).
    public static let vocFromCOCO: [Int64] = [0, 5, 2, 16, 9, 44, 6, 3, 17, 62, 21, 67, 18, 19, 4, 1, 64, 20, 63, 7, 72]

    /// The 21 Pascal VOC class names, index 0 = background.
    public static let vocClassNames: [String] = [
        "background", "aeroplane", "bicycle", "bird", "boat", "bottle", "bus", "car", "cat", "chair", "cow",
        "diningtable", "dog", "horse", "motorbike", "person", "pottedplant", "sheep", "sofa", "train", "tvmonitor",
    ]

    /// COCO → the 21 VOC classes (torchvision's segmentation reference): 20 COCO categories become
    /// VOC values 1...20, everything else stays background 0; 255 is ignore. Other COCO categories
    /// are not in the schema (paint them with ``UnmappedCategoryPolicy/ignore``).
    public static let voc21: LabelSchema = {
        var entries: [LabelEntry] = []
        for (index, cocoID) in vocFromCOCO.enumerated() where index > 0 {
            entries.append(LabelEntry(value: UInt32(index), categoryID: cocoID, name: vocClassNames[index]))
        }
        return LabelSchema(entries: entries, background: 0, ignoreIndex: 255)
    }()
}
