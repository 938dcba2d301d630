/// Label schemas computed from a dataset's own categories: their ids, or contiguous values.
/// Named training presets (COCO-Stuff-171, VOC-21) live in CocoConvertLabels.
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
}
