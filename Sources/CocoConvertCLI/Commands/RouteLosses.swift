import CocoConvertCore
import Foundation

/// What a route loses and what it did to an existing output: lines for `--dry-run` and the summary.
extension ConversionPlan {
    /// The rows of the reader's and the writer's loss tables that this input is affected by.
    func lossLines(header: DatasetHeader, facts: InputFacts) -> [String] {
        let reading = (from.reader?.losses(header) ?? []).map { "loses (reading \(from.name)): \($0.feature.rawValue): \($0.consequence)" }
        let writing = facts.found(in: to.writer?.losses(values) ?? []).map { "loses (writing \(to.name)): \($0)" }
        return reading + writing
    }

    /// After a complete run into an output that held files: what was added, replaced and kept, and
    /// (`--overwrite`) the stale files of the writer's kinds removed.
    func existingOutputNotes() -> [String] {
        guard outputMode != .fresh else { return [] }
        var notes: [String] = []
        let tally = OutputLedger.tally
        var removed = 0
        if outputMode.removesStale, let writer = to.writer {
            let directories = outputIsFile ? outputPaths.dropFirst().filter { OutputLedger.wroteInside($0) } : [output]
            // Every input, and everything inside an input directory, stays.
            let protected = inputs.map(Self.standardized)
            func isInput(_ path: String) -> Bool {
                let file = Self.standardized(path)
                return protected.contains { file == $0 || file.hasPrefix($0 + "/") }
            }
            for directory in directories {
                for path in OwnedFiles.find(in: directory, patterns: writer.ownedFiles)
                where !OutputLedger.wrote(path) && !isInput(path) {
                    if unlink(path) == 0 { removed += 1 }
                }
            }
        }
        var parts = ["added \(Console.count(tally.created, "file"))"]
        if tally.replaced > 0 { parts.append("replaced \(tally.replaced)") }
        if tally.unchanged > 0 { parts.append("\(tally.unchanged) already there with the same content") }
        if outputMode.removesStale { parts.append("removed \(Console.count(removed, "stale file")) of the kinds \(to.name) writes") }
        notes.append("existing output (\(outputMode.flags)): " + parts.joined(separator: ", "))
        return notes
    }
}
