import CocoConvertCore
import Foundation

/// The worker-thread half of ``HDF5ShardWriter``: paints the label map, cuts it into filtered
/// chunks, encodes the instance masks and reads the image file.
///
/// Immutable once ``HDF5ShardWriter/begin(_:)`` has made it, and shared by every worker thread.
public struct HDF5ShardRenderer: SampleRenderer {
    let options: HDF5WriterOptions
    /// The label setup decided from the header (its painter is `@Sendable`).
    let setup: HDF5LabelSetup
    let chunker: LabelChunker

    /// Paints, chunks and compresses the label map, encodes the instances, reads the image (any thread).
    public func render(_ sample: Sample) throws -> HDF5ShardWriter.Rendered {
        let context = ErrorContext(imageID: sample.id)
        guard let height = Int32(exactly: sample.height), let width = Int32(exactly: sample.width), height >= 0, width >= 0 else {
            throw ConversionError(.invalidValue, "image size \(sample.width)x\(sample.height) is invalid", context: context)
        }
        if let pad = options.padTo, sample.height > pad.height || sample.width > pad.width {
            throw ConversionError(.sizeMismatch, "image is \(sample.height)x\(sample.width) (HxW), larger than --pad-to \(pad)",
                                  context: context, hint: "raise --pad-to or leave --pad-to out to pad per shard")
        }
        let painted = try setup.painter(sample)
        guard painted.width == sample.width, painted.height == sample.height,
              painted.pixels.count == painted.width * painted.height else {
            throw ConversionError(.sizeMismatch, "label map is \(painted.width)x\(painted.height), image is \(sample.width)x\(sample.height)",
                                  context: context)
        }
        let (chunks, tooLarge) = chunker.chunks(pixels: painted.pixels, width: painted.width, height: painted.height)
        if let tooLarge {
            throw ConversionError(.unsupported, "label value \(tooLarge) does not fit this run's \(chunker.type.rawValue) labels",
                                  context: context,
                                  hint: "the label mapping should list every value; pass a mapping whose values fit, or a 16-bit kind")
        }
        let instances = try sample.instances.map { try InstanceRecord($0, in: sample, limits: options.limits) }
        var image: [UInt8]?
        if options.embedImages { image = try imageBytes(sample) }
        return HDF5ShardWriter.Rendered(imageID: sample.id, fileName: sample.fileName, height: height, width: width,
                                        imageExtra: HeaderJSON.object(from: sample.extra),
                                        panoptic: sample.panoptic.map { ($0.fileName, HeaderJSON.object(from: $0.extra)) },
                                        chunks: chunks, instances: instances, image: image)
    }

    private func imageBytes(_ sample: Sample) throws -> [UInt8] {
        switch sample.image {
        case .bytes(let b):
            return b
        case .none:
            throw ConversionError(.missingFile, "no image to embed", context: ErrorContext(imageID: sample.id),
                                  hint: "give the image directory with --images, or do not embed images")
        case .file(let path):
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
                  let size = attributes[.size] as? Int else {
                throw ConversionError(.missingFile, "image file not found", context: ErrorContext(file: path, imageID: sample.id),
                                      hint: "give the image directory with --images, or do not embed images")
            }
            guard size <= options.maxImageBytes else {
                throw ConversionError(.limitExceeded, "image file has \(size) bytes, more than \(options.maxImageBytes)",
                                      context: ErrorContext(file: path, imageID: sample.id))
            }
            guard let data = FileManager.default.contents(atPath: path) else {
                throw ConversionError(.io, "cannot read the image file", context: ErrorContext(file: path, imageID: sample.id))
            }
            return [UInt8](data)
        }
    }
}
