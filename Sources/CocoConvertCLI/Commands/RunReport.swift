import CocoConvertCore
import Foundation
import Synchronization

/// `--report json` / `--report json=FILE`: the end of a conversion as one JSON object, for scripts
/// and the Python API.
///
/// A completed run reports what was written:
/// `{"status":"ok","exit_status":0,"route":"coco2voc","input":…,"inputs":[…],"output":…,"samples":8,"instances":172,
/// "files":25,"bytes":123456,"skipped":0,"skip_report":null,"notes":[],"seconds":0.12}`.
/// A failed one reports the error, with every field of ``ConversionError`` (absent ones are null):
/// `{"status":"error","exit_status":65,…,"error":{"code":"invalid-mask","message":…,"file":…,
/// "byte_offset":…,"image_id":…,"annotation_id":…,"field":…,"hint":…}}`. An interrupted run has
/// `"status":"interrupted"`. The report is written however the run ends, command-line mistakes included.
struct ReportRequest: Equatable {
    /// Where the report goes: stdout (which a conversion otherwise leaves empty) or a file, written
    /// under a temporary name and renamed.
    enum Destination: Equatable {
        case standardOutput
        case file(String)
    }

    var destination: Destination

    static let option = OptionSpec.value("report", "json[=FILE]", group: CommonOptions.group,
        help: "At the end, print one JSON object with the summary (samples, instances, files, bytes, skipped, notes, seconds) or the error (code, message, file, byte offset, image id, annotation id, hint) on stdout, or write it to FILE with json=FILE.")

    /// `json` or `json=FILE`.
    static func parse(_ value: String) throws -> ReportRequest {
        if value == "json" { return ReportRequest(destination: .standardOutput) }
        if value.hasPrefix("json="), value.count > 5 {
            return ReportRequest(destination: .file(String(value.dropFirst(5))))
        }
        throw ConversionError(.usage, "--report does not accept '\(value)'",
                              hint: "--report json prints the report on stdout; --report json=FILE writes it to FILE")
    }

    /// The `--report` request in a raw command line, found before the rest is parsed, so that even a
    /// command-line mistake is reported. Nil when there is none or it is malformed (the parser
    /// then reports that).
    static func find(in arguments: [String]) -> ReportRequest? {
        var index = 0
        var found: ReportRequest?
        while index < arguments.count, arguments[index] != "--" {
            let argument = arguments[index]
            if argument == "--report", index + 1 < arguments.count {
                found = try? parse(arguments[index + 1])
                index += 1
            } else if argument.hasPrefix("--report=") {
                found = try? parse(String(argument.dropFirst("--report=".count)))
            }
            index += 1
        }
        return found
    }
}

/// What a conversion ended with, collected by the ``Console`` as it reports it.
final class RunRecord: Sendable {
    struct Completed {
        var outcome: Conversion.Outcome
        var seconds: Double
        var skipped: Int
        var skipReport: String?
    }

    private struct State {
        var completed: Completed?
        var error: ConversionError?
        var otherError: String?
    }

    private let state = Mutex(State())

    func complete(_ completed: Completed) { state.withLock { $0.completed = completed } }
    func fail(_ error: ConversionError) { state.withLock { $0.error = $0.error ?? error } }
    func fail(message: String) { state.withLock { $0.otherError = $0.otherError ?? message } }

    /// The report of a run that exited with `status`.
    /// `inputs` are all the inputs (`"inputs"`); `"input"` is the first, as before several inputs.
    func json(status: Int32, route: String?, inputs: [String], output: String?) -> String {
        let state = state.withLock { $0 }
        var fields: [(String, JSONValue)] = []
        let outcome: String
        switch status {
        case 0: outcome = "ok"
        case 128...: outcome = "interrupted"
        default: outcome = "error"
        }
        fields.append(("status", .string(outcome)))
        fields.append(("exit_status", .int(Int64(status))))
        fields.append(("route", route.map(JSONValue.string) ?? .null))
        fields.append(("input", inputs.first.map(JSONValue.string) ?? .null))
        fields.append(("inputs", .array(inputs.map(JSONValue.string))))
        fields.append(("output", output.map(JSONValue.string) ?? .null))
        if status == 0, let done = state.completed {
            let s = done.outcome.summary
            fields += [
                ("samples", .int(Int64(s.samples))), ("instances", .int(Int64(s.instances))),
                ("files", .int(Int64(s.files))), ("bytes", .int(s.bytes)), ("skipped", .int(Int64(done.skipped))),
                ("skip_report", done.skipReport.map(JSONValue.string) ?? .null),
                ("notes", .array(s.notes.map(JSONValue.string))),
                ("seconds", .double((done.seconds * 1000).rounded() / 1000)),
            ]
        } else if status != 0 {
            let error = state.error ?? ConversionError(status == ExitStatus.usage ? .usage : .io,
                                                       state.otherError ?? "the run stopped (exit status \(status))")
            fields.append(("error", Self.json(error)))
        }
        return JSONValue.object(fields).text()
    }

    static func json(_ error: ConversionError) -> JSONValue {
        let c = error.context
        return .object([
            ("code", .string(error.code.name)), ("message", .string(error.message)),
            ("file", c.file.map(JSONValue.string) ?? .null),
            ("byte_offset", c.byteOffset.map { .int(Int64($0)) } ?? .null),
            ("image_id", c.imageID.map(JSONValue.int) ?? .null),
            ("annotation_id", c.annotationID.map(JSONValue.int) ?? .null),
            ("field", c.field.map(JSONValue.string) ?? .null),
            ("hint", error.hint.map(JSONValue.string) ?? .null),
        ])
    }

    /// Writes the report of a run that exited with `status`; returns the status, or 1 when the
    /// report file could not be written.
    func deliver(_ request: ReportRequest, status: Int32, route: String?, inputs: [String], output: String?,
                 console: Console) -> Int32 {
        let text = json(status: status, route: route, inputs: inputs, output: output)
        switch request.destination {
        case .standardOutput:
            console.out(text)
        case .file(let path):
            do {
                try AtomicFile.write(Array((text + "\n").utf8), to: path)
            } catch {
                console.say("error: the report could not be written to \(path): \(error)")
                return status == 0 ? ExitStatus.failure : status
            }
        }
        return status
    }
}

extension ConvertCommand {
    /// ``run(_:)`` and, with `--report`, the report of how it ended.
    func runReporting(_ arguments: [String]) -> Int32 {
        let parsed = try? ConvertArguments.parse(arguments, registry: registry)
        if let value = parsed?.values.string("report") {
            do {
                _ = try ReportRequest.parse(value)
            } catch let error as ConversionError {
                console.error(error)
                return ExitStatus.usage
            } catch {
                return ExitStatus.usage
            }
        }
        guard let request = ReportRequest.find(in: arguments) else { return run(arguments) }
        let record = RunRecord()
        let recording = ConvertCommand(registry: registry, console: Console(recordingInto: record, base: console),
                                       handlesSignals: handlesSignals)
        let status = recording.run(arguments)
        // A command line that did not parse still names its route (`convert --from F --to T …`).
        func raw(_ name: String) -> String? {
            arguments.firstIndex(of: "--" + name).flatMap { $0 + 1 < arguments.count ? arguments[$0 + 1] : nil }
        }
        let route = parsed.flatMap { p in p.from.flatMap { f in p.to.map { "\(f.name)2\($0.name)" } } }
            ?? raw("from").flatMap { from in raw("to").map { "\(from)2\($0)" } }
        let paths = parsed?.paths ?? []
        // ROUTE IN... OUT: the last path is the output.
        return record.deliver(request, status: status, route: route, inputs: paths.count > 1 ? Array(paths.dropLast()) : paths,
                              output: paths.count > 1 ? paths.last : nil, console: console)
    }
}
