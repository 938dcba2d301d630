import CocoConvertCore
import Foundation

/// Options of ``LabelMapDirectoryReader``; everything is optional when the directory has a `labels.json`.
public struct LabelMapReaderOptions: Sendable {
    /// Categories to use instead of those in `labels.json` (e.g. from `--category-file FILE`).
    public var categories: [Category]?
    /// Value → category mapping when there is no `labels.json` (default: value = category id,
    /// the cocostuffapi convention, with the given categories).
    public var schema: LabelSchema?
    /// Colormap for RGB-coloured label PNGs (index = value); default: the colours in `labels.json`.
    public var palette: [RGB]?
    /// What the values mean when there is no `labels.json` (default semantic).
    public var kind: MapKind?
    /// Where the images are (`Sample.image` is set when the file exists).
    public var imagesDirectory: String?
    public var limits: Limits

    public init(categories: [Category]? = nil, schema: LabelSchema? = nil, palette: [RGB]? = nil, kind: MapKind? = nil,
                imagesDirectory: String? = nil, limits: Limits = .standard) {
        self.categories = categories
        self.schema = schema
        self.palette = palette
        self.kind = kind
        self.imagesDirectory = imagesDirectory
        self.limits = limits
    }

    /// The `categories` of a COCO JSON file (`--category-file FILE`).
    public static func loadCategories(cocoFile path: String) throws -> [Category] {
        let context = ErrorContext(file: path, field: "categories")
        let root: Any
        do {
            root = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw ConversionError(.malformedInput, "cannot read categories: \(error.localizedDescription)", context: context,
                                  hint: "give a COCO JSON file with a categories array")
        }
        let list = (root as? [String: Any])?["categories"] as? [Any] ?? (root as? [Any])
        guard let list else {
            throw ConversionError(.invalidValue, "no categories array", context: context,
                                  hint: "give a COCO JSON file with a categories array")
        }
        return try list.enumerated().map { i, item in
            guard let o = item as? [String: Any], let n = o["id"] as? NSNumber, let id = Int64(exactly: n.doubleValue) else {
                throw ConversionError(.invalidValue, "categories[\(i)] has no integer id", context: context)
            }
            var color: RGB?
            if let c = o["color"] as? [NSNumber], c.count == 3,
               let r = UInt8(exactly: c[0].doubleValue), let g = UInt8(exactly: c[1].doubleValue), let b = UInt8(exactly: c[2].doubleValue) {
                color = RGB(r, g, b)
            }
            return Category(id: id, name: o["name"] as? String ?? "category_\(id)", supercategory: o["supercategory"] as? String,
                            isThing: (o["isthing"] as? NSNumber).map { $0.intValue != 0 }, color: color)
        }
    }
}
