/// Where a sample's image bytes live. Images pass through as bytes; cococonvert never decodes them.
public enum ImageSource: Sendable, Hashable {
    /// A file on disk (absolute or relative to the working directory).
    case file(String)
    /// Encoded bytes already in memory (embedded in an HDF5 shard or a TFRecord).
    case bytes([UInt8])
    /// No image is available.
    case none
}

/// The panoptic annotation record of one image (`annotations[i]` of a panoptic JSON).
public struct PanopticRecord: Sendable {
    /// The segment PNG's file name as the JSON has it.
    public var fileName: String
    /// Members of the record other than `image_id`, `file_name`, `segments_info`.
    public var extra: [ExtraField]

    public init(fileName: String, extra: [ExtraField] = []) {
        self.fileName = fileName
        self.extra = extra
    }
}

/// One image and all of its annotations: the unit that flows through a conversion.
///
/// Readers produce samples one at a time; a whole dataset is never held in memory.
public struct Sample: Sendable {
    /// The image id as the source has it.
    public var id: Int64
    /// The image's file name as the source has it (may contain directories; writers sanitise it).
    public var fileName: String
    public var width: Int
    public var height: Int
    public var image: ImageSource
    /// Annotations in source order (the order "later wins" painting refers to).
    public var instances: [Instance]
    /// Members of the image record beyond `id`, `file_name`, `width`, `height`.
    public var extra: [ExtraField]
    /// Set when the sample came from a panoptic dataset.
    public var panoptic: PanopticRecord?

    public init(id: Int64, fileName: String, width: Int, height: Int, image: ImageSource = .none,
                instances: [Instance] = [], extra: [ExtraField] = [], panoptic: PanopticRecord? = nil) {
        self.id = id
        self.fileName = fileName
        self.width = width
        self.height = height
        self.image = image
        self.instances = instances
        self.extra = extra
        self.panoptic = panoptic
    }

    /// The file name's last path component without its extension: `a/b/000000139.jpg` → `000000139`.
    public var stem: String {
        let last = fileName.split(separator: "/", omittingEmptySubsequences: true).last.map(String.init) ?? fileName
        if let dot = last.lastIndex(of: "."), dot != last.startIndex {
            return String(last[..<dot])
        }
        return last
    }
}
