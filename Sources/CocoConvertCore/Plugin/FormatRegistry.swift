/// The formats a build of cococonvert knows, in the order `cococonvert formats` lists them.
///
/// The command line asks the registry everything about formats: route names, the options of a
/// route, which routes an option belongs to, what an input looks like. A new format is one more
/// plugin in the list the executable passes in; nothing else changes.
public struct FormatRegistry: Sendable {
    public let plugins: [FormatPlugin]

    /// - Precondition: names and aliases are unique, lower case, letters, digits and `-` only,
    ///   and a name contains no route separator (`2`, `:`, `->`, `-to-`).
    public init(_ plugins: [FormatPlugin]) {
        var seen: Set<String> = []
        for plugin in plugins {
            for name in plugin.names {
                precondition(seen.insert(name).inserted, "format name \(name) is registered twice")
                precondition(!name.isEmpty && name.allSatisfy { $0.isLowercase || $0.isNumber || $0 == "-" },
                             "format name \(name) must be lower case letters, digits and '-'")
            }
        }
        self.plugins = plugins
    }

    /// The same registry with more plugins (a test's toy format, a downstream build's own).
    public func adding(_ more: [FormatPlugin]) -> FormatRegistry {
        FormatRegistry(plugins + more)
    }

    /// The plugin a name or alias stands for (case-insensitive).
    public func plugin(named name: String) -> FormatPlugin? {
        let lower = name.lowercased()
        return plugins.first { $0.names.contains(lower) }
    }

    /// Every name and alias.
    public var allNames: [String] { plugins.flatMap(\.names) }

    /// The format names, for messages: "coco, png, voc, hdf5, tfrecord".
    public var nameList: String { plugins.map(\.name).joined(separator: ", ") }

    /// The separators a route may use between two format names.
    public static let routeSeparators = ["-to-", "->", "2", ":"]

    /// The two formats a route word (`coco2voc`, `coco:voc`, `coco->voc`) names, if it is one.
    public func route(_ word: String) -> (from: FormatPlugin, to: FormatPlugin)? {
        for (left, right) in Self.routeSplits(word) {
            if let from = plugin(named: left), let to = plugin(named: right) { return (from, to) }
        }
        return nil
    }

    /// Every way to cut `word` at a route separator.
    public static func routeSplits(_ word: String) -> [(String, String)] {
        let lower = word.lowercased()
        var result: [(String, String)] = []
        for separator in routeSeparators {
            var start = lower.startIndex
            while let range = lower.range(of: separator, range: start..<lower.endIndex) {
                result.append((String(lower[..<range.lowerBound]), String(lower[range.upperBound...])))
                start = range.upperBound
            }
        }
        return result
    }

    /// The route a mistyped one probably meant (`coco2vco` → `coco2voc`), within two edits of a format name.
    public func routeSuggestion(for word: String) -> String? {
        var best: (distance: Int, text: String)?
        for (left, right) in Self.routeSplits(word) where !left.isEmpty && !right.isEmpty {
            let separator = String(word.dropFirst(left.count).dropLast(right.count))
            guard let from = nearestName(to: left), let to = nearestName(to: right) else { continue }
            let distance = from.distance + to.distance
            if distance > 0, distance <= 2, best.map({ distance < $0.distance }) ?? true {
                best = (distance, from.name + separator + to.name)
            }
        }
        return best?.text
    }

    /// The format name closest to `word` (at most two edits away).
    public func nearestName(to word: String) -> (name: String, distance: Int)? {
        let lower = word.lowercased()
        let scored = allNames.map { ($0, EditDistance.between(lower, $0)) }.filter { $0.1 <= 2 }
        return scored.min { $0.1 < $1.1 }.map { (plugin(named: $0.0)?.name ?? $0.0, $0.1) }
    }

    /// Which plugins recognise an input, most confident first.
    public func detect(_ probe: InputProbe) -> [(plugin: FormatPlugin, detection: Detection)] {
        plugins.compactMap { plugin in plugin.reader?.detect(probe).map { (plugin, $0) } }
            .sorted { $0.detection.confidence > $1.detection.confidence }
    }

    /// Routes whose reader or writer declares `--name`, for "applies to" messages: `["reading tfrecord", "writing hdf5"]`.
    public func owners(ofOption name: String) -> [String] {
        var owners: [String] = []
        for plugin in plugins {
            if plugin.reader?.options.contains(where: { $0.name == name }) == true { owners.append("reading \(plugin.name)") }
            if plugin.writer?.options.contains(where: { $0.name == name }) == true { owners.append("writing \(plugin.name)") }
        }
        return owners
    }

    /// Every option any plugin declares, for did-you-mean on unknown options.
    public var allOptionNames: Set<String> {
        Set(plugins.flatMap { ($0.reader?.options ?? []) + ($0.writer?.options ?? []) }.map(\.name))
    }
}

/// Edit distance counting a swap of two neighbours as one edit (optimal string alignment), for
/// did-you-mean suggestions on short words: `vco` is one edit from `voc`.
public enum EditDistance {
    public static func between(_ a: String, _ b: String) -> Int {
        let a = Array(a.unicodeScalars), b = Array(b.unicodeScalars)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var table = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { table[i][0] = i }
        for j in 0...b.count { table[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var best = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    best = min(best, table[i - 2][j - 2] + 1)
                }
                table[i][j] = best
            }
        }
        return table[a.count][b.count]
    }

    /// The candidate nearest `word`, if within `limit` edits. A candidate that begins with all of
    /// `word` but its last letter (`category` → `categories`) counts as one edit.
    public static func nearest(to word: String, in candidates: some Sequence<String>, limit: Int = 2) -> String? {
        var best: (name: String, distance: Int)?
        for candidate in candidates {
            let stem = word.dropLast()
            let distance = stem.count >= 5 && candidate.hasPrefix(stem) ? min(1, between(word, candidate)) : between(word, candidate)
            guard distance <= limit else { continue }
            if let current = best, current.distance < distance || (current.distance == distance && current.name <= candidate) { continue }
            best = (candidate, distance)
        }
        return best?.name
    }
}
