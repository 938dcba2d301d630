/// How a writer puts each sample's image into its output (VOC `JPEGImages/`, YOLO `images/<split>/`).
public enum ImageMode: String, Sendable, CaseIterable {
    /// Copy the bytes.
    case copy
    /// A hard link to the source (no space used); falls back to a copy when the source is on
    /// another filesystem or the filesystem refuses links. The default.
    case hardlink
    /// A symbolic link to the source, relative to the link (`../../../coco/val2017/x.jpg`) so the tree
    /// and its images can move together.
    case symlink
    /// No `JPEGImages/` at all (labels only).
    case none
}
