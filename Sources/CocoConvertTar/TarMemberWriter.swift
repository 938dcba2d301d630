/// Builds the bytes of tar members in memory: header (with a pax `path` record first when the
/// name does not fit ustar's 100 bytes), contents, padding. Appending them to an archive is the
/// caller's job, so members can be built on worker threads and written in order by one thread.
public enum TarMemberWriter {
    /// The end-of-archive marker: two zero blocks.
    public static let endOfArchive = [UInt8](repeating: 0, count: 2 * TarHeader.blockSize)

    /// Appends the member `name` holding `contents` to `out`.
    ///
    /// - Precondition: `name` is non-empty, relative, and free of NUL (callers build names from
    ///   sanitised keys).
    public static func append(name: String, contents: [UInt8], to out: inout [UInt8]) {
        let nameBytes = Array(name.utf8)
        precondition(!nameBytes.isEmpty && !nameBytes.contains(0), "TarMemberWriter: bad member name")
        let size = Int64(contents.count)
        var records = ""
        if nameBytes.count > 100 || nameBytes.contains(where: { $0 >= 0x80 }) {
            records += paxRecord("path", name)
        }
        if size > TarHeader.maxOctalSize {
            records += paxRecord("size", String(size))
        }
        var shortName = nameBytes
        if !records.isEmpty {
            let pax = Array(records.utf8)
            let paxName = Array(("PaxHeaders/" + name).utf8.prefix(100))
            out += TarHeader.block(name: validPrefix(paxName), size: Int64(pax.count), flag: UInt8(ascii: "x"))
            out += pax
            out += [UInt8](repeating: 0, count: TarHeader.padding(Int64(pax.count)))
            shortName = validPrefix(Array(nameBytes.prefix(100)))
        }
        out += TarHeader.block(name: shortName, size: min(size, TarHeader.maxOctalSize))
        out += contents
        out += [UInt8](repeating: 0, count: TarHeader.padding(size))
    }

    /// The number of bytes ``append(name:contents:to:)`` adds for a member of `size` bytes with a short ASCII name.
    public static func encodedSize(contents size: Int) -> Int {
        TarHeader.blockSize + size + TarHeader.padding(Int64(size))
    }

    /// One pax record, `"<length> <key>=<value>\n"`, where length counts the whole record including itself.
    static func paxRecord(_ key: String, _ value: String) -> String {
        let body = " \(key)=\(value)\n"
        let bodyLength = body.utf8.count
        var length = bodyLength + 1
        while String(length).utf8.count + bodyLength != length { length += 1 }
        return String(length) + body
    }

    /// `bytes` cut back to whole UTF-8 characters (a truncated ustar name must stay valid text).
    private static func validPrefix(_ bytes: [UInt8]) -> [UInt8] {
        guard var i = bytes.indices.last else { return bytes }
        while i > 0, bytes[i] & 0xC0 == 0x80 { i -= 1 }
        let lead = bytes[i]
        let need = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
        return bytes.count - i < need ? Array(bytes[..<i]) : bytes
    }
}
