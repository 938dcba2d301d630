import CocoConvertCore
import Foundation

/// Where things live around a COCO annotation file, by the COCO directory convention:
///
/// ```
/// coco/annotations/instances_val2017.json
/// coco/annotations/panoptic_val2017.json
/// coco/annotations/panoptic_val2017/000000000139.png   (panoptic segment PNGs)
/// coco/val2017/000000000139.jpg                         (images)
/// ```
public enum COCOLayout {
    /// The split named in an annotation file name: `instances_val2017.json` → `val2017`,
    /// `panoptic_val2017_detection_format.json` → `val2017`, `instances_train.json` → `train`;
    /// nil when no part looks like one.
    ///
    /// A split is the first `_`-separated part of the name (without extension), after the first part,
    /// that starts with `train`, `val`, `test` or `minival`.
    public static func split(ofAnnotationFile path: String) -> String? {
        let name = (path as NSString).lastPathComponent
        let stem = name.hasSuffix(".json") ? String(name.dropLast(5)) : name
        let parts = stem.split(separator: "_").dropFirst().map(String.init)
        let prefixes = ["train", "val", "test", "minival"]
        return parts.first { part in prefixes.contains { part.hasPrefix($0) } }
    }

    /// The conventional image directory for an annotation file: `<root>/<split>/` when the file is in
    /// `<root>/annotations/`, else `<dir>/<split>/` beside the file; nil without a split.
    public static func defaultImagesDirectory(forAnnotationFile path: String) -> String? {
        guard let split = split(ofAnnotationFile: path) else { return nil }
        let directory = PathText.parent(of: path)
        let parent = PathText.lastComponent(of: directory) == "annotations" ? PathText.parent(of: directory) : directory
        return PathText.join(parent, split)
    }

    /// The panoptic segment PNG directory: the annotation file's path without `.json`
    /// (`annotations/panoptic_val2017.json` → `annotations/panoptic_val2017/`).
    public static func panopticDirectory(forAnnotationFile path: String) -> String {
        path.hasSuffix(".json") ? String(path.dropLast(5)) : path + "_png"
    }

    /// `fileName` made safe to join to a directory: kept when it is a plain relative path, else its
    /// last component; nil when nothing usable is left (empty, `..`, NUL).
    public static func safeRelativePath(_ fileName: String) -> String? {
        guard !fileName.contains("\0") else { return nil }
        let parts = fileName.split(separator: "/", omittingEmptySubsequences: true)
        let plain = !fileName.hasPrefix("/") && !parts.contains("..") && !parts.contains(".")
        if plain && !parts.isEmpty { return parts.joined(separator: "/") }
        guard let last = parts.last, last != "..", last != "." else { return nil }
        return String(last)
    }
}
