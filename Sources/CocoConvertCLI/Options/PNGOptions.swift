import ArgumentParser
import CocoConvertCore
import CocoConvertLabelMaps

/// Options of the PNG label directory reader and writer (the label options are in ``LabelOptions``).
struct PNGOptions: ParsableArguments {
    @Option(name: .customLong("categories"),
            help: "PNG input: a COCO JSON whose categories name the values (needed when the directory has no labels.json; overrides it otherwise).")
    var categories: String?

    /// Reader options from these flags and the label flags.
    func readerOptions(labels: LabelOptions, images: String?) throws -> LabelMapReaderOptions {
        let categories = try self.categories.map { try LabelMapReaderOptions.loadCategories(cocoFile: $0) }
        var schema: LabelSchema?
        if labels.labels != nil {
            // Values of a directory without labels.json mean what --labels says.
            schema = try labels.paintOptions(for: DatasetHeader(kind: .semantic, categories: categories ?? [])).schema
        }
        return LabelMapReaderOptions(categories: categories, schema: schema,
                                     palette: labels.paletteName == nil ? nil : try labels.palette(),
                                     kind: labels.kind, imagesDirectory: images)
    }
}
