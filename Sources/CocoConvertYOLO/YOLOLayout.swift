/// Where things live in an Ultralytics YOLO dataset (formats/yolo.md):
///
/// ```
/// OUT/data.yaml
/// OUT/images/<split>/<file name>
/// OUT/labels/<split>/<file name without its last extension>.txt
/// ```
///
/// Ultralytics finds a label file by replacing the last `/images/` of the image path with
/// `/labels/` and the extension with `.txt`; the names here follow that rule.
public struct YOLOLayout: Sendable {
    public let root: String
    public let split: String

    public init(root: String, split: String) {
        self.root = root
        self.split = split
    }

    public static let dataFileName = "data.yaml"

    public var dataFile: String { root + "/" + Self.dataFileName }
    public var imagesDirectory: String { root + "/images/" + split }
    public var labelsDirectory: String { root + "/labels/" + split }
    /// `images/<split>`, as data.yaml names it (relative to the dataset root).
    public var relativeImagesDirectory: String { "images/" + split }

    /// The label file of an image file name (its last extension replaced by `.txt`).
    public static func labelName(forImageName name: String) -> String {
        if let dot = name.lastIndex(of: "."), dot != name.startIndex {
            return String(name[..<dot]) + ".txt"
        }
        return name + ".txt"
    }

    /// The data.yaml key a split is listed under: `train2017` → `train`, `val2017`/`minival` → `val`,
    /// `test-dev` → `test`; anything else → `val`.
    public static func dataKey(forSplit split: String) -> String {
        let lower = split.lowercased()
        if lower.hasPrefix("train") { return "train" }
        if lower.hasPrefix("test") { return "test" }
        return "val"
    }
}
