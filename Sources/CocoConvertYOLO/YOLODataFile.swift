import CocoConvertCore
import Foundation
import Yams

/// `data.yaml`: the split directories, the class names and (cococonvert's addition, which
/// Ultralytics ignores) the category id of each class.
public struct YOLODataFile: Sendable {
    /// `train`, `val`, `test` → image directories (relative to the dataset root, or absolute).
    public var splits: [String: [String]]
    /// Class index → name.
    public var names: [String]
    /// Class index → category id, when the file records it.
    public var categoryIDs: [Int64]?
    /// `path`, when given.
    public var path: String?

    public init(splits: [String: [String]], names: [String], categoryIDs: [Int64]? = nil, path: String? = nil) {
        self.splits = splits
        self.names = names
        self.categoryIDs = categoryIDs
        self.path = path
    }

    /// Largest data.yaml accepted, and deepest flow nesting (YAML parsers recurse on it).
    static let maximumBytes = 16 << 20
    static let maximumFlowDepth = 64

    /// Reads and checks a data.yaml.
    public static func read(_ file: String) throws -> YOLODataFile {
        let context = ErrorContext(file: file)
        let bytes: [UInt8]
        do {
            let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: file))
            defer { try? handle.close() }
            bytes = [UInt8](try handle.read(upToCount: maximumBytes + 1) ?? Data())
        } catch {
            throw ConversionError(.io, "cannot read data.yaml: \(error.localizedDescription)", context: context, cause: error)
        }
        guard bytes.count <= maximumBytes else {
            throw ConversionError(.limitExceeded, "data.yaml is larger than \(maximumBytes >> 20) MiB", context: context,
                                  hint: "a data.yaml lists split directories and class names; this is not one")
        }
        let text = String(decoding: bytes, as: UTF8.self)
        try checkFlowDepth(bytes, context: context)
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw ConversionError(.malformedInput, "data.yaml is empty", context: context, hint: "it needs train/val and names")
            }
            root = node
        } catch let error as ConversionError {
            throw error
        } catch {
            throw ConversionError(.malformedInput, "data.yaml is not valid YAML: \(error)", context: context, cause: error)
        }
        guard let mapping = root.mapping else {
            throw ConversionError(.malformedInput, "data.yaml is not a mapping of keys", context: context,
                                  hint: "expected keys such as train, val and names")
        }
        var splits: [String: [String]] = [:]
        for key in ["train", "val", "test"] {
            guard let node = mapping[key] else { continue }
            if let value = node.string, node.scalar != nil {
                if !value.isEmpty { splits[key] = [value] }
            } else if let sequence = node.sequence {
                splits[key] = sequence.compactMap(\.string)
            }
        }
        var names: [String] = []
        if let node = mapping["names"] {
            if let sequence = node.sequence {
                names = sequence.map { $0.string ?? "" }
            } else if let map = node.mapping {
                var byIndex: [Int: String] = [:]
                for (key, value) in map {
                    guard let index = wholeNumber(key), index >= 0, index < 1_000_000 else {
                        throw ConversionError(.malformedInput, "data.yaml names: '\(key.string ?? "?")' is not a class index",
                                              context: ErrorContext(file: file, field: "names"))
                    }
                    byIndex[index] = value.string ?? ""
                }
                let count = (byIndex.keys.max() ?? -1) + 1
                names = (0..<count).map { byIndex[$0] ?? "class_\($0)" }
            } else {
                throw ConversionError(.malformedInput, "data.yaml names is neither a list nor a map", context: ErrorContext(file: file, field: "names"))
            }
        } else if let count = wholeNumber(mapping["nc"]), count >= 0, count < 1_000_000 {
            names = (0..<count).map { "class_\($0)" }
        }
        var categoryIDs: [Int64]?
        if let sequence = mapping["category_ids"]?.sequence {
            let ids = sequence.compactMap { wholeNumber($0).map(Int64.init) }
            if ids.count == sequence.count && ids.count == names.count { categoryIDs = ids }
        }
        return YOLODataFile(splits: splits, names: names, categoryIDs: categoryIDs, path: mapping["path"]?.string)
    }

    /// A scalar written as a decimal whole number (`3`, `-1`, `+2`), else nil. Yams' own `Node.int`
    /// also reads YAML 1.1 base-60 numbers (`1:30`) and traps when one overflows (found by the `yolo`
    /// fuzz target: `nc: 9999:8999:…`), so it is never used on a data.yaml.
    private static func wholeNumber(_ node: Node?) -> Int? {
        guard let text = node?.scalar?.string else { return nil }
        return Int(text.trimmingCharacters(in: .whitespaces))
    }

    /// Refuses `[[[[…` nested deeper than a data.yaml ever is, before a parser recurses into it.
    ///
    /// Every bracket counts except inside quoted scalars and comments, so any name `text` writes (a
    /// double-quoted JSON string, `\"` escapes included) reads back. A quote is taken as the start of
    /// a quoted scalar only where YAML starts a node with it: inside `[…]`/`{…}` after `[`, `{`, `,`
    /// or `: `; outside them first on a line (after `- ` indicators) or after `: `. Elsewhere, as in
    /// `it's` or `a, 'b`, it is part of a plain scalar and the brackets after it count. Outside
    /// brackets a quoted scalar is taken to end with its line, so a quote misread there cannot hide
    /// the lines after it.
    private static func checkFlowDepth(_ bytes: [UInt8], context: ErrorContext) throws {
        var depth = 0       // brackets counted for the limit
        var flowDepth = 0   // brackets YAML reads as flow collections
        var index = 0
        var mark: UInt8 = 0             // the last byte that was not blank
        var spaced = true               // a blank (or the start) since `mark`
        var lineStart = true            // nothing on this line yet but `- ` / `? ` indicators
        var pendingIndicator = false    // such an indicator not yet followed by a blank
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\t"):
                spaced = true
                pendingIndicator = false
                continue
            case _ where isLineBreak(byte):
                spaced = true
                lineStart = true
                pendingIndicator = false
                continue
            default: break
            }
            let startsNode = flowDepth > 0
                ? mark == UInt8(ascii: "[") || mark == UInt8(ascii: "{") || mark == UInt8(ascii: ",")
                    || (mark == UInt8(ascii: ":") && spaced)
                : (lineStart && !pendingIndicator) || (mark == UInt8(ascii: ":") && spaced)
            let wasSpaced = spaced
            if lineStart && !pendingIndicator && (byte == UInt8(ascii: "-") || byte == UInt8(ascii: "?")) {
                pendingIndicator = true
            } else {
                lineStart = false
                pendingIndicator = false
            }
            mark = byte
            spaced = false
            switch byte {
            case UInt8(ascii: "\"") where startsNode, UInt8(ascii: "'") where startsNode:
                index = endOfQuotedScalar(bytes, from: index, quote: byte, endsWithLine: flowDepth == 0)
            case UInt8(ascii: "#") where wasSpaced:
                while index < bytes.count, !isLineBreak(bytes[index]) { index += 1 }
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                if flowDepth > 0 || startsNode { flowDepth += 1 }
                depth += 1
                if depth > maximumFlowDepth {
                    throw ConversionError(.malformedInput, "data.yaml nests lists or maps deeper than \(maximumFlowDepth) levels",
                                          context: context, hint: "this is not a YOLO data.yaml")
                }
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                depth = max(0, depth - 1)
                flowDepth = max(0, flowDepth - 1)
            default: break
            }
        }
    }

    /// The index just past the quote that closes a quoted scalar opened just before `start` (or of the
    /// line's end with `endsWithLine`, or of the input's end: the parser then refuses the file).
    private static func endOfQuotedScalar(_ bytes: [UInt8], from start: Int, quote: UInt8, endsWithLine: Bool) -> Int {
        var index = start
        while index < bytes.count {
            let byte = bytes[index]
            if endsWithLine, isLineBreak(byte) { return index }
            index += 1
            if quote == UInt8(ascii: "\""), byte == UInt8(ascii: "\\") {
                // An escaped character, possibly a quote (an escaped line break still ends the line here).
                if index < bytes.count, !(endsWithLine && isLineBreak(bytes[index])) {
                    index += 1
                }
            } else if byte == quote {
                guard quote == UInt8(ascii: "'"), index < bytes.count, bytes[index] == quote else { return index }
                index += 1  // '' inside a single-quoted scalar
            }
        }
        return bytes.count
    }

    private static func isLineBreak(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")
    }

    /// The file as written: no `path` (Ultralytics then uses the file's own directory, so the
    /// dataset can be moved), the splits, `nc`, `names` as an index → name map, `category_ids`.
    public var text: String {
        var lines = [
            "# Ultralytics YOLO dataset, written by cococonvert (formats/yolo.md).",
            "# No 'path': Ultralytics takes this file's directory as the dataset root, so the tree can be moved.",
        ]
        if let path { lines.append("path: " + jsonString(path)) }
        for key in ["train", "val", "test"] {
            guard let directories = splits[key], !directories.isEmpty else { continue }
            lines.append(key + ": " + (directories.count == 1 ? jsonString(directories[0])
                                       : "[" + directories.map(jsonString).joined(separator: ", ") + "]"))
        }
        lines.append("nc: \(names.count)")
        // An empty block map would be YAML null, which is not a names map: an empty one is `{}`.
        lines.append(names.isEmpty ? "names: {}" : "names:")
        for (index, name) in names.enumerated() { lines.append("  \(index): " + jsonString(name)) }
        if let categoryIDs {
            lines.append("# The category id each class index came from (read back by cococonvert).")
            lines.append("category_ids: [" + categoryIDs.map(String.init).joined(separator: ", ") + "]")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
