import CocoConvertCore

/// The COCO-Stuff 171-class training preset.
extension LabelSchema {
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
}
