import CocoConvertCore

/// One 512-byte POSIX ustar header block: the fields cococonvert writes and reads.
///
/// Layout (POSIX.1-1988 ustar, IEEE Std 1003.1): `name[100]`, `mode[8]`, `uid[8]`, `gid[8]`,
/// `size[12]`, `mtime[12]`, `chksum[8]`, `typeflag[1]`, `linkname[100]`, `magic[6]` "ustar\0",
/// `version[2]` "00", `uname[32]`, `gname[32]`, `devmajor[8]`, `devminor[8]`, `prefix[155]`.
/// Numbers are octal ASCII; the checksum is the sum of the header's bytes with the checksum field
/// taken as eight spaces.
public enum TarHeader {
    /// The size of a header and the unit member contents are padded to.
    public static let blockSize = 512
    /// The largest size the 11 octal digits of `size` hold (8 GiB − 1); larger members need pax.
    public static let maxOctalSize: Int64 = 0o77777777777

    /// Member types cococonvert distinguishes (`typeflag`).
    public enum Kind: Sendable, Equatable {
        /// `0` or NUL: a regular file.
        case file
        /// `5`: a directory.
        case directory
        /// `x`: a pax extended header for the next member.
        case paxLocal
        /// `g`: a pax global header.
        case paxGlobal
        /// `L`: a GNU long name for the next member.
        case gnuLongName
        /// Anything else (links, devices, FIFOs...), skipped by readers.
        case other(UInt8)

        init(flag: UInt8) {
            switch flag {
            case 0, UInt8(ascii: "0"), UInt8(ascii: "7"): self = .file
            case UInt8(ascii: "5"): self = .directory
            case UInt8(ascii: "x"): self = .paxLocal
            case UInt8(ascii: "g"): self = .paxGlobal
            case UInt8(ascii: "L"): self = .gnuLongName
            default: self = .other(flag)
            }
        }
    }

    /// A header block for a regular file (or, with `flag`, a pax header) named `name` (at most 100
    /// UTF-8 bytes) of `size` bytes. Mode 0644, uid/gid 0, mtime 0: the bytes depend on nothing
    /// but the name and size, so shards are reproducible.
    static func block(name: [UInt8], size: Int64, flag: UInt8 = UInt8(ascii: "0")) -> [UInt8] {
        precondition(name.count <= 100 && size >= 0 && size <= maxOctalSize, "TarHeader.block: name or size out of range")
        var h = [UInt8](repeating: 0, count: blockSize)
        h.replaceSubrange(0..<name.count, with: name)
        put(octal: 0o644, width: 8, at: 100, in: &h)
        put(octal: 0, width: 8, at: 108, in: &h)
        put(octal: 0, width: 8, at: 116, in: &h)
        put(octal: UInt64(size), width: 12, at: 124, in: &h)
        put(octal: 0, width: 12, at: 136, in: &h)
        h[156] = flag
        h.replaceSubrange(257..<263, with: Array("ustar\0".utf8))
        h.replaceSubrange(263..<265, with: Array("00".utf8))
        let sum = checksum(h)
        put(octal: UInt64(sum), width: 7, at: 148, in: &h)   // six digits and NUL
        h[155] = UInt8(ascii: " ")
        return h
    }

    /// Writes `value` as zero-padded octal filling `width − 1` bytes, then NUL.
    private static func put(octal value: UInt64, width: Int, at offset: Int, in h: inout [UInt8]) {
        var v = value
        for i in stride(from: width - 2, through: 0, by: -1) {
            h[offset + i] = UInt8(ascii: "0") + UInt8(v & 7)
            v >>= 3
        }
        h[offset + width - 1] = 0
    }

    /// The unsigned header checksum: every byte summed, the checksum field counted as spaces.
    static func checksum(_ h: UnsafeBufferPointer<UInt8>) -> (unsigned: Int, signed: Int) {
        var unsigned = 0, signed = 0
        for i in 0..<blockSize {
            let b = (148..<156).contains(i) ? UInt8(ascii: " ") : h[i]
            unsigned += Int(b)
            signed += Int(Int8(bitPattern: b))
        }
        return (unsigned, signed)
    }

    static func checksum(_ h: [UInt8]) -> Int {
        h.withUnsafeBufferPointer { checksum($0).unsigned }
    }

    /// Parses an octal (or GNU base-256) numeric field; nil when it holds anything else. Leading
    /// spaces are skipped and a NUL or space ends the digits (an empty field is 0, as tar reads it).
    static func number(_ h: UnsafeBufferPointer<UInt8>, _ offset: Int, _ width: Int) -> Int64? {
        if h[offset] & 0x80 != 0 {
            // GNU base-256: big-endian two's complement in the remaining bytes; only non-negative sizes are accepted.
            guard h[offset] == 0x80 else { return nil }
            var value: Int64 = 0
            for i in (offset + 1)..<(offset + width) {
                guard value <= (Int64.max >> 8) else { return nil }
                value = value << 8 | Int64(h[i])
            }
            return value
        }
        var value: Int64 = 0
        var i = offset
        while i < offset + width, h[i] == UInt8(ascii: " ") { i += 1 }
        while i < offset + width {
            let c = h[i]
            if c == 0 || c == UInt8(ascii: " ") { break }
            guard c >= UInt8(ascii: "0"), c <= UInt8(ascii: "7"), value <= (Int64.max >> 3) else { return nil }
            value = value << 3 | Int64(c - UInt8(ascii: "0"))
            i += 1
        }
        return value
    }

    /// A NUL-terminated text field.
    static func text(_ h: UnsafeBufferPointer<UInt8>, _ offset: Int, _ width: Int) -> [UInt8] {
        var end = offset
        while end < offset + width, h[end] != 0 { end += 1 }
        return Array(h[offset..<end])
    }

    /// The number of zero bytes that pad `size` bytes of contents to a whole block.
    public static func padding(_ size: Int64) -> Int {
        Int((Int64(blockSize) - size % Int64(blockSize)) % Int64(blockSize))
    }
}
