import ArgumentParser
import CocoConvertCore
import CocoConvertPNG

/// How annotations become label-map pixels; shared by the PNG, VOC, HDF5 and TFRecord writers.
///
/// Defaults suit semantic-segmentation training (DeepLab, mmsegmentation): contiguous values
/// 1...N in category order, 0 background, 255 ignore, crowds left out, later annotations win.
/// `--labels coco` gives the cocostuffapi convention (value = category id).
struct LabelOptions: ParsableArguments {
    @Option(name: .customLong("labels"),
            help: "Label values: contiguous (1..N in category order; the default), coco (value = category id, cocostuffapi), cocostuff171 (mmseg COCO-Stuff train ids 0..170, 255 unlabeled), voc21 (torchvision's COCO→VOC 21 classes), or a mapping FILE (JSON {\"<category id>\": value} or lines 'id value [name]'). Label-map inputs keep their own values by default.")
    var labels: String?

    @Option(name: .customLong("crowd"), help: "iscrowd=1 annotations: skip (default; the VOC writer's default is ignore), ignore (paint the ignore index beneath objects), include (paint as normal).")
    var crowd: CrowdPolicy?

    @Option(name: .customLong("overlap"), help: "Overlapping annotations: later (later in the file wins; default), smaller (smaller objects on top), error (stop and name them), ignore (overlap pixels get the ignore index).")
    var overlap: OverlapPolicy = .later

    @Option(name: .customLong("ignore-index"), help: "Value of ignored pixels (default 255).")
    var ignoreIndex: UInt32?

    @Option(name: .customLong("background"), help: "Value of unlabeled pixels (default 0; 255 for cocostuff171).")
    var background: UInt32?

    @Option(name: .customLong("kind"), help: "Map values: semantic (one value per class; default), instance (1..K per image), panoptic (PNG output only: RGB segment ids + panoptic.json).")
    var kind: MapKind = .semantic

    @Option(name: .customLong("palette"), help: "Palette of 8-bit PNG label maps: none (gray PNGs), voc (Pascal VOC colormap), cocostuff, or a FILE (.png with a palette, .json [[r,g,b],...], or lines 'r g b'). Default: voc (palette PNGs whose indices are the labels); none writes 8-bit gray.")
    var paletteName: String?

    func validate() throws {
        for (name, value) in [("--ignore-index", ignoreIndex), ("--background", background)] {
            if let value, value > 65535 { throw ValidationError("\(name) must be 0...65535.") }
        }
    }

    /// The paint options for a dataset with `header`'s categories; `defaultCrowd` applies when
    /// `--crowd` is not given (VOC paints crowds void by default).
    ///
    /// Without `--labels`, a source that carries its own value mapping (a PNG directory's labels.json,
    /// VOC, HDF5) keeps it; otherwise values are contiguous. Built-in partial mappings (cocostuff171,
    /// voc21, files) leave unmapped categories out; `coco` and `contiguous` treat them as errors.
    func paintOptions(for header: DatasetHeader, defaultCrowd: CrowdPolicy = .skip) throws -> PaintOptions {
        var schema: LabelSchema
        var unmapped = UnmappedCategoryPolicy.fail
        switch labels?.lowercased() {
        case nil:
            if let own = header.labelSchema {
                schema = own
            } else {
                schema = .contiguous(header.categories, background: background ?? 0, ignoreIndex: ignoreIndex ?? 255)
            }
        case "contiguous":
            schema = .contiguous(header.categories, background: background ?? 0, ignoreIndex: ignoreIndex ?? 255)
        case "coco":
            schema = .cocoIDs(header.categories, background: background ?? 0, ignoreIndex: ignoreIndex ?? 255)
        case "cocostuff171":
            schema = .cocoStuff171
            unmapped = .ignore
        case "voc21":
            schema = .voc21
            unmapped = .ignore
        default:
            schema = try LabelSchema.load(file: labels ?? "", categories: header.categories,
                                          background: background ?? 0, ignoreIndex: ignoreIndex ?? 255)
            unmapped = .ignore
        }
        if let background { schema.background = background }
        if let ignoreIndex { schema.ignoreIndex = ignoreIndex }
        return PaintOptions(schema: schema, crowd: crowd ?? defaultCrowd, overlap: overlap, kind: kind, unmapped: unmapped)
    }

    /// The palette `--palette` names; `nil` for gray maps (`none`, the default).
    func palette() throws -> [RGB]? {
        try palette(formatDefault: "none")
    }

    /// The palette `--palette` names, or the format's default when the option is absent.
    func palette(formatDefault: String) throws -> [RGB]? {
        switch (paletteName ?? formatDefault).lowercased() {
        case "none", "gray", "grey": return nil
        case "voc": return Palette.voc
        case "cocostuff": return Palette.cocoStuff
        default: return try Palette.load(file: paletteName ?? formatDefault)
        }
    }

    /// The name written into labels.json for the palette.
    func paletteLabel(formatDefault: String) -> String? {
        let name = paletteName ?? formatDefault
        return name.lowercased() == "none" ? nil : name
    }
}

extension CrowdPolicy: ExpressibleByArgument {}
extension OverlapPolicy: ExpressibleByArgument {}
extension MapKind: ExpressibleByArgument {}
