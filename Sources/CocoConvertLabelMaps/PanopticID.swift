/// COCO panoptic segment ids in RGB PNGs: `id = R + 256·G + 256²·B` (panopticapi `rgb2id`).
enum PanopticID {
    /// The three bytes of `id`.
    static func rgb(_ id: UInt32) -> (UInt8, UInt8, UInt8) {
        (UInt8(id & 0xff), UInt8((id >> 8) & 0xff), UInt8((id >> 16) & 0xff))
    }

    static func id(_ r: UInt16, _ g: UInt16, _ b: UInt16) -> UInt32 {
        UInt32(r & 0xff) | UInt32(g & 0xff) << 8 | UInt32(b & 0xff) << 16
    }
}
