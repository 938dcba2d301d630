/// Ready-made label schemas: the dataset's own ids, contiguous values, and the COCO-Stuff-171 and
/// VOC-21 training presets.
extension LabelSchema {
    /// Value = the category's original id (the cocostuffapi `cocoSegmentationToPng` convention),
    /// 0 = unlabeled. Category ids above 65535 cannot be painted (the painter reports them).
    public static func cocoIDs(_ categories: [Category], background: UInt32 = 0, ignoreIndex: UInt32 = 255) -> LabelSchema {
        LabelSchema(entries: categories.map { c in
                        LabelEntry(value: UInt32(clamping: c.id), categoryID: c.id, name: c.name, color: c.color)
                    },
                    background: background, ignoreIndex: ignoreIndex)
    }

    /// Values 1, 2, 3, ... in category order (the order of the dataset's `categories`), skipping the
    /// background and ignore values (with 300 categories and ignore 255, the 255th category gets 256).
    public static func contiguous(_ categories: [Category], background: UInt32 = 0, ignoreIndex: UInt32 = 255) -> LabelSchema {
        var next: UInt32 = background == 0 ? 1 : 0
        var entries: [LabelEntry] = []
        entries.reserveCapacity(categories.count)
        for c in categories {
            while next == background || next == ignoreIndex { next &+= 1 }
            entries.append(LabelEntry(value: next, categoryID: c.id, name: c.name, color: c.color))
            next &+= 1
        }
        return LabelSchema(entries: entries, background: background, ignoreIndex: ignoreIndex)
    }

    /// COCO ids that COCO-Stuff reserves for things but never uses.
    public static let cocoStuffUnusedThingIDs: Set<Int64> = [12, 26, 29, 30, 45, 66, 68, 69, 71, 83, 91]

    /// The COCO-Stuff 171-class training ids, as mmsegmentation's `coco_stuff164k.py` converter and
    /// the `*_labelTrainIds.png` files use them: the 182 COCO-Stuff ids (things 1...91, stuff
    /// 92...182) minus the 11 unused thing ids, numbered 0...170 in id order (1 → 0, 11 → 10,
    /// 13 → 11, ..., 182 → 170). Unlabeled pixels and "other" (183) are 255, so background and
    /// ignore are both 255 (value 0 is "person").
    ///
    /// Source of the fact: mmsegmentation `tools/dataset_converters/coco_stuff164k.py`
    /// (`clsID_to_trID`, keyed by the stuffthingmaps value id − 1) and the COCO-Stuff README.
    public static let cocoStuff171: LabelSchema = {
        let all = COCOCategoryNames.things + COCOCategoryNames.stuff.filter { $0.id <= 182 }
        var entries: [LabelEntry] = []
        for c in all.sorted(by: { $0.id < $1.id }) where !cocoStuffUnusedThingIDs.contains(c.id) {
            entries.append(LabelEntry(value: UInt32(entries.count), categoryID: c.id, name: c.name))
        }
        return LabelSchema(entries: entries, background: 255, ignoreIndex: 255)
    }()

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
