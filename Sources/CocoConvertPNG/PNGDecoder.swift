import CocoConvertCore
import Foundation

/// Decodes PNG files of any colour type and depth into ``DecodedPNG``.
///
/// Thread-safe. Dimensions are checked against ``Limits`` before any pixel memory is allocated,
/// and so is the largest size the compressed data could possibly expand to.
public enum PNGDecoder {
    /// Deflate cannot expand data by more than about 1032:1; a header claiming more pixels than the
    /// file's bytes could hold is rejected before allocating.
    static let maximumDeflateRatio = 1032

    /// Decodes a PNG held in memory. Errors are ``ConversionError`` `.malformedInput` (not a PNG,
    /// corrupt or truncated) or `.limitExceeded`; `file` only labels them.
    public static func decode(_ bytes: [UInt8], limits: Limits = .standard, file: String? = nil) throws -> DecodedPNG {
        try bytes.withUnsafeBufferPointer { buffer in
            try decode(buffer, limits: limits, file: file)
        }
    }

    /// Reads and decodes a PNG file.
    public static func decode(file: String, limits: Limits = .standard) throws -> DecodedPNG {
        let bytes = try readFile(file)
        return try decode(bytes, limits: limits, file: file)
    }

    /// Decodes only the header: size, depth, colour type and palette. Cheap.
    public static func header(_ bytes: [UInt8], file: String? = nil) throws -> DecodedPNG {
        try bytes.withUnsafeBufferPointer { buffer in
            let h = try header(buffer, file: file)
            return DecodedPNG(width: h.width, height: h.height, bitDepth: h.bitDepth, fileBitDepth: h.fileBitDepth,
                              colorType: h.colorType, palette: h.palette, samples: [])
        }
    }

    static func header(_ buffer: UnsafeBufferPointer<UInt8>, file: String?) throws -> LibPNG.Header {
        do {
            return try LibPNG.readHeader(buffer)
        } catch {
            throw ConversionError(.malformedInput, "not a readable PNG: \(error.message)",
                                  context: ErrorContext(file: file),
                                  hint: "the file is corrupt, truncated or not a PNG; re-export it")
        }
    }

    static func decode(_ buffer: UnsafeBufferPointer<UInt8>, limits: Limits, file: String?) throws -> DecodedPNG {
        let h = try header(buffer, file: file)
        let context = ErrorContext(file: file)
        let (pixels, overflow) = h.width.multipliedReportingOverflow(by: h.height)
        guard !overflow, pixels <= limits.maxPixels else {
            throw ConversionError(.limitExceeded, "PNG is \(h.width)×\(h.height) pixels, more than the limit of \(limits.maxPixels)",
                                  context: context, hint: "raise the pixel limit if the image is genuine")
        }
        let (sampleCount, overflow2) = pixels.multipliedReportingOverflow(by: h.channels)
        let rawBytes = sampleCount.multipliedReportingOverflow(by: h.bitDepth / 8)
        let ceiling = buffer.count.multipliedReportingOverflow(by: maximumDeflateRatio)
        if overflow2 || rawBytes.overflow
            || (!ceiling.overflow && rawBytes.partialValue > ceiling.partialValue + (1 << 20)) {
            throw ConversionError(.malformedInput,
                                  "PNG header claims \(h.width)×\(h.height) pixels, more than \(buffer.count) bytes of compressed data can hold",
                                  context: context, hint: "the file is truncated or forged")
        }
        var failure: LibPNGFailure?
        let samples = [UInt16](unsafeUninitializedCapacity: sampleCount) { out, initialized in
            do {
                try LibPNG.decode(buffer, maxWidth: h.width, maxHeight: h.height, into: out)
                initialized = sampleCount
            } catch let error as LibPNGFailure {
                failure = error
                initialized = 0
            } catch {
                failure = LibPNGFailure(message: "\(error)")
                initialized = 0
            }
        }
        if let failure {
            throw ConversionError(.malformedInput, "PNG data is corrupt: \(failure.message)", context: context,
                                  hint: "the file is corrupt or truncated; re-export it")
        }
        return DecodedPNG(width: h.width, height: h.height, bitDepth: h.bitDepth, fileBitDepth: h.fileBitDepth,
                          colorType: h.colorType, palette: h.palette, samples: samples)
    }

    /// The whole file as bytes, or `.io` naming the file.
    static func readFile(_ path: String) throws -> [UInt8] {
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: path), options: .mappedIfSafe)
            return [UInt8](data)
        } catch {
            throw ConversionError(.io, "cannot read PNG: \(error.localizedDescription)",
                                  context: ErrorContext(file: path), hint: "check that the file exists and is readable")
        }
    }
}
