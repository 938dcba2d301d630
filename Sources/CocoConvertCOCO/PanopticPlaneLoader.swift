import CocoConvertCore

/// Reads a panoptic segment PNG into a plane of segment ids (`R + 256·G + 256²·B`).
enum PanopticPlaneLoader {
    /// Loads `path`, which must be an 8-bit RGB PNG of the given size.
    static func load(path: String, width: Int, height: Int, limits: Limits) throws -> LabelPlane {
        throw ConversionError(.unsupported, "reading panoptic PNGs needs CocoConvertPNG's decoder, which is not available yet",
                              context: ErrorContext(file: path))
    }
}
