import Foundation

/// How one partition's part of an index file is laid out, so that `cococonvert merge` can join the
/// parts of every partition into exactly the file a single run writes.
///
/// A partition writes the index file as a single run over its own samples would (its own items
/// only) and describes it as consecutive segments:
/// - ``Segment/Kind/fixed``: bytes every partition writes identically (headers, category lists,
///   closing brackets, a whole label map). Merge keeps one copy and refuses parts that differ
///   (they were made with other options or another input).
/// - ``Segment/Kind/list``: the partition's items. Merge concatenates the non-empty lists in
///   partition order: the first as written, each further one with `separator` in place of its
///   `lead` (what a single run writes before its first item, e.g. `"\n  "` before the first entry
///   of a JSON array, where `",\n  "` separates the next ones).
public struct IndexFilePart: Sendable, Hashable, Codable {
    /// One consecutive byte range of a part file and how merge treats it.
    public struct Segment: Sendable, Hashable, Codable {
        /// `fixed`: the same in every partition (one copy kept); `list`: this partition's items.
        public enum Kind: String, Sendable, Hashable, Codable { case fixed, list }
        /// How merge joins this segment with the other partitions' (see ``IndexFilePart``).
        public var kind: Kind
        /// Byte range in the part file: the first byte.
        public var start: Int64
        /// Byte range in the part file: one past the last byte.
        public var end: Int64
        /// For a list: what a single run writes before its first item; a further partition's list
        /// has it replaced by ``separator``.
        public var lead: String
        /// For a list: what stands between the previous partition's last item and this one's first.
        public var separator: String

        /// A segment of `kind` covering `start..<end` of the part file.
        public init(kind: Kind, start: Int64, end: Int64, lead: String = "", separator: String = "") {
            self.kind = kind
            self.start = start
            self.end = end
            self.lead = lead
            self.separator = separator
        }
    }

    /// Path relative to the output (the file name for a one-file output).
    public var path: String
    /// The part file's consecutive segments, in order.
    public var segments: [Segment]

    /// The layout of the part of the index file `path`.
    public init(path: String, segments: [Segment]) {
        self.path = path
        self.segments = segments
    }

    /// A part that is the same in every partition (a label map, a class list).
    public static func fixed(path: String, size: Int) -> IndexFilePart {
        IndexFilePart(path: path, segments: [Segment(kind: .fixed, start: 0, end: Int64(size))])
    }

    /// A part that is only items (a list of item names, one per line).
    public static func list(path: String, size: Int, separator: String = "") -> IndexFilePart {
        IndexFilePart(path: path, segments: [Segment(kind: .list, start: 0, end: Int64(size), separator: separator)])
    }

    /// Builds the segments of a file written in order: mark each boundary with the byte count
    /// written so far.
    public struct Builder {
        /// Path of the index file relative to the output.
        public let path: String
        private var segments: [Segment] = []
        private var position: Int64 = 0

        /// A builder for the part of the index file `path`.
        public init(path: String) { self.path = path }

        /// The bytes from the previous mark to `offset` are the same in every partition.
        public mutating func fixed(until offset: Int64) {
            segments.append(Segment(kind: .fixed, start: position, end: offset))
            position = offset
        }

        /// The bytes from the previous mark to `offset` are this partition's items.
        public mutating func list(until offset: Int64, lead: String = "", separator: String) {
            segments.append(Segment(kind: .list, start: position, end: offset, lead: lead, separator: separator))
            position = offset
        }

        /// The layout described so far.
        public var part: IndexFilePart { IndexFilePart(path: path, segments: segments) }
    }

    /// Joins the parts of one index file, in partition order.
    ///
    /// - Parameter parts: for each partition, its name (for messages), layout and bytes.
    /// - Throws: `ConversionError` naming the partition whose layout or fixed bytes differ.
    public static func join(_ parts: [(name: String, layout: IndexFilePart, bytes: [UInt8])]) throws -> [UInt8] {
        guard let first = parts.first else { return [] }
        for part in parts {
            guard let last = part.layout.segments.last, last.end == Int64(part.bytes.count) || part.layout.segments.isEmpty else {
                throw ConversionError(.io, "the part of \(part.layout.path) written by \(part.name) is incomplete (\(part.bytes.count) bytes, its record says otherwise)",
                                      hint: "run \(part.name) again, then merge")
            }
            guard part.layout.segments.map(\.kind) == first.layout.segments.map(\.kind) else {
                throw ConversionError(.usage, "\(part.name) wrote \(part.layout.path) in another layout than \(first.name)",
                                      hint: "every partition must be made by the same cococonvert version and options; run it again")
            }
        }
        var out: [UInt8] = []
        for (k, segment) in first.layout.segments.enumerated() {
            switch segment.kind {
            case .fixed:
                let reference = slice(first, k)
                for part in parts.dropFirst() where slice(part, k) != reference {
                    throw ConversionError(.usage, "\(part.name) and \(first.name) wrote different \(first.layout.path) headers or label lists (bytes \(part.layout.segments[k].start)..<\(part.layout.segments[k].end))",
                                          hint: "they were made with different options or input; run every partition with the same command line")
                }
                out.append(contentsOf: reference)
            case .list:
                var any = false
                for part in parts {
                    let items = slice(part, k)
                    guard !items.isEmpty else { continue }
                    if any {
                        let lead = Array(part.layout.segments[k].lead.utf8)
                        guard items.starts(with: lead) else {
                            throw ConversionError(.io, "the items of \(part.name) in \(part.layout.path) do not start as recorded",
                                                  hint: "run \(part.name) again, then merge")
                        }
                        out.append(contentsOf: Array(part.layout.segments[k].separator.utf8))
                        out.append(contentsOf: items.dropFirst(lead.count))
                    } else {
                        out.append(contentsOf: items)
                        any = true
                    }
                }
            }
        }
        return out
    }

    private static func slice(_ part: (name: String, layout: IndexFilePart, bytes: [UInt8]), _ k: Int) -> ArraySlice<UInt8> {
        let s = part.layout.segments[k]
        let lower = Int(clamping: max(0, min(s.start, Int64(part.bytes.count))))
        let upper = Int(clamping: max(Int64(lower), min(s.end, Int64(part.bytes.count))))
        return part.bytes[lower..<upper]
    }
}
