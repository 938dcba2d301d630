import CocoConvertCore
import CocoConvertVOC

extension FormatPlugin {
    /// Pascal VOC segmentation trees (formats/voc.md).
    static let voc = FormatPlugin(
        id: .voc,
        summary: "Pascal VOC: JPEGImages, SegmentationClass/Object palette PNGs, Annotations XML, ImageSets, labelmap.txt",
        reads: "a VOC tree, its VOCdevkit parent or the directory above; palette, grayscale or RGB masks; --split picks ImageSets/Segmentation/<split>.txt",
        writes: "OUT/ (or OUT/VOCdevkit/VOC2012 with --layout devkit): masks, XML, ImageSets/{Segmentation,Main}/<split>.txt, labelmap.txt; images per --image-mode",
        makeReader: { input, options, skips in
            try VOCReader(path: input, split: options.split, skips: skips)
        },
        makeWriter: { output, options, skips in
            // Class mapping, crowd and overlap rules are the writer's defaults (the source's mapping or
            // contiguous ids, crowds void, later wins) until LabelOptions carries --labels/--crowd/--overlap.
            VOCWriter(output: output,
                      options: VOCWriterOptions(layout: options.voc.layout, imageMode: options.voc.imageMode,
                                                split: options.split),
                      skips: skips)
        })
}
