import CocoConvertCore
import CocoConvertDeflate

/// A PNG image's data before compression (PNG spec §7.3): every row prefixed with its filter type
/// byte, which is always 0 (None) here, samples of 16-bit images big-endian. Also carries the
/// Adler-32 of those bytes, which the zlib stream ends with.
///
/// Rows equal to the row above and rows of one value are checksummed without reading them again
/// (see ``Adler32``), and flagged for the encoder.
struct FilteredScanlines {
    /// `rowFlags` bit: the row equals the row above.
    static let identicalToAbove = LabelMapDeflate.rowIdenticalToAbove
    /// `rowFlags` bit: every pixel of the row has the same value.
    static let uniform = LabelMapDeflate.uniformRow

    /// `rows × stride` bytes.
    let bytes: [UInt8]
    /// Per row, ``identicalToAbove`` and ``uniform`` bits: lower bounds for match lengths that
    /// ``LabelMapDeflate`` uses instead of comparing bytes again.
    let rowFlags: [UInt8]
    /// Bytes per row including the filter byte.
    let stride: Int
    let rows: Int
    /// Bytes per pixel (1 for 8-bit gray/palette, 2 for 16-bit gray, 3 for 8-bit RGB).
    let bytesPerPixel: Int
    /// Adler-32 of `bytes`.
    let adler: UInt32

    /// One channel of `UInt16` samples, row-major, written as 8-bit (each sample must be ≤ 255)
    /// or 16-bit big-endian samples.
    ///
    /// One pass per row, while the row is in cache: convert, note whether it is uniform or equal
    /// to the row above, checksum it (uniform and repeated rows in O(1)).
    ///
    /// Throws ``ConversionError`` (`.invalidValue`) for a sample above 255 in an 8-bit image or a
    /// size that does not fit in memory.
    init(samples: UnsafeBufferPointer<UInt16>, width: Int, height: Int, sixteenBit: Bool) throws {
        let bytesPerPixel = sixteenBit ? 2 : 1
        let stride = try Self.stride(width: width, height: height, bytesPerPixel: bytesPerPixel,
                                     sampleCount: samples.count, channels: 1)
        var flags = [UInt8](repeating: 0, count: height)
        var adler = Adler32()
        let bytes = try [UInt8](unsafeUninitializedCapacity: stride * height) { buffer, initialized in
            guard let out = buffer.baseAddress, let source = samples.baseAddress else { return }
            try flags.withUnsafeMutableBufferPointer { rowFlags in
                var previous = Adler32.Segment(sum: 0, weighted: 0, length: 0)
                for y in 0..<height {
                    let row = out + y * stride
                    row[0] = 0
                    let src = source + y * width
                    var any: UInt16 = 0
                    var all: UInt16 = 0xFFFF
                    if sixteenBit {
                        let raw = UnsafeMutableRawPointer(row + 1)
                        for x in 0..<width {
                            let v = src[x]
                            any |= v
                            all &= v
                            raw.storeBytes(of: v.bigEndian, toByteOffset: 2 * x, as: UInt16.self)
                        }
                    } else {
                        let dst = row + 1
                        for x in 0..<width {
                            let v = src[x]
                            any |= v
                            all &= v
                            dst[x] = UInt8(truncatingIfNeeded: v)
                        }
                        if any > 255 {
                            initialized = 0
                            throw ConversionError(.invalidValue, "row \(y) holds a label value above 255, which does not fit an 8-bit PNG",
                                                  hint: "the label map's maxValue is stale; recompute it before encoding")
                        }
                    }
                    previous = Self.summarise(row: row, y: y, stride: stride, uniformValue: any == all ? any : nil,
                                              pixels: width, bytesPerPixel: bytesPerPixel, previous: previous,
                                              flags: &rowFlags[y])
                    adler.append(previous)
                }
            }
            initialized = stride * height
        }
        self.init(bytes: bytes, flags: flags, stride: stride, rows: height, bytesPerPixel: bytesPerPixel, adler: adler.value)
    }

    /// 8-bit samples, `channels` per pixel, row-major.
    init(bytes source: UnsafeBufferPointer<UInt8>, width: Int, height: Int, channels: Int) throws {
        let stride = try Self.stride(width: width, height: height, bytesPerPixel: channels,
                                     sampleCount: source.count, channels: channels)
        let rowBytes = stride - 1
        var flags = [UInt8](repeating: 0, count: height)
        var adler = Adler32()
        let bytes = [UInt8](unsafeUninitializedCapacity: stride * height) { buffer, initialized in
            guard let out = buffer.baseAddress, let src = source.baseAddress else { return }
            flags.withUnsafeMutableBufferPointer { rowFlags in
                var previous = Adler32.Segment(sum: 0, weighted: 0, length: 0)
                for y in 0..<height {
                    let row = out + y * stride
                    row[0] = 0
                    (row + 1).update(from: src + y * rowBytes, count: rowBytes)
                    var uniformValue: UInt16?
                    if channels == 1 {
                        var any: UInt8 = 0
                        var all: UInt8 = 0xFF
                        for x in 1...rowBytes {
                            any |= row[x]
                            all &= row[x]
                        }
                        if any == all { uniformValue = UInt16(any) }
                    }
                    previous = Self.summarise(row: row, y: y, stride: stride, uniformValue: uniformValue,
                                              pixels: width, bytesPerPixel: channels, previous: previous,
                                              flags: &rowFlags[y])
                    adler.append(previous)
                }
            }
            initialized = stride * height
        }
        self.init(bytes: bytes, flags: flags, stride: stride, rows: height, bytesPerPixel: channels, adler: adler.value)
    }

    /// The zlib stream of ``bytes`` (the content of the PNG's IDAT chunks).
    func zlibStream() -> [UInt8] {
        bytes.withUnsafeBufferPointer { data in
            rowFlags.withUnsafeBufferPointer { flags in
                LabelMapDeflate.compress(data, stride: stride, bytesPerPixel: bytesPerPixel, rowFlags: flags, adler: adler)
            }
        }
    }

    private init(bytes: [UInt8], flags: [UInt8], stride: Int, rows: Int, bytesPerPixel: Int, adler: UInt32) {
        self.bytes = bytes
        self.rowFlags = flags
        self.stride = stride
        self.rows = rows
        self.bytesPerPixel = bytesPerPixel
        self.adler = adler
    }

    /// Sets the flags of the finished row `y` at `row` and returns its Adler-32 segment, reusing
    /// `previous` (the segment of row y − 1) for a repeated row and a closed form for a uniform one.
    /// `uniformValue`: the value of every pixel when they are all equal (1 or 2 bytes per pixel).
    @inline(__always)
    private static func summarise(row: UnsafeMutablePointer<UInt8>, y: Int, stride: Int, uniformValue: UInt16?,
                                  pixels: Int, bytesPerPixel: Int, previous: Adler32.Segment,
                                  flags: inout UInt8) -> Adler32.Segment {
        var f: UInt8 = 0
        if uniformValue != nil && bytesPerPixel <= 2 { f |= uniform }
        if y > 0 && equal(row + 1, row + 1 - stride, count: stride - 1) { f |= identicalToAbove }
        flags = f
        if f & identicalToAbove != 0 { return previous }
        if let value = uniformValue, bytesPerPixel <= 2 {
            return Adler32.uniformRow(value: value, pixels: pixels, bytesPerPixel: bytesPerPixel)
        }
        return Adler32.segment(UnsafeBufferPointer(start: row, count: stride))
    }

    /// Row stride for a `width × height` image, checking the sample count and that the whole
    /// image fits in an `Int`.
    private static func stride(width: Int, height: Int, bytesPerPixel: Int, sampleCount: Int, channels: Int) throws -> Int {
        let (samples, o1) = width.multipliedReportingOverflow(by: height)
        let (expected, o2) = samples.multipliedReportingOverflow(by: channels)
        let (rowBytes, o3) = width.multipliedReportingOverflow(by: bytesPerPixel)
        let (total, o4) = (rowBytes &+ 1).multipliedReportingOverflow(by: height)
        guard width > 0, height > 0, !o1, !o2, !o3, !o4, rowBytes < Int.max, total < Int.max / 2 else {
            throw ConversionError(.invalidValue, "cannot encode a \(width)×\(height) PNG",
                                  hint: "the image is empty or too large to hold in memory")
        }
        guard sampleCount == expected else {
            throw ConversionError(.invalidValue, "PNG: \(sampleCount) samples given, \(expected) expected",
                                  hint: "the pixel buffer does not match width × height")
        }
        return rowBytes + 1
    }

    /// Whether `count` bytes at `a` and `b` are equal (8 bytes at a time).
    @inline(__always)
    static func equal(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, count: Int) -> Bool {
        let ra = UnsafeRawPointer(a)
        let rb = UnsafeRawPointer(b)
        var i = 0
        while i + 32 <= count {
            let x = (ra.loadUnaligned(fromByteOffset: i, as: UInt64.self) ^ rb.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                | (ra.loadUnaligned(fromByteOffset: i + 8, as: UInt64.self) ^ rb.loadUnaligned(fromByteOffset: i + 8, as: UInt64.self))
                | (ra.loadUnaligned(fromByteOffset: i + 16, as: UInt64.self) ^ rb.loadUnaligned(fromByteOffset: i + 16, as: UInt64.self))
                | (ra.loadUnaligned(fromByteOffset: i + 24, as: UInt64.self) ^ rb.loadUnaligned(fromByteOffset: i + 24, as: UInt64.self))
            if x != 0 { return false }
            i += 32
        }
        while i + 8 <= count {
            if ra.loadUnaligned(fromByteOffset: i, as: UInt64.self) != rb.loadUnaligned(fromByteOffset: i, as: UInt64.self) {
                return false
            }
            i += 8
        }
        while i < count {
            if a[i] != b[i] { return false }
            i += 1
        }
        return true
    }
}
