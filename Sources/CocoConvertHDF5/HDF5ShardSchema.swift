/// Names and version of the cococonvert HDF5 shard layout (documented in `formats/hdf5.md`).
///
/// Version 1. A reader accepts a file only if its root attribute `format` is ``formatName`` and
/// `format_version` is at most ``formatVersion``. Adding datasets or attributes that old readers may
/// ignore keeps the version; renaming, removing or changing the meaning of any bumps it.
public enum HDF5ShardSchema {
    /// Value of the root attribute `format`.
    public static let formatName = "cococonvert-hdf5"
    /// Value of the root attribute `format_version` this build writes (and the newest it reads).
    public static let formatVersion: Int64 = 1
    /// File name extension of shards.
    public static let fileExtension = "h5"

    /// Root attribute names.
    enum Attribute {
        static let format = "format"
        static let formatVersion = "format_version"
        static let writer = "writer"
        static let datasetKind = "dataset_kind"
        static let split = "split"
        static let categories = "categories"
        static let labelMapping = "label_mapping"
        static let labelOptions = "label_options"
        static let labelDType = "label_dtype"
        static let ignoreIndex = "ignore_index"
        static let background = "background"
        static let padTo = "pad_to"
        static let shardIndex = "shard_index"
        static let shardCount = "shard_count"
        static let sampleOffset = "sample_offset"
        static let shardSamples = "shard_samples"
        static let shardInstances = "shard_instances"
        static let totalSamples = "total_samples"
        static let info = "info"
        static let licenses = "licenses"
        static let datasetExtra = "dataset_extra"
    }

    /// Dataset names (paths from the root).
    enum Dataset {
        static let labels = "labels"
        static let heights = "heights"
        static let widths = "widths"
        static let imageIDs = "image_ids"
        static let fileNames = "file_names"
        static let imageExtra = "image_extra"
        static let instanceStart = "instance_start"
        static let instanceCount = "instance_count"
        static let images = "images"
        /// Panoptic sources only: the segment PNG name and the other members of each image's record.
        static let panopticFileNames = "panoptic_file_names"
        static let panopticExtra = "panoptic_extra"

        static let instSampleIndex = "instances/sample_index"
        static let instID = "instances/id"
        static let instHasID = "instances/has_id"
        static let instCategoryID = "instances/category_id"
        static let instIsCrowd = "instances/iscrowd"
        static let instBBox = "instances/bbox"
        static let instArea = "instances/area"
        static let instScore = "instances/score"
        static let instSegmentationKind = "instances/segmentation_kind"
        static let instRLE = "instances/rle"
        static let instRLESize = "instances/rle_size"
        /// Polygon JSON texts of all instances, concatenated (UTF-8 bytes, deflated).
        static let instPolygonsJSON = "instances/polygons_json"
        /// End offset of each instance's text in `polygons_json` (its start is the previous end).
        static let instPolygonsEnd = "instances/polygons_end"
        static let instExtra = "instances/extra"
    }

    /// `instances/segmentation_kind`: what the source had, so COCO output restores the same form.
    enum SegmentationKind: UInt8 {
        /// No mask (`rle` is empty).
        case none = 0
        /// Polygons (`polygons_json` holds them as JSON; `rle` their rasterisation).
        case polygons = 1
        /// Uncompressed RLE (COCO crowd form; `rle` holds the same counts compressed).
        case uncompressedRLE = 2
        /// Compressed RLE string (or a mask from a label map), in `rle`.
        case compressedRLE = 3
    }
}
