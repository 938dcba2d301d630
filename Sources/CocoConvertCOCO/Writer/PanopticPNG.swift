import CocoConvertCore

/// Encodes a plane of panoptic segment ids as the RGB PNG panopticapi reads (`id = R + 256·G + 256²·B`).
enum PanopticPNG {
    /// The PNG bytes of `plane`.
    static func encode(_ plane: LabelPlane) throws -> [UInt8] {
        throw ConversionError(.unsupported, "writing panoptic PNGs needs CocoConvertPNG's encoder, which is not in this build yet",
                              hint: "use --segmentation rle to write panoptic input as detection-style COCO")
    }
}
