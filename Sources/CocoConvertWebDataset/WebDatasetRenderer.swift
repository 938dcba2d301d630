import CocoConvertCore
import CocoConvertLabelMaps
import CocoConvertTar
import Foundation

/// The worker-thread half of ``WebDatasetWriter``: reads the image bytes, paints the label map
/// (and instance map) with the PNG writer's renderer, encodes every mask as compressed RLE, and
/// builds the sample's tar members. Immutable; shared by every worker.
public struct WebDatasetRenderer: SampleRenderer {
    let labelMap: LabelMapDirectoryRenderer
    let instanceMap: LabelMapDirectoryRenderer?
    let categoryNames: [Int64: String]
    let limits: Limits
    let skips: SkipReport

    public func render(_ sample: Sample) throws -> WebDatasetWriter.Rendered {
        let key = try WebDatasetKey.key(for: sample)
        let image = try Self.imageBytes(sample)
        let imageExt = Self.imageExtension(image, fileName: sample.fileName)
        // The instance map first: each annotation's .json records the value it got there.
        let instancePNG = try instanceMap?.render(sample)
        var annotations: [JSONValue] = []
        annotations.reserveCapacity(sample.instances.count)
        var dropped = 0
        for (index, instance) in sample.instances.enumerated() {
            do {
                annotations.append(try annotation(instance, in: sample, instanceValue: instancePNG?.instanceValues[index]))
            } catch let error as ConversionError {
                try skips.report(error.adding(ErrorContext(imageID: sample.id, annotationID: instance.id)))
                dropped += 1
            }
        }
        var tar: [UInt8] = []
        tar.reserveCapacity(image.count + 64 << 10)
        TarMemberWriter.append(name: key + "." + imageExt, contents: image, to: &tar)
        TarMemberWriter.append(name: key + ".json", contents: SampleJSON.encode(sample, key: key, annotations: annotations), to: &tar)
        TarMemberWriter.append(name: key + ".png", contents: try labelMap.render(sample).png, to: &tar)
        if let instancePNG {
            TarMemberWriter.append(name: key + ".instance.png", contents: instancePNG.png, to: &tar)
        }
        return WebDatasetWriter.Rendered(key: key, imageID: sample.id, tarBytes: tar, instances: annotations.count,
                                         droppedInstances: dropped)
    }

    /// One annotation: bbox and area as the source has them (else from the mask), the mask as
    /// compressed RLE (a compressed source string verbatim).
    private func annotation(_ instance: Instance, in sample: Sample, instanceValue: UInt32?) throws -> JSONValue {
        var mask: (height: Int, width: Int, counts: String)?
        var rle: RLE?
        switch instance.geometry {
        case .none:
            break
        case .compressedRLE(let c):
            mask = (c.height, c.width, c.counts)
            if instance.bbox == nil || instance.area == nil { rle = try RLE(c, limits: limits) }
        default:
            let r = try instance.geometry.rle(height: sample.height, width: sample.width, limits: limits)
            rle = r
            mask = (r.height, r.width, r.compressedString)
        }
        return SampleJSON.annotation(instance, categoryName: categoryNames[instance.categoryID],
                                     bbox: instance.bbox ?? rle?.boundingBox, area: instance.area ?? rle.map { Double($0.area) },
                                     mask: mask, instanceValue: instanceValue)
    }

    /// The image file's bytes as they are: never decoded or re-encoded.
    static func imageBytes(_ sample: Sample) throws -> [UInt8] {
        switch sample.image {
        case .bytes(let bytes):
            return bytes
        case .none:
            throw ConversionError(.missingFile, "the sample has no image ('\(sample.fileName)' was not found)",
                                  context: ErrorContext(imageID: sample.id),
                                  hint: "WebDataset shards carry the image bytes: pass --images DIR with the directory holding the images, or --on-error skip to leave such samples out")
        case .file(let path):
            guard let data = FileManager.default.contents(atPath: path) else {
                if !FileManager.default.fileExists(atPath: path) {
                    throw ImageFiles.missingImage(path).adding(ErrorContext(imageID: sample.id))
                }
                throw ConversionError(.io, "cannot read the image file", context: ErrorContext(file: path, imageID: sample.id),
                                      hint: "check the file's permissions")
            }
            return [UInt8](data)
        }
    }

    /// The member extension of an image: from its magic number (`jpg`, `webp`, `gif`, `bmp`, `tiff`),
    /// else from the file name. A PNG image is `image.png`, since `png` is the label map.
    static func imageExtension(_ bytes: [UInt8], fileName: String) -> String {
        if bytes.starts(with: [0xFF, 0xD8, 0xFF]) { return "jpg" }
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]) { return "image.png" }
        if bytes.count >= 12, bytes.starts(with: Array("RIFF".utf8)), bytes[8..<12].elementsEqual(Array("WEBP".utf8)) { return "webp" }
        if bytes.starts(with: Array("GIF8".utf8)) { return "gif" }
        if bytes.starts(with: [0x42, 0x4D]) { return "bmp" }
        if bytes.starts(with: [0x49, 0x49, 0x2A, 0x00]) || bytes.starts(with: [0x4D, 0x4D, 0x00, 0x2A]) { return "tiff" }
        let ext = URL(fileURLWithPath: fileName).pathExtension.lowercased()
        let safe = ext.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) } && !ext.isEmpty && ext != "png" && ext != "json"
        return safe ? ext : "img"
    }
}
