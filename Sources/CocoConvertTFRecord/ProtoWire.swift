/// Why a byte string is not a valid `tf.train.Example`, and where (offset into the payload).
public struct TFExampleDecodingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Byte offset into the serialized example where the problem was found.
    public var offset: Int
    /// What is wrong.
    public var reason: String

    public init(offset: Int, reason: String) {
        self.offset = offset
        self.reason = reason
    }

    public var description: String { "at payload byte \(offset): \(reason)" }
}

/// The three protobuf wire encodings `tf.train.Example` needs: varints, 32-bit little-endian
/// fixed values and length-delimited bytes (the protobuf "Encoding" guide).
enum ProtoWire {
    static let varint: UInt8 = 0
    static let fixed64: UInt8 = 1
    static let lengthDelimited: UInt8 = 2
    static let startGroup: UInt8 = 3
    static let endGroup: UInt8 = 4
    static let fixed32: UInt8 = 5

    /// Bytes a varint of `value` takes (1...10).
    @inline(__always)
    static func varintSize(_ value: UInt64) -> Int {
        // 7 payload bits per byte; 0 still takes one byte.
        let bits = 64 - (value | 1).leadingZeroBitCount
        return (bits + 6) / 7
    }

    @inline(__always)
    static func appendVarint(_ value: UInt64, to out: inout [UInt8]) {
        var v = value
        while v >= 0x80 {
            out.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        out.append(UInt8(v))
    }
}

/// A bounds-checked cursor over protobuf wire bytes. Every read checks the remaining length and
/// throws ``TFExampleDecodingError`` instead of trapping; offsets are absolute within `base`.
struct ProtoWireReader {
    let base: UnsafeRawBufferPointer
    private(set) var position: Int
    let end: Int

    init(_ base: UnsafeRawBufferPointer, range: Range<Int>) {
        self.base = base
        self.position = range.lowerBound
        self.end = range.upperBound
    }

    var isAtEnd: Bool { position >= end }

    func fail(_ reason: String, at offset: Int? = nil) -> TFExampleDecodingError {
        TFExampleDecodingError(offset: offset ?? position, reason: reason)
    }

    /// A varint of at most 10 bytes; bits past 64 are dropped, as protobuf does.
    mutating func readVarint() throws -> UInt64 {
        let start = position
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard position < end else { throw fail("varint runs past the end of its message", at: start) }
            let byte = base[position]
            position += 1
            if shift < 64 { result |= UInt64(byte & 0x7F) << shift }
            if byte & 0x80 == 0 { return result }
            shift += 7
            guard shift < 70 else { throw fail("varint longer than 10 bytes", at: start) }
        }
    }

    /// The next field tag, or nil at the end of the message.
    mutating func readTag() throws -> (field: UInt64, wireType: UInt8)? {
        guard position < end else { return nil }
        let start = position
        let tag = try readVarint()
        guard tag <= UInt64(UInt32.max) else { throw fail("field tag does not fit in 32 bits", at: start) }
        let field = tag >> 3
        guard field != 0 else { throw fail("field number 0 is invalid", at: start) }
        return (field, UInt8(tag & 7))
    }

    /// The byte range of a length-delimited value (after its length prefix).
    mutating func readLengthDelimited() throws -> Range<Int> {
        let start = position
        let length = try readVarint()
        guard length <= UInt64(end - position) else {
            throw fail("length \(length) runs past the end of its message (\(end - position) bytes left)", at: start)
        }
        let range = position..<(position + Int(length))
        position += Int(length)
        return range
    }

    mutating func readFixed32() throws -> UInt32 {
        guard end - position >= 4 else { throw fail("fixed32 value runs past the end of its message") }
        let v = base.loadUnaligned(fromByteOffset: position, as: UInt32.self).littleEndian
        position += 4
        return v
    }

    /// Skips the value of a field this decoder does not know (protobuf keeps unknown fields; we drop them).
    mutating func skip(wireType: UInt8, field: UInt64, depth: Int = 0) throws {
        switch wireType {
        case ProtoWire.varint:
            _ = try readVarint()
        case ProtoWire.fixed64:
            guard end - position >= 8 else { throw fail("fixed64 value runs past the end of its message") }
            position += 8
        case ProtoWire.lengthDelimited:
            _ = try readLengthDelimited()
        case ProtoWire.fixed32:
            _ = try readFixed32()
        case ProtoWire.startGroup:
            guard depth < 32 else { throw fail("groups nested too deeply") }
            while true {
                guard let (inner, innerType) = try readTag() else { throw fail("group \(field) is not closed") }
                if innerType == ProtoWire.endGroup {
                    guard inner == field else { throw fail("group \(field) closed by end-group \(inner)") }
                    return
                }
                try skip(wireType: innerType, field: inner, depth: depth + 1)
            }
        case ProtoWire.endGroup:
            throw fail("unexpected end-group tag for field \(field)")
        default:
            throw fail("invalid wire type \(wireType) for field \(field)")
        }
    }
}
