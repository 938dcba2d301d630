import CocoConvertCore

/// How the VOC writer turns category ids into class values (indices of `labelmap.txt`).
public enum VOCClassMapping: String, Sendable, CaseIterable {
    /// The source's own value mapping when it has one (VOC, PNG label maps), else `contiguous`.
    case source
    /// Categories in id order become 1...N.
    case contiguous
    /// Class value = category id (COCO things: 1...90 with gaps); ids above 254 are refused.
    case cocoIDs = "coco-ids"
    /// The 20 COCO categories with a Pascal VOC class get its index 1...20 (airplane → aeroplane 1,
    /// motorcycle → motorbike 14, couch → sofa 18, tv → tvmonitor 20, ...); the others are dropped.
    case voc21

    /// COCO category id of each VOC class 1...20 (the list torchvision's segmentation reference
    /// uses), with the VOC name.
    public static let vocClasses: [(cocoID: Int64, name: String)] = [
        (5, "aeroplane"), (2, "bicycle"), (16, "bird"), (9, "boat"), (44, "bottle"), (6, "bus"), (3, "car"),
        (17, "cat"), (62, "chair"), (21, "cow"), (67, "diningtable"), (18, "dog"), (19, "horse"),
        (4, "motorbike"), (1, "person"), (64, "pottedplant"), (20, "sheep"), (63, "sofa"), (7, "train"),
        (72, "tvmonitor"),
    ]

    /// The schema for a dataset: background 0, void 255.
    ///
    /// - Throws: ``ConversionError`` (`unsupported`) when a value would not fit VOC's 8-bit maps
    ///   (1...254).
    public func schema(for header: DatasetHeader) throws -> LabelSchema {
        let categories = header.categories.sorted { $0.id < $1.id }
        var entries: [LabelEntry]
        switch self {
        case .source:
            if let schema = header.labelSchema {
                entries = schema.entries
            } else {
                return try VOCClassMapping.contiguous.schema(for: header)
            }
        case .contiguous:
            entries = categories.enumerated().map {
                LabelEntry(value: UInt32($0.offset + 1), categoryID: $0.element.id, name: $0.element.name, color: $0.element.color)
            }
        case .cocoIDs:
            entries = []
            for category in categories {
                guard category.id >= 1 && category.id <= 254 else {
                    throw ConversionError(.unsupported, "category \(category.id) (\(category.name)) cannot be a VOC class value (1...254)",
                                          hint: "use the contiguous mapping")
                }
                entries.append(LabelEntry(value: UInt32(category.id), categoryID: category.id, name: category.name, color: category.color))
            }
        case .voc21:
            entries = []
            for (index, voc) in Self.vocClasses.enumerated() where header.category(id: voc.cocoID) != nil {
                entries.append(LabelEntry(value: UInt32(index + 1), categoryID: voc.cocoID, name: voc.name))
            }
        }
        if let bad = entries.first(where: { $0.value == 0 || $0.value > 254 }) {
            throw ConversionError(.unsupported, "class value \(bad.value) (\(bad.name)) does not fit a VOC map (1...254; 0 is background, 255 void)",
                                  hint: "use the contiguous mapping")
        }
        return LabelSchema(entries: entries, background: 0, ignoreIndex: 255)
    }
}
