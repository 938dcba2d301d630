import Foundation

extension LabelSchema {
    /// A schema from a mapping file (`--labels FILE`).
    ///
    /// Accepted forms:
    /// - JSON object `{"<category id>": <value>, ...}` or `{"<category id>": {"value": v, "name": "..."}}`,
    ///   optionally with `"background"` and `"ignore_index"` members (numbers);
    /// - JSON array `[{"id": <category id>, "value": v, "name": "..."}, ...]`;
    /// - text, one mapping per line: `<category id> <value> [name]`; `#` starts a comment.
    ///
    /// Names default to the dataset's category names (`categories`), colours likewise.
    /// Categories missing from the file are simply not mapped.
    public static func load(file: String, categories: [Category], background: UInt32 = 0,
                            ignoreIndex: UInt32 = 255) throws -> LabelSchema {
        let context = ErrorContext(file: file)
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: file))
        } catch {
            throw ConversionError(.io, "cannot read the label mapping: \(error.localizedDescription)", context: context,
                                  hint: "check the --labels path")
        }
        var byID: [Int64: Category] = [:]
        for c in categories where byID[c.id] == nil { byID[c.id] = c }
        var rows: [(id: Int64, value: UInt32, name: String?)] = []
        var background = background
        var ignoreIndex = ignoreIndex

        let first = data.first { !($0 == 0x20 || $0 == 0x0a || $0 == 0x0d || $0 == 0x09) }
        if first == UInt8(ascii: "{") || first == UInt8(ascii: "[") {
            let bad = { (what: String) in
                ConversionError(.invalidValue, "label mapping: \(what)", context: context,
                                hint: "use {\"<category id>\": <value>} or [{\"id\": .., \"value\": .., \"name\": ..}]")
            }
            let root: JSONValue
            do {
                root = try JSONValue(parsing: [UInt8](data), context: context)
            } catch {
                throw ConversionError(.malformedInput, "label mapping is not valid JSON (\(error.message))", context: context,
                                      hint: "fix the JSON syntax")
            }
            func number(_ any: JSONValue?, _ what: String) throws -> Int64 {
                // Booleans count as 0 and 1, as they always have.
                guard let v = any?.boolValue.map({ $0 ? 1 : 0 }) ?? any?.int64Value else { throw bad("\(what) must be an integer") }
                return v
            }
            func value(_ any: JSONValue?, _ what: String) throws -> UInt32 {
                guard let v = UInt32(exactly: try number(any, what)) else { throw bad("\(what) must be 0...4294967295") }
                return v
            }
            if let members = root.objectMembers {
                // The last of repeated keys wins.
                let object = Dictionary(members, uniquingKeysWith: { $1 })
                for (key, item) in object.sorted(by: { $0.key < $1.key }) {
                    if key == "background" { background = try value(item, "background"); continue }
                    if key == "ignore_index" { ignoreIndex = try value(item, "ignore_index"); continue }
                    guard let id = Int64(key) else { throw bad("key '\(key)' is not a category id") }
                    if item.objectMembers != nil {
                        rows.append((id, try value(item["value"], "value of \(key)"), item["name"]?.stringValue))
                    } else {
                        rows.append((id, try value(item, "value of \(key)"), nil))
                    }
                }
            } else if let array = root.arrayValue {
                for (i, entry) in array.enumerated() {
                    guard entry.objectMembers != nil else { throw bad("element \(i) is not an object") }
                    rows.append((try number(entry["id"], "id of element \(i)"), try value(entry["value"], "value of element \(i)"),
                                 entry["name"]?.stringValue))
                }
            } else {
                throw bad("top level must be an object or an array")
            }
        } else {
            let text = String(decoding: data, as: UTF8.self)
            for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
                let parts = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "," })
                if parts.isEmpty { continue }
                guard parts.count >= 2, let id = Int64(parts[0]), let v = UInt32(parts[1]) else {
                    throw ConversionError(.invalidValue, "label mapping line is not `<category id> <value> [name]`",
                                          context: ErrorContext(file: file, field: "line \(n + 1)"),
                                          hint: "write two integers and an optional name per line")
                }
                let name = parts.count > 2 ? parts[2...].joined(separator: " ") : nil
                rows.append((id, v, name))
            }
        }
        var seen = Set<Int64>()
        var entries: [LabelEntry] = []
        for row in rows {
            guard seen.insert(row.id).inserted else {
                throw ConversionError(.duplicateID, "label mapping lists category \(row.id) twice", context: context,
                                      hint: "keep one value per category")
            }
            let category = byID[row.id]
            entries.append(LabelEntry(value: row.value, categoryID: row.id,
                                      name: row.name ?? category?.name ?? "class \(row.value)", color: category?.color))
        }
        return LabelSchema(entries: entries, background: background, ignoreIndex: ignoreIndex)
    }
}
