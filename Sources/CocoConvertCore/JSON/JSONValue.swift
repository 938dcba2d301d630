/// A small JSON document: the one JSON writer of the project's small outputs (inspect reports,
/// summaries, sidecar files, JSON stored in attributes), and what ``init(parsing:limits:context:)-([UInt8],_,_)``
/// reads such documents into. Object members keep their order.
public indirect enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])
    /// JSON text already known to be valid (an ``ExtraField``'s `rawJSON`), written verbatim.
    case raw(String)

    public static func == (a: JSONValue, b: JSONValue) -> Bool {
        a.text() == b.text()
    }

    /// An optional value, `null` when absent.
    public static func optional(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }
    public static func optional(_ value: Int?) -> JSONValue { value.map { .int(Int64($0)) } ?? .null }
    public static func int(_ value: Int) -> JSONValue { .int(Int64(value)) }

    /// An object of `extra`'s members, their values verbatim.
    public static func object(_ extra: [ExtraField]) -> JSONValue { .object(extra.map { ($0.key, .raw($0.rawJSON)) }) }

    /// The document as text: compact, or indented by two spaces per level.
    public func text(pretty: Bool = false) -> String {
        var out = ""
        write(into: &out, pretty: pretty, indent: 0)
        return out
    }

    private func write(into out: inout String, pretty: Bool, indent: Int) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .double(let d):
            if d.isFinite {
                out += d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : String(d)
            } else {
                out += "null"
            }
        case .string(let s): out += jsonString(s)
        case .raw(let text): out += text
        case .array(let items):
            guard !items.isEmpty else { out += "[]"; return }
            out += "["
            for (index, item) in items.enumerated() {
                if index > 0 { out += "," }
                if pretty { out += "\n" + String(repeating: "  ", count: indent + 1) }
                item.write(into: &out, pretty: pretty, indent: indent + 1)
            }
            if pretty { out += "\n" + String(repeating: "  ", count: indent) }
            out += "]"
        case .object(let members):
            guard !members.isEmpty else { out += "{}"; return }
            out += "{"
            for (index, (key, value)) in members.enumerated() {
                if index > 0 { out += "," }
                if pretty { out += "\n" + String(repeating: "  ", count: indent + 1) }
                out += jsonString(key) + (pretty ? ": " : ":")
                value.write(into: &out, pretty: pretty, indent: indent + 1)
            }
            if pretty { out += "\n" + String(repeating: "  ", count: indent) }
            out += "}"
        }
    }
}
