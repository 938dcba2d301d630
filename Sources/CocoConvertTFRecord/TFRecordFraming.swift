import CocoConvertCore

/// The TFRecord frame: how each record is laid out in a `.tfrecord` file.
///
/// Every record is, little-endian: `UInt64 length`, `UInt32 masked CRC-32C of those 8 bytes`,
/// `length` bytes of payload, `UInt32 masked CRC-32C of the payload` (TensorFlow's
/// `record_writer.h`). There is no file header; a file is frames back to back.
///
/// ```swift
/// var file: [UInt8] = []
/// TFRecordFraming.appendFrame(Array("hello".utf8), to: &file)
/// // 05000000 00000000 eab2043e 68656c6c6f bb1f1c19
/// let payloads = try TFRecordFraming.decodeRecords(file)   // [[0x68, 0x65, 0x6c, 0x6c, 0x6f]]
/// ```
public enum TFRecordFraming {
    /// Bytes before the payload: length and its CRC.
    public static let headerSize = 12
    /// Bytes after the payload: its CRC.
    public static let footerSize = 4
    /// Bytes a frame adds to its payload.
    public static let overhead = headerSize + footerSize

    /// Appends one framed record to `out`.
    public static func appendFrame(_ payload: [UInt8], to out: inout [UInt8]) {
        out.append(contentsOf: frame(payload))
    }

    /// One framed record whose payload `body` appends to the buffer it is given, so a large
    /// payload is written once, in place, instead of being built and then copied into the frame.
    ///
    /// ```swift
    /// let frame = TFRecordFraming.frame { example.appendSerialized(to: &$0) }
    /// ```
    public static func frame(_ body: (inout [UInt8]) throws -> Void) rethrows -> [UInt8] {
        var out = [UInt8](repeating: 0, count: headerSize)
        try body(&out)
        let length = UInt64(out.count - headerSize)
        out.withUnsafeMutableBytes { raw in
            raw.storeBytes(of: length.littleEndian, toByteOffset: 0, as: UInt64.self)
            let lengthCRC = CRC32C.mask(CRC32C.checksum(UnsafeRawBufferPointer(rebasing: raw[0..<8])))
            raw.storeBytes(of: lengthCRC.littleEndian, toByteOffset: 8, as: UInt32.self)
        }
        let payloadCRC = out.withUnsafeBytes { CRC32C.mask(CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[headerSize...]))) }
        appendLittleEndian(payloadCRC, to: &out)
        return out
    }

    /// One framed record.
    public static func frame(_ payload: [UInt8]) -> [UInt8] {
        frame { $0.append(contentsOf: payload) }
    }

    /// The payloads of every record in an in-memory TFRecord file, each CRC verified.
    ///
    /// - Throws: `ConversionError` (`malformedInput`) naming the record index and its byte offset
    ///   when a CRC does not match or the bytes end inside a record.
    public static func decodeRecords(_ bytes: [UInt8], file: String? = nil,
                                     maxRecordBytes: Int = Int(Int32.max)) throws -> [[UInt8]] {
        var records: [[UInt8]] = []
        var offset = 0
        var index = 0
        while offset < bytes.count {
            let remaining = bytes.count - offset
            let length: Int = try bytes[offset..<min(bytes.count, offset + headerSize)].withUnsafeBytes {
                try checkHeader($0, remainingBytes: Int64(remaining), maxRecordBytes: maxRecordBytes,
                                index: index, offset: Int64(offset), file: file)
            }
            let payloadStart = offset + headerSize
            let payload = Array(bytes[payloadStart..<(payloadStart + length)])
            try bytes[(payloadStart + length)..<(payloadStart + length + footerSize)].withUnsafeBytes { footer in
                try payload.withUnsafeBytes { p in
                    try checkPayload(p, footer: footer, index: index, offset: Int64(offset), file: file)
                }
            }
            records.append(payload)
            offset = payloadStart + length + footerSize
            index += 1
        }
        return records
    }

    /// Validates a frame header and returns the payload length.
    ///
    /// - Parameters:
    ///   - header: the bytes at the frame start (fewer than 12 when the file ends early).
    ///   - remainingBytes: bytes from the frame start to the end of the file.
    static func checkHeader(_ header: UnsafeRawBufferPointer, remainingBytes: Int64, maxRecordBytes: Int,
                            index: Int, offset: Int64, file: String?) throws -> Int {
        let where_ = ErrorContext(file: file, byteOffset: Int(clamping: offset), field: "record \(index)")
        guard header.count >= headerSize else {
            throw ConversionError(.malformedInput,
                                  "file ends inside the header of record \(index) (\(header.count) of 12 bytes)",
                                  context: where_, hint: "the file is truncated; write it again")
        }
        let length = header.loadUnaligned(as: UInt64.self).littleEndian
        let stored = header.loadUnaligned(fromByteOffset: 8, as: UInt32.self).littleEndian
        let computed = CRC32C.mask(CRC32C.checksum(UnsafeRawBufferPointer(rebasing: header[0..<8])))
        guard stored == computed else {
            var hint = "the file is corrupt or not a TFRecord file"
            if index == 0, header[0] == 0x1F, header[1] == 0x8B {
                hint = "this looks like a GZIP-compressed TFRecord; decompress it first (gunzip)"
            } else if index == 0, header[0] == 0x78 {
                hint = "this may be a ZLIB-compressed TFRecord, which is not supported; decompress it first"
            }
            throw ConversionError(.malformedInput,
                                  "record \(index): length CRC mismatch at byte \(offset + 8) (stored \(hex(stored)), computed \(hex(computed)))",
                                  context: where_, hint: hint)
        }
        let available = remainingBytes - Int64(overhead)
        guard length <= UInt64(max(0, available)) else {
            throw ConversionError(.malformedInput,
                                  "record \(index) declares \(length) payload bytes but only \(max(0, available)) remain",
                                  context: where_, hint: "the file is truncated; write it again")
        }
        guard length <= UInt64(maxRecordBytes) else {
            throw ConversionError(.limitExceeded,
                                  "record \(index) has \(length) payload bytes, above the limit of \(maxRecordBytes)",
                                  context: where_)
        }
        return Int(length)
    }

    /// Verifies the payload CRC of a frame.
    static func checkPayload(_ payload: UnsafeRawBufferPointer, footer: UnsafeRawBufferPointer,
                             index: Int, offset: Int64, file: String?) throws {
        let stored = footer.loadUnaligned(as: UInt32.self).littleEndian
        let computed = CRC32C.mask(CRC32C.checksum(payload))
        guard stored == computed else {
            throw ConversionError(.malformedInput,
                                  "record \(index): data CRC mismatch at byte \(offset + Int64(headerSize) + Int64(payload.count)) (stored \(hex(stored)), computed \(hex(computed)))",
                                  context: ErrorContext(file: file, byteOffset: Int(clamping: offset), field: "record \(index)"),
                                  hint: "the file is corrupt; write it again")
        }
    }

    static func appendLittleEndian<T: FixedWidthInteger>(_ value: T, to out: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { out.append(contentsOf: $0) }
    }

    static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return "0x" + String(repeating: "0", count: 8 - digits.count) + digits
    }
}
