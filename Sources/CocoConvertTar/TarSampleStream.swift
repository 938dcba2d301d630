import CocoConvertCore

/// The WebDataset naming rule: a member's key is its path up to the first `.` of the file name,
/// and its extension is everything after that dot (`a/b.seg.png` → key `a/b`, extension `seg.png`).
/// Members whose file name has no dot, or starts with one, belong to no sample.
public enum SampleKey {
    public static func split(_ path: String) -> (key: String, ext: String)? {
        var path = Substring(path)
        while path.hasPrefix("./") { path = path.dropFirst(2) }
        let slash = path.lastIndex(of: "/")
        let nameStart = slash.map { path.index(after: $0) } ?? path.startIndex
        guard let dot = path[nameStart...].firstIndex(of: "."), dot != nameStart else { return nil }
        let ext = path[path.index(after: dot)...]
        guard !ext.isEmpty else { return nil }
        return (String(path[..<dot]), String(ext))
    }
}

/// The members of one sample: consecutive members of one archive that share a key.
public struct TarSample {
    public let key: String
    /// The archive the members are in.
    public let archive: TarReader
    /// Each member with its extension as stored (case kept), in archive order.
    public let members: [(ext: String, member: TarMember)]

    /// The member whose extension is `ext` (compared case-insensitively).
    public func member(_ ext: String) -> TarMember? {
        members.first { $0.ext.lowercased() == ext }?.member
    }

    /// A member's contents, read now (at most `maxBytes`).
    public func contents(_ member: TarMember, maxBytes: Int) throws -> [UInt8] {
        try archive.contents(of: member, maxBytes: maxBytes)
    }

    /// The error context of this sample: its archive and the offset of its first member.
    public var context: ErrorContext {
        ErrorContext(file: archive.path, byteOffset: members.first.map { Int(clamping: $0.member.headerOffset) })
    }
}

/// Reads samples out of tar archives in order, one archive after the other, WebDataset style:
/// consecutive members with the same key form a sample. Memory: one header and the member list of
/// one sample (contents are read only when asked for), plus the keys already seen in the current
/// archive, to refuse a key that comes back.
///
/// A damaged archive (truncated, bad checksum) throws `.malformedInput` and the stream moves on to
/// the next archive; a key that comes back after other keys, or a member that appears twice for
/// one key, throws `.duplicateID` for that sample and the stream goes on.
public final class TarSampleStream {
    public let archives: [String]
    private var archiveIndex = 0
    private var reader: TarReader?
    private var pending: (key: String, ext: String, member: TarMember)?
    private var keysSeen = Set<String>()

    public init(archives: [String]) {
        self.archives = archives
    }

    /// The next sample, or nil after the last archive.
    public func next() throws -> TarSample? {
        while true {
            if reader == nil {
                guard archiveIndex < archives.count else { return nil }
                let path = archives[archiveIndex]
                archiveIndex += 1
                keysSeen = []
                pending = nil
                reader = try TarReader(path: path)
            }
            guard let archive = reader else { continue }
            var members: [(ext: String, member: TarMember)] = []
            var key: String?
            var duplicate: ConversionError?
            do {
                while true {
                    let item: (key: String, ext: String, member: TarMember)
                    if let p = pending {
                        item = p
                        pending = nil
                    } else {
                        guard let m = try archive.next() else { break }
                        guard let (k, e) = SampleKey.split(m.name) else { continue }
                        item = (k, e, m)
                    }
                    if let key, item.key != key {
                        pending = item
                        break
                    }
                    if key == nil {
                        key = item.key
                        if keysSeen.contains(item.key) {
                            duplicate = ConversionError(.duplicateID, "key '\(item.key)' appears again after other samples (member '\(item.member.name)')",
                                                        context: ErrorContext(file: archive.path, byteOffset: Int(clamping: item.member.headerOffset)),
                                                        hint: "the members of one sample must be adjacent and keys unique: write the shard with one key per sample")
                        }
                    }
                    if duplicate == nil, members.contains(where: { $0.ext == item.ext }) {
                        duplicate = ConversionError(.duplicateID, "key '\(item.key)' has two '.\(item.ext)' members (the second is '\(item.member.name)')",
                                                    context: ErrorContext(file: archive.path, byteOffset: Int(clamping: item.member.headerOffset)),
                                                    hint: "two samples map to the same key: give them distinct keys")
                    }
                    members.append((item.ext, item.member))
                }
            } catch {
                // A damaged archive: nothing after the damage can be trusted; go on with the next one.
                reader = nil
                throw error
            }
            guard let key else {
                reader = nil
                continue
            }
            keysSeen.insert(key)
            if let duplicate { throw duplicate }
            return TarSample(key: key, archive: archive, members: members)
        }
    }
}
