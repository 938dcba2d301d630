import Synchronization

/// What to do with a bad sample or annotation: stop, or leave it out and say so.
public enum ErrorPolicy: String, Sendable, CaseIterable {
    /// Stop at the first problem with a non-zero exit (the default).
    case fail
    /// Leave the bad item out, record it in the skip report, and go on.
    case skip
}

/// Collects what a conversion left out under `--on-error skip`, as JSON lines.
///
/// Thread-safe: readers and writers on any thread may report (the records sit behind a `Mutex`).
public final class SkipReport: Sendable {
    private struct Records {
        var lines: [String] = []
        var count = 0
    }

    private let records = Mutex(Records())
    public let policy: ErrorPolicy

    public init(policy: ErrorPolicy) {
        self.policy = policy
    }

    /// Problems recorded so far.
    public var count: Int {
        records.withLock { $0.count }
    }

    /// Under `.fail` rethrows `error`; under `.skip` records it and returns.
    public func report(_ error: ConversionError) throws {
        guard policy == .skip else { throw error }
        let line = Self.jsonLine(error)
        records.withLock {
            $0.count += 1
            $0.lines.append(line)
        }
    }

    /// Every recorded problem, one JSON object per line.
    public var jsonLines: [String] {
        records.withLock { $0.lines }
    }

    static func jsonLine(_ error: ConversionError) -> String {
        var fields: [(String, JSONValue)] = [("code", .string(error.code.name)), ("message", .string(error.message))]
        let c = error.context
        if let file = c.file { fields.append(("file", .string(file))) }
        if let offset = c.byteOffset { fields.append(("byte_offset", .int(offset))) }
        if let image = c.imageID { fields.append(("image_id", .int(image))) }
        if let annotation = c.annotationID { fields.append(("annotation_id", .int(annotation))) }
        if let field = c.field { fields.append(("field", .string(field))) }
        if let hint = error.hint { fields.append(("hint", .string(hint))) }
        return JSONValue.object(fields).text()
    }
}

/// `s` as a JSON string literal, with quotes, backslashes and control characters escaped.
public func jsonString(_ s: String) -> String {
    var out = "\""
    out.reserveCapacity(s.utf8.count + 2)
    for scalar in s.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        default:
            if scalar.value < 0x20 {
                out += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count)
                    + String(scalar.value, radix: 16)
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
    }
    return out + "\""
}
