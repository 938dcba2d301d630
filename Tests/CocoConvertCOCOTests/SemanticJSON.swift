import Foundation

/// Semantic comparison of two JSON documents parsed by Foundation (tests only): objects by key set and
/// values, arrays in order, numbers by value (so `61` equals `61.0`), strings exactly.
enum SemanticJSON {
    /// The first difference between `a` and `b`, or nil when they are semantically equal.
    static func difference(_ a: Any, _ b: Any, path: String = "$") -> String? {
        switch (a, b) {
        case let (x as [String: Any], y as [String: Any]):
            if Set(x.keys) != Set(y.keys) {
                return "\(path): keys differ: \(x.keys.sorted()) vs \(y.keys.sorted())"
            }
            for key in x.keys.sorted() {
                if let d = difference(x[key] as Any, y[key] as Any, path: path + "." + key) { return d }
            }
            return nil
        case let (x as [Any], y as [Any]):
            if x.count != y.count { return "\(path): \(x.count) vs \(y.count) elements" }
            for k in 0..<x.count {
                if let d = difference(x[k], y[k], path: path + "[\(k)]") { return d }
            }
            return nil
        case let (x as String, y as String):
            return x == y ? nil : "\(path): \"\(x.prefix(60))\" vs \"\(y.prefix(60))\""
        case let (x as NSNumber, y as NSNumber):
            return x.doubleValue == y.doubleValue ? nil : "\(path): \(x) vs \(y)"
        case (is NSNull, is NSNull):
            return nil
        default:
            return "\(path): \(type(of: a)) vs \(type(of: b))"
        }
    }

    /// `records` keyed by their integer `id`.
    static func byID(_ records: [[String: Any]]) -> [Int64: [String: Any]] {
        var out: [Int64: [String: Any]] = [:]
        for r in records { out[(r["id"] as? NSNumber)?.int64Value ?? -1] = r }
        return out
    }

    /// A canonical text of a record (sorted keys), for comparing unordered lists.
    static func canonical(_ value: Any) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
