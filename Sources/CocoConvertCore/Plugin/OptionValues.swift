/// The options given on one command line, by long name, with typed accessors that turn a bad value
/// into a usage error naming the option.
///
/// A format's `configure` reads what it declared; the parser has already refused options the
/// route does not have and values outside a declared set of choices.
public struct OptionValues: Sendable {
    private var values: [String: [String]]

    public init(_ values: [String: [String]] = [:]) {
        self.values = values
    }

    /// Records one occurrence (flags are recorded with an empty value).
    public mutating func append(_ name: String, _ value: String = "") {
        values[name, default: []].append(value)
    }

    /// Removes an option (a route's defaults may be computed and set again).
    public mutating func remove(_ name: String) {
        values[name] = nil
    }

    /// The names given, sorted.
    public var names: [String] { values.keys.sorted() }

    /// Whether the option was given.
    public func has(_ name: String) -> Bool { values[name] != nil }

    /// Whether a flag was given.
    public func flag(_ name: String) -> Bool { values[name] != nil }

    /// The value given last, if any (a repeated option overrides, as in most command lines).
    public func string(_ name: String) -> String? { values[name]?.last }

    /// Every value given, in order.
    public func strings(_ name: String) -> [String] { values[name] ?? [] }

    /// The value as a whole number within `range`.
    public func int(_ name: String, in range: ClosedRange<Int> = Int.min...Int.max) throws -> Int? {
        guard let text = string(name) else { return nil }
        guard let value = Int(text) else {
            throw ConversionError(.usage, "--\(name) expects a whole number, not '\(text)'")
        }
        guard range.contains(value) else {
            let bounds = range.upperBound == Int.max ? "at least \(range.lowerBound)" : "\(range.lowerBound)...\(range.upperBound)"
            throw ConversionError(.usage, "--\(name) must be \(bounds), not \(value)")
        }
        return value
    }

    /// The value as a case of a string enumeration.
    public func choice<Choice: CaseIterable & RawRepresentable>(_ name: String, as type: Choice.Type) throws -> Choice?
    where Choice.RawValue == String {
        guard let text = string(name) else { return nil }
        guard let value = Choice(rawValue: text) ?? Choice(rawValue: text.lowercased()) else {
            let known = Choice.allCases.map(\.rawValue).joined(separator: ", ")
            throw ConversionError(.usage, "--\(name) does not accept '\(text)'", hint: "choose one of \(known)")
        }
        return value
    }

    /// Refuses options given together that cannot be combined.
    public func refuseTogether(_ a: String, _ b: String, hint: String? = nil) throws {
        if has(a) && has(b) {
            throw ConversionError(.usage, "--\(a) and --\(b) cannot be used together", hint: hint)
        }
    }
}
