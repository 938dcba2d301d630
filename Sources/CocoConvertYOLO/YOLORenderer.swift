import CocoConvertCore

/// Formats one sample's label file; immutable, used from every worker.
public struct YOLORenderer: SampleRenderer {
    /// One sample, ready to write.
    public struct Rendered: Sendable {
        let imageID: Int64
        /// The image's file name in `images/<split>/`.
        let imageName: String
        let labelName: String
        let image: ImageSource
        let label: [UInt8]
        let instances: Int
        let crowdsLeftOut: Int
        let unmapped: Int
        let emptyMasks: Int
    }

    let options: YOLOWriterOptions
    let classes: YOLOClassMap

    public func render(_ sample: Sample) throws -> Rendered {
        let context = ErrorContext(imageID: sample.id, field: "file_name")
        let imageName = try SafePath.component(sample.fileName, context: context)
        guard sample.width > 0, sample.height > 0 else {
            throw ConversionError(.invalidValue, "image is \(sample.width)×\(sample.height)", context: ErrorContext(imageID: sample.id),
                                  hint: "YOLO coordinates are normalised by the image size, which must be known")
        }
        if options.imageMode != .none {
            switch sample.image {
            case .file(let path):
                if !InputProbe.fileExists(path) {
                    throw ConversionError(.missingFile, "image file not found", context: ErrorContext(file: path, imageID: sample.id),
                                          hint: "pass --images DIR, use --image-mode none, or --on-error skip")
                }
            case .bytes: break
            case .none:
                throw ConversionError(.missingFile, "no image file for \(jsonString(sample.fileName))", context: context,
                                      hint: "pass --images DIR, use --image-mode none, or --on-error skip")
            }
        }
        var label: [UInt8] = []
        var written = 0, crowds = 0, unmapped = 0, empty = 0
        for instance in sample.instances {
            if instance.isCrowd && !options.includeCrowds {
                crowds += 1
                continue
            }
            guard let classIndex = classes.index(ofCategory: instance.categoryID) else {
                unmapped += 1
                continue
            }
            let instanceContext = ErrorContext(imageID: sample.id, annotationID: instance.id)
            let coordinates: [Double]
            do {
                coordinates = try ring(of: instance, in: sample)
            } catch let error as ConversionError {
                throw error.adding(instanceContext)
            }
            guard !coordinates.isEmpty else {
                empty += 1
                continue
            }
            label.append(contentsOf: String(classIndex).utf8)
            for (position, value) in coordinates.enumerated() {
                label.append(UInt8(ascii: " "))
                let size = position % 2 == 0 ? sample.width : sample.height
                let micro = options.task == .detect ? YOLOCoordinates.nearest(value, size: size) : YOLOCoordinates.micro(value, size: size)
                YOLOCoordinates.append(micro, to: &label)
            }
            label.append(UInt8(ascii: "\n"))
            written += 1
        }
        return Rendered(imageID: sample.id, imageName: imageName, labelName: YOLOLayout.labelName(forImageName: imageName),
                        image: options.imageMode == .none ? .none : sample.image, label: label, instances: written,
                        crowdsLeftOut: crowds, unmapped: unmapped, emptyMasks: empty)
    }

    /// The numbers after the class index, in pixels: `cx cy w h` (detect) or one ring `x1 y1 …` (segment).
    private func ring(of instance: Instance, in sample: Sample) throws -> [Double] {
        if case .none = instance.geometry {
            // A box-only annotation: the box itself (as a rectangle for segmentation).
            guard let box = instance.bbox, box.width > 0, box.height > 0 else { return [] }
            return options.task == .detect ? Self.centreBox(box)
                : [box.x, box.y, box.x + box.width, box.y, box.x + box.width, box.y + box.height, box.x, box.y + box.height]
        }
        // One polygon inside the image is its own exact ring: pycocotools rasterises the line read
        // back to the same mask, since every coordinate keeps its rasteriser step (YOLOCoordinates).
        if options.task == .segment, options.simplify == 0, case .polygons(let parts) = instance.geometry, parts.count == 1,
           Self.isInside(parts[0], width: sample.width, height: sample.height) {
            return parts[0]
        }
        let rle = try instance.geometry.rle(height: sample.height, width: sample.width)
        guard rle.area > 0 else { return [] }
        if options.task == .detect {
            return Self.centreBox(rle.boundingBox)
        }
        return try MaskPolygons.singleRing(rle, simplify: options.simplify)
    }

    /// Whether a flat polygon has at least 3 points, all finite and within the image (a polygon
    /// reaching outside is clipped by the rasteriser, so it is traced from its mask instead).
    private static func isInside(_ polygon: [Double], width: Int, height: Int) -> Bool {
        guard polygon.count >= 6, polygon.count % 2 == 0 else { return false }
        for (index, value) in polygon.enumerated() {
            guard value.isFinite, value >= 0, value <= Double(index % 2 == 0 ? width : height) else { return false }
        }
        return true
    }

    private static func centreBox(_ box: BoundingBox) -> [Double] {
        [box.x + box.width / 2, box.y + box.height / 2, box.width, box.height]
    }
}
