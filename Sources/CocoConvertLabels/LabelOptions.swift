import CocoConvertCore
import CocoConvertPNG
import Foundation

/// How annotations become label-map pixels, shared by every writer that paints label maps (and
/// the readers of label maps): the `--labels --crowd --overlap --ignore-index --background
/// --kind --palette` options, declared once here and parsed into one value.
///
/// Defaults suit semantic-segmentation training (DeepLab, mmsegmentation): contiguous values
/// 1...N in category order, 0 background, 255 ignore, crowds left out, later annotations win.
public struct LabelOptions: Sendable {
    /// `--labels`: a preset name or a mapping file; nil keeps a label-map source's own values.
    public var labels: String?
    public var crowd: CrowdPolicy?
    /// `--overlap` as given; nil when absent (the preset's policy, else `later`, applies).
    public var overlapOption: OverlapPolicy?
    /// The overlap policy without a preset: the option, else `later`.
    public var overlap: OverlapPolicy { overlapOption ?? .later }
    public var ignoreIndex: UInt32?
    public var background: UInt32?
    public var kind: MapKind
    /// `--palette`: a name or a file; nil for the writer's default.
    public var paletteName: String?
    /// The colours of a `--palette FILE`, read once when the options are parsed.
    private var paletteFromFile: [RGB]?

    /// The `--help` section these options are listed under.
    public static let group = "Label maps"

    public static let labelsSpec = OptionSpec.value("labels", "NAME|FILE", group: group, help: """
        Label values: \(LabelPreset.all.map { "\($0.name): \($0.summary)" }.joined(separator: "; ")); \
        or a mapping FILE (JSON {"<category id>": value} or lines 'id value [name]'). Label-map inputs keep their own values by default.
        """)
    public static let crowdSpec = OptionSpec.choice("crowd", CrowdPolicy.self, group: group,
        help: "iscrowd=1 annotations: skip (default; VOC's default is ignore, panoptic's and voc21's include), ignore (paint the ignore index beneath objects), include (paint as normal).")
    public static let overlapSpec = OptionSpec.choice("overlap", OverlapPolicy.self, group: group,
        help: "Overlapping annotations: later (later in the file wins; default), smaller (smaller on top), error (stop and name them), ignore (overlap pixels of different classes get the ignore index), ignore-any (pixels of any two annotations get it; voc21's default).")
    public static let ignoreIndexSpec = OptionSpec.value("ignore-index", "N", group: group, help: "Value of ignored pixels (default 255).")
    public static let backgroundSpec = OptionSpec.value("background", "N", group: group, help: "Value of unlabeled pixels (default 0; 255 for cocostuff171).")
    public static let kindSpec = OptionSpec.choice("kind", MapKind.self, group: group,
        help: "Map values: semantic (one value per class; default), instance (1..K per image), panoptic (PNG output only: RGB segment ids + panoptic.json).")
    public static let paletteSpec = OptionSpec.value("palette", "NAME|FILE", group: group,
        help: "Palette of 8-bit label PNGs: none (gray), voc (Pascal VOC colormap), cocostuff, or a FILE (.png with a palette, .json [[r,g,b],...], or lines 'r g b').")

    /// The options a label-map writer takes (`palette: false` for writers whose PNGs have a fixed palette).
    public static func writerSpecs(kind: Bool = true, palette: Bool = true) -> [OptionSpec] {
        [labelsSpec, crowdSpec, overlapSpec, ignoreIndexSpec, backgroundSpec] + (kind ? [kindSpec] : []) + (palette ? [paletteSpec] : [])
    }

    /// Parses and checks the label options (usage errors name the option).
    public init(_ values: OptionValues) throws {
        labels = values.string("labels")
        crowd = try values.choice("crowd", as: CrowdPolicy.self)
        overlapOption = try values.choice("overlap", as: OverlapPolicy.self)
        ignoreIndex = try values.int("ignore-index", in: 0...65535).map(UInt32.init)
        background = try values.int("background", in: 0...65535).map(UInt32.init)
        kind = try values.choice("kind", as: MapKind.self) ?? .semantic
        paletteName = values.string("palette")
        if let labels, LabelPreset.named(labels) == nil, !Self.fileExists(labels) {
            let known = LabelPreset.all.map(\.name).joined(separator: ", ")
            let near = EditDistance.nearest(to: labels.lowercased(), in: LabelPreset.all.map(\.name))
            throw ConversionError(.usage, "--labels '\(labels)' is neither a preset nor a mapping file",
                                  hint: (near.map { "did you mean \($0)? " } ?? "") + "presets: \(known)")
        }
        if let paletteName, Self.namedPalette(paletteName) == nil {
            paletteFromFile = try Palette.load(file: paletteName)
        }
    }

    /// The paint options for a dataset with `header`'s categories.
    ///
    /// Crowds: `--crowd`, else the preset's policy (voc21: include), else `include` for panoptic maps
    /// (panopticapi keeps crowd segments, iscrowd=1), else `defaultCrowd` (VOC paints crowds void).
    /// Overlaps: `--overlap`, else the preset's policy (voc21: ignore-any), else `later`.
    ///
    /// Without `--labels`, a source that carries its own value mapping (a PNG directory's labels.json,
    /// VOC, HDF5) keeps it; otherwise values are contiguous. Presets that name only some categories
    /// (cocostuff171, voc21) and mapping files leave the others out; `coco` and `contiguous` treat
    /// them as errors.
    public func paintOptions(for header: DatasetHeader, defaultCrowd: CrowdPolicy = .skip) throws -> PaintOptions {
        var schema: LabelSchema
        var unmapped = UnmappedCategoryPolicy.fail
        var presetCrowd: CrowdPolicy?
        var presetOverlap: OverlapPolicy?
        if let labels {
            if let preset = LabelPreset.named(labels) {
                presetCrowd = preset.crowd
                presetOverlap = preset.overlap
                schema = preset.schema(header.categories, background, ignoreIndex)
                if preset.leavesOutUnmapped { unmapped = .ignore }
            } else {
                schema = try LabelSchema.load(file: labels, categories: header.categories,
                                              background: background ?? 0, ignoreIndex: ignoreIndex ?? 255)
                unmapped = .ignore
            }
        } else if let own = header.labelSchema {
            schema = own
        } else {
            schema = .contiguous(header.categories, background: background ?? 0, ignoreIndex: ignoreIndex ?? 255)
        }
        if let background { schema.background = background }
        if let ignoreIndex { schema.ignoreIndex = ignoreIndex }
        let crowdPolicy = crowd ?? presetCrowd ?? (kind == .panoptic ? .include : defaultCrowd)
        return PaintOptions(schema: schema, crowd: crowdPolicy, overlap: overlapOption ?? presetOverlap ?? .later,
                            kind: kind, unmapped: unmapped)
    }

    /// The palette `--palette` names, or the format's default when the option is absent; nil for gray maps.
    public func palette(formatDefault: String) throws -> [RGB]? {
        if paletteName != nil, let paletteFromFile { return paletteFromFile }
        let name = paletteName ?? formatDefault
        guard let named = Self.namedPalette(name) else { return try Palette.load(file: name) }
        return named
    }

    /// A built-in palette by name (`.some(nil)` for gray maps); nil when `name` is not one (a file).
    private static func namedPalette(_ name: String) -> [RGB]?? {
        switch name.lowercased() {
        case "none", "gray", "grey": return .some(nil)
        case "voc": return Palette.voc
        case "cocostuff": return Palette.cocoStuff
        default: return nil
        }
    }

    /// The name written into labels.json for the palette.
    public func paletteLabel(formatDefault: String) -> String? {
        let name = paletteName ?? formatDefault
        return name.lowercased() == "none" ? nil : name
    }

    private static func fileExists(_ path: String) -> Bool {
        FileManager.default.fileExists(atPath: path)
    }
}
