import CPNGShim
import CocoConvertCore

/// The one Swift file that talks to libpng, through the C shim `CPNGShim`.
///
/// Every function here hands whole buffers to one shim call; libpng's `setjmp`/`longjmp` error
/// handling stays inside C (no Swift frame ever sits between them). A shim failure comes back as
/// `-1` plus libpng's message, which becomes a ``ConversionError``.
enum LibPNG {
    /// Header facts of an encoded PNG.
    struct Header {
        var width: Int
        var height: Int
        var fileBitDepth: Int
        var bitDepth: Int
        var colorType: PNGColorType
        var channels: Int
        var interlaced: Bool
        var palette: [RGB]?
    }

    /// What `encode` writes.
    struct EncodeRequest {
        var width: Int
        var height: Int
        var bitDepth: Int
        var colorType: PNGColorType
        var palette: [RGB]?
        var compression: PNGCompression
    }

    /// libpng's version number (10639 for 1.6.39).
    static var versionNumber: Int { Int(ccpng_version_number()) }

    private static let messageCapacity = 512

    private static func message(_ buffer: [CChar]) -> String {
        let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func colorCode(_ type: PNGColorType) -> Int32 {
        switch type {
        case .gray: Int32(CCPNG_COLOR_GRAY)
        case .grayAlpha: Int32(CCPNG_COLOR_GRAY_ALPHA)
        case .rgb: Int32(CCPNG_COLOR_RGB)
        case .rgba: Int32(CCPNG_COLOR_RGBA)
        case .palette: Int32(CCPNG_COLOR_PALETTE)
        }
    }

    private static func colorType(code: Int32) -> PNGColorType? {
        switch code {
        case Int32(CCPNG_COLOR_GRAY): .gray
        case Int32(CCPNG_COLOR_GRAY_ALPHA): .grayAlpha
        case Int32(CCPNG_COLOR_RGB): .rgb
        case Int32(CCPNG_COLOR_RGBA): .rgba
        case Int32(CCPNG_COLOR_PALETTE): .palette
        default: nil
        }
    }

    /// The palette as the shim takes it: r, g, b bytes per entry.
    private static func rgbBytes(_ palette: [RGB]?) -> [UInt8] {
        guard let palette else { return [] }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(palette.count * 3)
        for c in palette { bytes += [c.r, c.g, c.b] }
        return bytes
    }

    /// Encodes row-major samples (`UInt8` or host-order `UInt16`, channels interleaved).
    static func encode<Sample: FixedWidthInteger & UnsignedInteger>(_ request: EncodeRequest,
                                                                    samples: UnsafeBufferPointer<Sample>) throws -> [UInt8] {
        precondition(Sample.bitWidth == 8 || Sample.bitWidth == 16, "LibPNG.encode: 8- or 16-bit samples only")
        let channels = request.colorType == .rgb ? 3 : 1
        precondition(samples.count == request.width * request.height * channels, "LibPNG.encode: sample count")
        let rowStride = request.width * channels * (Sample.bitWidth / 8)
        return try write(request, sampleBytes: Int32(Sample.bitWidth / 8), level: Int32(request.compression.level),
                         strategy: Int32(request.compression.strategy.rawValue),
                         filters: Int32(request.compression.filters.rawValue), verb: "encode") { params, output, err, errCount in
            ccpng_encode(params, UnsafeRawPointer(samples.baseAddress), rowStride, output, err, errCount)
        }
    }

    /// Writes a PNG around an already compressed zlib stream of the image's filtered scanlines
    /// (``LabelMapDeflate``): libpng writes signature, IHDR, PLTE and frames the stream as IDAT
    /// chunks, then IEND. `request.compression` is not used.
    static func writeContainer(_ request: EncodeRequest, zlibStream: [UInt8]) throws -> [UInt8] {
        try zlibStream.withUnsafeBufferPointer { stream in
            try write(request, sampleBytes: 1, level: 0, strategy: 0, filters: Int32(CCPNG_FILTER_NONE),
                      verb: "write") { params, output, err, errCount in
                ccpng_write_precompressed(params, stream.baseAddress, stream.count, output, err, errCount)
            }
        }
    }

    /// Runs one shim writer (`call`) with `request`'s header and palette and the given compression
    /// settings; returns the PNG bytes, or throws naming what libpng said.
    private static func write(
        _ request: EncodeRequest, sampleBytes: Int32, level: Int32, strategy: Int32, filters: Int32, verb: String,
        _ call: (UnsafePointer<ccpng_encode_params>, UnsafeMutablePointer<ccpng_buffer>, UnsafeMutablePointer<CChar>?, Int) -> Int32
    ) throws -> [UInt8] {
        let paletteBytes = rgbBytes(request.palette)
        var output = ccpng_buffer(data: nil, size: 0, capacity: 0)
        defer { ccpng_buffer_free(&output) }
        var errorBuffer = [CChar](repeating: 0, count: messageCapacity)
        let status: Int32 = paletteBytes.withUnsafeBufferPointer { paletteBuffer in
            var params = ccpng_encode_params(
                width: UInt32(truncatingIfNeeded: request.width),
                height: UInt32(truncatingIfNeeded: request.height),
                bit_depth: Int32(request.bitDepth),
                color_type: colorCode(request.colorType),
                input_sample_bytes: sampleBytes,
                compression_level: level,
                strategy: strategy,
                filters: filters,
                palette_rgb: paletteBuffer.baseAddress,
                palette_count: Int32(request.palette?.count ?? 0))
            return errorBuffer.withUnsafeMutableBufferPointer { err in
                withUnsafeMutablePointer(to: &output) { out in call(&params, out, err.baseAddress, err.count) }
            }
        }
        guard status == 0 else {
            throw ConversionError(.library, "libpng could not \(verb) a \(request.width)×\(request.height) PNG: \(message(errorBuffer))",
                                  hint: "this is a bug in cococonvert or an out-of-memory condition; please report it")
        }
        guard let data = output.data, output.size > 0 else { return [] }
        return [UInt8](UnsafeBufferPointer(start: data, count: output.size))
    }

    /// Reads the header of an encoded PNG.
    static func readHeader(_ bytes: UnsafeBufferPointer<UInt8>) throws(LibPNGFailure) -> Header {
        var info = ccpng_info()
        var errorBuffer = [CChar](repeating: 0, count: messageCapacity)
        let status = errorBuffer.withUnsafeMutableBufferPointer { err in
            ccpng_read_info(bytes.baseAddress, bytes.count, &info, err.baseAddress, err.count)
        }
        guard status == 0 else { throw LibPNGFailure(message: message(errorBuffer)) }
        guard let type = colorType(code: info.color_type) else {
            throw LibPNGFailure(message: "unknown colour type \(info.color_type)")
        }
        var palette: [RGB]?
        if info.palette_count > 0 {
            let count = Int(info.palette_count)
            palette = withUnsafeBytes(of: info.palette_rgb) { raw in
                (0..<count).map { RGB(raw[3 * $0], raw[3 * $0 + 1], raw[3 * $0 + 2]) }
            }
        }
        return Header(width: Int(info.width), height: Int(info.height), fileBitDepth: Int(info.file_bit_depth),
                      bitDepth: Int(info.bit_depth), colorType: type, channels: Int(info.channels),
                      interlaced: info.interlaced != 0, palette: palette)
    }

    /// Decodes into `out`, which must hold exactly `width × height × channels` samples of `header`.
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>, maxWidth: Int, maxHeight: Int,
                       into out: UnsafeMutableBufferPointer<UInt16>) throws(LibPNGFailure) {
        var errorBuffer = [CChar](repeating: 0, count: messageCapacity)
        let status = errorBuffer.withUnsafeMutableBufferPointer { err in
            ccpng_decode(bytes.baseAddress, bytes.count,
                         UInt32(clamping: maxWidth), UInt32(clamping: maxHeight),
                         out.baseAddress, out.count, err.baseAddress, err.count)
        }
        guard status == 0 else { throw LibPNGFailure(message: message(errorBuffer)) }
    }
}

/// libpng's message for a failed read; ``PNGDecoder`` turns it into a ``ConversionError``.
struct LibPNGFailure: Error {
    var message: String
}
