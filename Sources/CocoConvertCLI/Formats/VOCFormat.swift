import CocoConvertCore
import CocoConvertVOC

extension FormatPlugin {
    /// Pascal VOC segmentation trees (formats/voc.md).
    static let voc = FormatPlugin(
        id: .voc,
        summary: "Pascal VOC: JPEGImages, SegmentationClass/Object palette PNGs, Annotations XML, ImageSets, labelmap.txt",
        reads: "a VOC tree, its VOCdevkit parent or the directory above; palette, grayscale or RGB masks; --split picks ImageSets/Segmentation/<split>.txt",
        writes: "OUT/ (or OUT/VOCdevkit/VOC2012 with --layout devkit): masks, XML, ImageSets/{Segmentation,Main}/<split>.txt, labelmap.txt; --labels/--crowd (default ignore)/--overlap; images per --image-mode",
        makeReader: { input, options, skips in
            try VOCReader(path: input, split: options.split, skips: skips)
        },
        makeWriter: { output, options, skips in
            let labels = options.labels
            return VOCWriter(output: output,
                             options: VOCWriterOptions(layout: options.voc.layout, imageMode: options.voc.imageMode,
                                                       split: options.split,
                                                       paint: { header in try labels.paintOptions(for: header, defaultCrowd: .ignore) }),
                             skips: skips)
        })
}
