import CocoConvertCOCO
import CocoConvertCore

extension FormatPlugin {
    /// COCO JSON: instances, COCO-Stuff, results lists and panoptic, read and written as streams.
    static let coco = FormatPlugin(
        id: .coco,
        summary: "COCO JSON annotation files (streamed; memory does not grow with the file)",
        reads: "instances (polygons, crowd RLE), COCO-Stuff (compressed RLE), results lists, panoptic (JSON + segment PNGs)",
        writes: "COCO JSON: --segmentation keep|rle|polygon, --recompute, --annotation-ids keep|renumber; panoptic stays panoptic with keep",
        makeReader: { input, options, skips in
            try COCOReader(path: input, imagesDirectory: options.images, skips: skips)
        },
        makeWriter: { output, options, _ in
            COCOWriter(path: output, options: options.coco.writerOptions)
        })
}
