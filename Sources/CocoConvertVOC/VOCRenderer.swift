import CocoConvertCore
import CocoConvertPNG
import Foundation

/// The worker-thread half of ``VOCWriter``: paints the class and object maps, encodes both PNGs
/// and the XML, and reads the image's JPEG header.
///
/// Immutable once ``VOCWriter/begin(_:)`` has made it, and shared by every worker thread.
public struct VOCRenderer: SampleRenderer {
    let options: VOCWriterOptions
    let painter: VOCPainter
    /// Class names by value (index into labelmap.txt).
    let classNames: [String]
    /// Palette of the class PNGs (the labelmap.txt colours, then the VOC colormap).
    let classPalette: [RGB]
    /// `<folder>` of every XML, as in the devkit's files (independent of the output path).
    let folder = "VOC2012"

    public func render(_ sample: Sample) throws -> VOCWriter.Rendered {
        let context = ErrorContext(imageID: sample.id)
        let item = try VOCLayout.itemName(forFileName: sample.fileName, imageID: sample.id)
        guard sample.width > 0, sample.height > 0 else {
            throw ConversionError(.invalidValue, "image is \(sample.width)×\(sample.height)", context: context,
                                  hint: "VOC masks need the image's real size")
        }
        var depth = 3
        var sizeDiffers = false
        var imageFile: String?
        var image = sample.image
        if options.imageMode != .none {
            switch sample.image {
            case .file(let path):
                guard FileManager.default.fileExists(atPath: path) else {
                    throw ImageFiles.missingImage(path).adding(context)
                }
                imageFile = item + VOCWriter.fileExtension(path, fallback: sample.fileName)
                if let jpeg = JPEGHeader(file: path) {
                    depth = jpeg.components
                    sizeDiffers = jpeg.width != sample.width || jpeg.height != sample.height
                }
            case .bytes:
                imageFile = item + VOCWriter.fileExtension(sample.fileName, fallback: "")
            case .none:
                throw ConversionError(.missingFile, "no image file for \(jsonString(sample.fileName))", context: context,
                                      hint: "pass --images DIR, use --image-mode none, or --on-error skip")
            }
        } else {
            image = .none
        }

        let painted = try painter.paint(sample)
        let classPNG = try PNGEncoder.encode(labelMap: painted.classMap, palette: classPalette, compression: options.compression)
        let objectPNG = try PNGEncoder.encode(labelMap: painted.objectMap, palette: Palette.voc, compression: options.compression)

        var objects: [VOCObject] = []
        objects.reserveCapacity(painted.indexed.count + painted.unindexed.count)
        for (group, isIndexed) in [(painted.indexed, true), (painted.unindexed, false)] {
            for object in group {
                let instance = sample.instances[object.instance]
                let value = Int(object.classValue)
                // Every listed object has a box (Datumaro requires one): an indexed instance with neither
                // an annotated box nor pixels gets the first pixel's.
                guard let source = instance.bbox ?? object.ownedBox ?? (isIndexed ? BoundingBox(x: 0, y: 0, width: 1, height: 1) : nil) else {
                    continue
                }
                let box = VOCBox(source, width: sample.width, height: sample.height)
                let truncated = box.xmin <= 1 || box.ymin <= 1 || box.xmax >= Double(sample.width) || box.ymax >= Double(sample.height)
                let occluded = isIndexed && Double(object.owned) + 0.5 < (instance.area ?? 0)
                objects.append(VOCObject(name: value < classNames.count ? classNames[value] : "class_\(value)",
                                         truncated: truncated, difficult: instance.isCrowd && !isIndexed, occluded: occluded, box: box,
                                         attributes: instance.isCrowd ? [VOCAttribute(name: "is_crowd", value: "1")] : []))
            }
        }
        let annotation = VOCAnnotation(folder: folder, filename: imageFile ?? item + VOCWriter.fileExtension(sample.fileName, fallback: ""),
                                       width: sample.width, height: sample.height, depth: depth, segmented: true, objects: objects)
        return VOCWriter.Rendered(imageID: sample.id, item: item, classPNG: classPNG, objectPNG: objectPNG,
                                  xml: Array(annotation.xmlText().utf8), image: image, imageFile: imageFile,
                                  instances: painted.indexed.count, imageSizeDiffers: sizeDiffers)
    }
}
