import Foundation

/// What format detection may look at: the path, the first bytes of a file, the names in a
/// directory. Built once per input and shared by every plugin's `detect`.
public struct InputProbe: Sendable {
    /// The path as given.
    public let path: String
    public let exists: Bool
    public let isDirectory: Bool
    /// The first bytes of a file (at most ``headLength``); empty for a directory.
    public let head: [UInt8]
    /// The names directly inside a directory, sorted (at most ``entryLimit``); empty for a file.
    public let entries: [String]

    public static let headLength = 64 << 10
    public static let entryLimit = 4096

    public init(path: String) {
        self.path = path
        var isDirectory: ObjCBool = false
        exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
        self.isDirectory = exists && isDirectory.boolValue
        if exists && !self.isDirectory, let handle = FileHandle(forReadingAtPath: path) {
            head = (try? handle.read(upToCount: Self.headLength)).map { [UInt8]($0) } ?? []
            try? handle.close()
        } else {
            head = []
        }
        if self.isDirectory, let names = try? FileManager.default.contentsOfDirectory(atPath: path) {
            entries = Array(names.sorted().prefix(Self.entryLimit))
        } else {
            entries = []
        }
    }

    /// The lower-cased extension of the path's last component, without its dot (`json`, `tfrecord`).
    public var fileExtension: String {
        let last = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = last.lastIndex(of: "."), dot != last.startIndex else { return "" }
        return String(last[last.index(after: dot)...]).lowercased()
    }

    /// Whether anything exists at `path`.
    public static func fileExists(_ path: String) -> Bool {
        FileManager.default.fileExists(atPath: path)
    }

    /// Whether `path` is a directory (one `stat`, nothing read: for listings and path checks).
    public static func isDirectory(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    /// Whether `relative` (a name or `a/b`) exists under a directory input.
    public func contains(_ relative: String) -> Bool {
        isDirectory && FileManager.default.fileExists(atPath: (path as NSString).appendingPathComponent(relative))
    }

    /// Whether any entry of a directory input ends with `suffix` (`.png`, `.tfrecord`).
    public func hasEntry(endingWith suffix: String) -> Bool {
        entries.contains { $0.lowercased().hasSuffix(suffix) }
    }

    /// The file's head as text, for sniffing JSON keys or XML tags (invalid UTF-8 repaired).
    public var headText: String { String(decoding: head, as: UTF8.self) }

    /// The first byte of the head that is not JSON white space.
    public var firstSignificantByte: UInt8? {
        head.first { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 && $0 != 0xEF && $0 != 0xBB && $0 != 0xBF }
    }
}

/// A plugin's verdict that an input is its own.
public struct Detection: Sendable {
    /// 0...100: 100 for a signature or a layout only this format has, less for a guess from names.
    public var confidence: Int
    /// What the input looks like, for messages: "a COCO instances JSON file".
    public var description: String

    public init(confidence: Int, _ description: String) {
        self.confidence = confidence
        self.description = description
    }
}
