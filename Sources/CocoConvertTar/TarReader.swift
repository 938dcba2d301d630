import CocoConvertCore

/// A regular file inside a tar archive: its name and where its contents are, not the contents.
public struct TarMember: Sendable, Equatable {
    /// The path as stored (pax `path`, GNU long name, or ustar `prefix/name`).
    public var name: String
    public var size: Int64
    /// The byte offset of the member's header block in the archive (for error messages).
    public var headerOffset: Int64
    /// The byte offset of the first byte of the contents.
    public var dataOffset: Int64
}

/// Reads a ustar/pax/GNU tar archive member by member, in order, with positional reads: it never
/// extracts anything and never holds more than one header (and the contents a caller asks for).
///
/// Every header checksum is verified; a member that runs past the end of the file, a bad checksum
/// and a broken size or pax record are `.malformedInput` errors with the file and byte offset.
/// Directories, links and devices are skipped. The archive ends at a zero block or at the end of
/// the file on a member boundary (as Python's `tarfile` accepts).
public final class TarReader {
    public let path: String
    private let file: ReadOnlyFile
    private var offset: Int64 = 0
    private var block = [UInt8](repeating: 0, count: TarHeader.blockSize)
    private var ended = false
    /// The most bytes a pax or GNU long-name header may hold.
    public static let maxHeaderExtension = 1 << 20

    /// Opens `path` for reading.
    public init(path: String) throws {
        self.path = path
        file = try ReadOnlyFile(path: path)
    }

    /// The size of the archive file in bytes.
    public var fileSize: Int64 { file.size }

    /// The next regular file, or nil at the end of the archive.
    public func next() throws -> TarMember? {
        var longName: String?
        var pax: [String: String] = [:]
        while !ended {
            guard offset < file.size else { ended = true; break }
            let headerOffset = offset
            guard file.size - offset >= Int64(TarHeader.blockSize) else {
                throw malformed("the archive ends inside a member header (\(file.size - offset) of 512 bytes)", at: headerOffset,
                                hint: "the file is truncated: copy or download it again")
            }
            try file.readExactly(TarHeader.blockSize, at: offset, into: &block)
            let fields = try block.withUnsafeBufferPointer { h -> (kind: TarHeader.Kind, name: String, size: Int64)? in
                if h.allSatisfy({ $0 == 0 }) { return nil }
                let sum = TarHeader.checksum(h)
                guard let stored = TarHeader.number(h, 148, 8), stored == Int64(sum.unsigned) || stored == Int64(sum.signed) else {
                    let storedText = String(decoding: TarHeader.text(h, 148, 8), as: UTF8.self)
                    throw malformed("the member header has a bad checksum (stored '\(storedText)', computed \(Self.octal6(sum.unsigned)))",
                                    at: headerOffset, hint: "the archive is damaged or not a tar file: copy or download it again")
                }
                guard let size = TarHeader.number(h, 124, 12) else {
                    throw malformed("the member header's size field is not a number", at: headerOffset,
                                    hint: "the archive is damaged: copy or download it again")
                }
                var name = TarHeader.text(h, 0, 100)
                let magic = Array(h[257..<262])
                if magic == Array("ustar".utf8) {
                    let prefix = TarHeader.text(h, 345, 155)
                    if !prefix.isEmpty { name = prefix + [UInt8(ascii: "/")] + name }
                }
                return (TarHeader.Kind(flag: h[156]), String(decoding: name, as: UTF8.self), size)
            }
            guard let fields else {
                ended = true
                break
            }
            var size = fields.size
            if let paxSize = pax["size"] {
                guard let n = Int64(paxSize), n >= 0 else {
                    throw malformed("the pax size record '\(paxSize)' is not a size", at: headerOffset)
                }
                size = n
            }
            let dataOffset = headerOffset + Int64(TarHeader.blockSize)
            let name = pax["path"] ?? longName ?? fields.name
            guard size <= file.size - dataOffset else {
                throw malformed("the archive is truncated inside member '\(name)': it needs \(size) bytes of contents but the file ends after \(file.size - dataOffset)",
                                at: headerOffset, hint: "the file was cut short (an interrupted download or copy): copy or download it again")
            }
            let (next, overflow) = (dataOffset + size).addingReportingOverflow(Int64(TarHeader.padding(size)))
            guard !overflow else { throw malformed("the member size \(size) is out of range", at: headerOffset) }
            offset = next
            let member = TarMember(name: name, size: size, headerOffset: headerOffset, dataOffset: dataOffset)
            switch fields.kind {
            case .file:
                return member
            case .paxLocal:
                pax = try parsePax(try contents(of: member, maxBytes: Self.maxHeaderExtension), at: headerOffset)
                continue
            case .gnuLongName:
                let bytes = try contents(of: member, maxBytes: Self.maxHeaderExtension)
                longName = String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
                continue
            case .paxGlobal, .directory, .other:
                break
            }
            longName = nil
            pax = [:]
        }
        return nil
    }

    /// The contents of `member`, which must come from this reader.
    ///
    /// - Throws: `.limitExceeded` when the member is larger than `maxBytes`.
    public func contents(of member: TarMember, maxBytes: Int) throws -> [UInt8] {
        guard member.size <= Int64(maxBytes) else {
            throw ConversionError(.limitExceeded, "member '\(member.name)' has \(member.size) bytes, more than the \(maxBytes) accepted",
                                  context: ErrorContext(file: path, byteOffset: Int(clamping: member.headerOffset)))
        }
        var bytes = [UInt8](repeating: 0, count: Int(member.size))
        if member.size > 0 {
            try file.readExactly(Int(member.size), at: member.dataOffset, into: &bytes)
        }
        return bytes
    }

    /// Parses pax records `"<length> <key>=<value>\n"`.
    private func parsePax(_ bytes: [UInt8], at headerOffset: Int64) throws -> [String: String] {
        var records: [String: String] = [:]
        var i = 0
        while i < bytes.count {
            if bytes[i] == 0 { break }
            var length = 0
            var j = i
            while j < bytes.count, bytes[j] >= UInt8(ascii: "0"), bytes[j] <= UInt8(ascii: "9"), length < 1 << 24 {
                length = length * 10 + Int(bytes[j] - UInt8(ascii: "0"))
                j += 1
            }
            guard j < bytes.count, bytes[j] == UInt8(ascii: " "), length > j - i + 1, i + length <= bytes.count,
                  bytes[i + length - 1] == UInt8(ascii: "\n"),
                  let eq = bytes[(j + 1)..<(i + length - 1)].firstIndex(of: UInt8(ascii: "=")) else {
                throw malformed("a pax extended header record is malformed", at: headerOffset,
                                hint: "the archive is damaged: copy or download it again")
            }
            let key = String(decoding: bytes[(j + 1)..<eq], as: UTF8.self)
            let value = String(decoding: bytes[(eq + 1)..<(i + length - 1)], as: UTF8.self)
            records[key] = value
            i += length
        }
        return records
    }

    /// Six octal digits, as the checksum field stores them.
    private static func octal6(_ n: Int) -> String {
        let digits = String(n, radix: 8)
        return String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }

    private func malformed(_ message: String, at offset: Int64, hint: String? = nil) -> ConversionError {
        ConversionError(.malformedInput, message, context: ErrorContext(file: path, byteOffset: Int(clamping: offset)), hint: hint)
    }
}
