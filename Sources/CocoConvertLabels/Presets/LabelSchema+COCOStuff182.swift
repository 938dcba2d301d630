import CocoConvertCore

/// The COCO-Stuff 182-value preset (the released `stuffthingmaps`).
extension LabelSchema {
    /// COCO-Stuff's `stuffthingmaps_trainval2017` convention: pixel value = category id − 1 for the
    /// things (ids 1...90) and stuff (ids 92...182), so person is 0 and wood is 181; unlabeled pixels
    /// and "other" (183) are 255, so background and ignore are both 255. The 11 thing ids COCO never
    /// uses keep their (empty) values: the values are not contiguous.
    ///
    /// Source of the fact: the COCO-Stuff README ("stuffthingmaps": indices 0-181, 255 unlabeled) and
    /// mmsegmentation's converter, which reads those maps as id − 1 (`clsID_to_trID` keys 0...181).
    public static let cocoStuff182: LabelSchema = {
        let all = COCOCategoryNames.things + COCOCategoryNames.stuff.filter { $0.id <= 182 }
        let entries = all.sorted { $0.id < $1.id }.map {
            LabelEntry(value: UInt32($0.id - 1), categoryID: $0.id, name: $0.name)
        }
        return LabelSchema(entries: entries, background: 255, ignoreIndex: 255)
    }()
}
