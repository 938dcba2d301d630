import CocoConvertCore

/// A named label-value convention `--labels NAME` selects: how categories become pixel values.
///
/// New presets (Cityscapes train ids, ADE20K) are one more entry in ``LabelPreset/all``.
public struct LabelPreset: Sendable {
    /// The name `--labels` takes.
    public var name: String
    /// One line for `--help`.
    public var summary: String
    /// Whether categories the preset does not name are left out (true) or are an error (false).
    public var leavesOutUnmapped: Bool
    /// The schema for a dataset's categories, with the background and ignore values asked for
    /// (a preset with fixed values ignores them; explicit options override them afterwards).
    public var schema: @Sendable (_ categories: [Category], _ background: UInt32?, _ ignoreIndex: UInt32?) -> LabelSchema
    /// The crowd policy of the convention, used when `--crowd` is not given (nil: the writer's default).
    public var crowd: CrowdPolicy?
    /// The overlap policy of the convention, used when `--overlap` is not given (nil: `later`).
    public var overlap: OverlapPolicy?
    /// The palette of the convention's PNGs, used when `--palette` is not given (nil: the writer's default).
    public var palette: [RGB]?

    public init(name: String, summary: String, leavesOutUnmapped: Bool, crowd: CrowdPolicy? = nil, overlap: OverlapPolicy? = nil,
                palette: [RGB]? = nil, schema: @escaping @Sendable ([Category], UInt32?, UInt32?) -> LabelSchema) {
        self.name = name
        self.summary = summary
        self.leavesOutUnmapped = leavesOutUnmapped
        self.crowd = crowd
        self.overlap = overlap
        self.palette = palette
        self.schema = schema
    }

    /// Every built-in preset, in the order help lists them.
    public static let all: [LabelPreset] = [
        LabelPreset(name: "contiguous", summary: "1..N in category order (the default)", leavesOutUnmapped: false) {
            .contiguous($0, background: $1 ?? 0, ignoreIndex: $2 ?? 255)
        },
        LabelPreset(name: "coco", summary: "value = category id (cocostuffapi)", leavesOutUnmapped: false) {
            .cocoIDs($0, background: $1 ?? 0, ignoreIndex: $2 ?? 255)
        },
        LabelPreset(name: "cocostuff182", summary: "COCO-Stuff stuffthingmaps: id - 1 (0..181), 255 unlabeled and 'other'",
                    leavesOutUnmapped: true, palette: COCOStuffPalette.palette(for: .cocoStuff182)) { _, _, _ in
            .cocoStuff182
        },
        LabelPreset(name: "cocostuff171", summary: "mmseg COCO-Stuff train ids 0..170, 255 unlabeled and 'other'",
                    leavesOutUnmapped: true, palette: COCOStuffPalette.palette(for: .cocoStuff171)) { _, _, _ in
            .cocoStuff171
        },
        // torchvision's references/segmentation (FilterAndRemapCocoCategories + ConvertCocoPolysToMask): crowds are
        // kept with their class, and any pixel two annotations share becomes 255.
        LabelPreset(name: "voc21", summary: "torchvision's COCO→VOC 21-class target (crowds included, any overlap 255)",
                    leavesOutUnmapped: true, crowd: .include, overlap: .ignoreAny) { _, _, _ in
            .voc21
        },
    ]

    /// The presets `name` may have meant: those it is the start of (`cocostuff` → both COCO-Stuff
    /// presets), else the nearest by edit distance.
    public static func suggestions(for name: String) -> [String] {
        let word = name.lowercased()
        let prefixed = all.map(\.name).filter { $0.hasPrefix(word) }
        if !prefixed.isEmpty && word.count >= 3 { return prefixed }
        return EditDistance.nearest(to: word, in: all.map(\.name)).map { [$0] } ?? []
    }

    /// The preset called `name` (case-insensitive).
    public static func named(_ name: String) -> LabelPreset? {
        all.first { $0.name == name.lowercased() }
    }
}
