import CocoConvertCore
import Foundation

/// Reads the records of one `.tfrecord` file in order, verifying both CRCs of every frame.
///
/// Memory is one record plus a buffer of 64 KiB (or the file's size, when smaller). Sizes are checked against the file size before
/// anything is allocated, so a corrupt length cannot make the reader allocate gigabytes.
///
/// ```swift
/// let reader = try TFRecordFileReader(path: "train-00000-of-00004.tfrecord")
/// while let payload = try reader.next() { /* a serialized tf.train.Example */ }
/// ```
public final class TFRecordFileReader {
    /// The file being read.
    public let path: String
    /// Index of the record the next call to ``next()`` returns (0-based).
    public private(set) var recordIndex = 0
    /// Byte offset of the record the next call to ``next()`` returns.
    public private(set) var offset: Int64 = 0
    /// Byte offset of the record last returned by ``next()``.
    public private(set) var lastRecordOffset: Int64 = 0
    /// Size of the file when it was opened.
    public let fileSize: Int64
    private let maxRecordBytes: Int
    private let fd: Int32
    private var buffer: [UInt8]
    private var bufferStart = 0
    private var bufferEnd = 0
    /// Set after a framing error (bad length CRC, truncation): record boundaries are lost.
    public private(set) var isBroken = false

    /// Opens `path` for reading.
    ///
    /// - Parameter maxRecordBytes: records longer than this are refused (`limitExceeded`).
    /// - Throws: `ConversionError` (`io`) when the file cannot be opened.
    public init(path: String, maxRecordBytes: Int = Int(Int32.max)) throws {
        self.path = path
        self.maxRecordBytes = maxRecordBytes
        let fd = POSIX.openForReading(path)
        guard fd >= 0 else {
            throw ConversionError(.io, "cannot open: \(String(cString: strerror(errno)))",
                                  context: ErrorContext(file: path))
        }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            POSIX.closeFile(fd)
            throw ConversionError(.io, "cannot stat: \(String(cString: strerror(errno)))",
                                  context: ErrorContext(file: path))
        }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            POSIX.closeFile(fd)
            throw ConversionError(.io, "is a directory, not a TFRecord file", context: ErrorContext(file: path))
        }
        self.fd = fd
        self.fileSize = Int64(info.st_size)
        // A small file gets a buffer its size: opening a shard of a few records stays cheap.
        self.buffer = [UInt8](repeating: 0, count: Int(clamping: min(Int64(1 << 16), max(Int64(info.st_size), 64))))
    }

    deinit {
        if fd >= 0 { POSIX.closeFile(fd) }
    }

    /// The payload of the next record, or `nil` at the end of the file.
    ///
    /// - Throws: `ConversionError` naming the file, the record index and its byte offset when a
    ///   CRC does not match, the file ends inside a record, or reading fails. After a bad payload
    ///   CRC the reader has moved past that record and can go on; after a bad length or a
    ///   truncation it cannot (``isBroken``), and further calls return nil.
    public func next() throws -> [UInt8]? {
        guard offset < fileSize, !isBroken else { return nil }
        payloadWasRead = false
        do {
            return try readRecord()
        } catch {
            if payloadWasRead {
                // Only the payload CRC failed: the frame's extent is known, go on after it.
                lastRecordOffset = offset
                offset = fileOffsetAfterPayload
                recordIndex += 1
            } else {
                isBroken = true
            }
            throw error
        }
    }

    /// Whether the current record's header, payload and footer were read (so only a CRC can fail).
    private var payloadWasRead = false

    /// Offset just past the record being read (valid once its header has been checked).
    private var fileOffsetAfterPayload: Int64 = 0

    private func readRecord() throws -> [UInt8] {
        let remaining = fileSize - offset
        var header = (UInt64(0), UInt32(0))
        let headerBytes = Int(min(Int64(TFRecordFraming.headerSize), remaining))
        let length = try withUnsafeMutableBytes(of: &header) { raw -> Int in
            let target = UnsafeMutableRawBufferPointer(rebasing: raw[0..<headerBytes])
            try readExactly(into: target)
            return try TFRecordFraming.checkHeader(UnsafeRawBufferPointer(target), remainingBytes: remaining,
                                                   maxRecordBytes: maxRecordBytes, index: recordIndex,
                                                   offset: offset, file: path)
        }
        fileOffsetAfterPayload = offset + Int64(length + TFRecordFraming.overhead)
        let payload = try [UInt8](unsafeUninitializedCapacity: length) { buf, initialized in
            try readExactly(into: UnsafeMutableRawBufferPointer(buf))
            initialized = length
        }
        var footer = UInt32(0)
        try withUnsafeMutableBytes(of: &footer) { try readExactly(into: $0) }
        payloadWasRead = true
        try withUnsafeBytes(of: footer) { f in
            try payload.withUnsafeBytes { p in
                try TFRecordFraming.checkPayload(p, footer: f, index: recordIndex, offset: offset, file: path)
            }
        }
        lastRecordOffset = offset
        offset += Int64(length + TFRecordFraming.overhead)
        recordIndex += 1
        return payload
    }

    /// Counts the records of a file by walking the length fields only (no CRC or payload reads);
    /// nil when the lengths do not add up to the file size. Cheap: one 12-byte read per record.
    public static func countRecords(path: String) -> Int? {
        let fd = POSIX.openForReading(path)
        guard fd >= 0 else { return nil }
        defer { POSIX.closeFile(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return nil }
        let size = Int64(info.st_size)
        var offset: Int64 = 0
        var count = 0
        var length: UInt64 = 0
        while offset < size {
            let got = withUnsafeMutableBytes(of: &length) { pread(fd, $0.baseAddress, 8, off_t(offset)) }
            guard got == 8 else { return nil }
            let step = UInt64(littleEndian: length)
            guard step <= UInt64(size - offset) else { return nil }
            offset += Int64(step) + Int64(TFRecordFraming.overhead)
            count += 1
        }
        return offset == size ? count : nil
    }

    /// Fills `target` completely from the buffer and the file.
    private func readExactly(into target: UnsafeMutableRawBufferPointer) throws {
        var filled = 0
        while filled < target.count {
            if bufferStart < bufferEnd {
                let n = min(bufferEnd - bufferStart, target.count - filled)
                buffer.withUnsafeBytes { src in
                    UnsafeMutableRawBufferPointer(rebasing: target[filled..<(filled + n)])
                        .copyMemory(from: UnsafeRawBufferPointer(rebasing: src[bufferStart..<(bufferStart + n)]))
                }
                bufferStart += n
                filled += n
                continue
            }
            let wanted = target.count - filled
            if wanted >= buffer.count {
                // Large reads go straight into the destination.
                let got = try readSome(into: UnsafeMutableRawBufferPointer(rebasing: target[filled...]))
                filled += got
            } else {
                let got = try buffer.withUnsafeMutableBytes { try readSome(into: $0) }
                bufferStart = 0
                bufferEnd = got
            }
        }
    }

    /// One `read(2)`, retrying on EINTR; throws at end of file (the size was checked, so EOF means truncation).
    private func readSome(into target: UnsafeMutableRawBufferPointer) throws -> Int {
        while true {
            let got = POSIX.readSome(fd, target.baseAddress, target.count)
            if got > 0 { return got }
            if got == 0 {
                throw ConversionError(.malformedInput, "the file ended inside the record (did it shrink while being read?)",
                                      context: ErrorContext(file: path, byteOffset: Int(clamping: offset),
                                                            field: "record \(recordIndex)"))
            }
            if errno == EINTR { continue }
            throw ConversionError(.io, "read failed: \(String(cString: strerror(errno)))",
                                  context: ErrorContext(file: path, byteOffset: Int(clamping: offset),
                                                        field: "record \(recordIndex)"))
        }
    }
}
