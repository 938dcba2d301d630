import CocoConvertCore
import Foundation

/// `--dry-run`: reads and checks the whole input through the same reader and subset as a run,
/// renders and writes nothing (no lock, no skip report, no temporary file), and prints on stdout
/// what a run would write and lose.
extension ConversionPlan {
    func preview(console: Console, registry: FormatRegistry) -> Int32 {
        let skips = SkipReport(policy: onError)
        let started = Date()
        do {
            let reader: any DatasetReader
            do {
                reader = try open(input, skips)
            } catch let error as ConversionError where error.code != .usage {
                throw explainWrongReader(error, registry: registry)
            }
            let subsetReader = subset.isEverything ? nil : try SubsetReader(reader, subset: subset)
            let source: any DatasetReader = subsetReader ?? reader
            var facts = InputFacts(header: source.header)
            while let sample = try source.next() {
                facts.add(sample)
                switch sample.image {
                case .file(let path): facts.imageBytes += Int64((try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0)
                case .bytes(let bytes): facts.imageBytes += Int64(bytes.count)
                case .none: break
                }
            }
            let header = source.header
            var lines = ["dry run: \(from.name) → \(to.name), nothing written (read and checked in \(String(format: "%.2f", Date().timeIntervalSince(started))) s)"]
            lines.append("input: \(input): \(Console.count(facts.samples, "sample")), \(Console.count(facts.instances, "instance")), "
                         + "\(facts.declaredCategories) categor\(facts.declaredCategories == 1 ? "y" : "ies") (\(header.kind.rawValue))")
            if let subsetReader { lines.append(subsetReader.summary) }
            if skips.count > 0 { lines.append("would skip \(Console.count(skips.count, "item")) (--on-error skip); a run lists them in \(skipReportPath)") }
            let mode = outputMode == .fresh ? "" : " (\(outputMode.flags) into the existing output)"
            if let estimate = try to.writer?.preview?(values, header, facts) {
                lines.append("would write: \(Console.count(estimate.files, "file")), about \(ByteCount.format(estimate.bytes)) → \(output)\(mode)")
                lines += estimate.lines.map { "  " + $0 }
            } else {
                lines.append("would write: \(Console.count(facts.samples, "sample")) → \(output)\(mode)")
            }
            lines.append("policies: --on-error \(onError.rawValue)" + (jobs.map { ", --jobs \($0)" } ?? ""))
            let losses = lossLines(header: header, facts: facts)
            lines += losses.isEmpty ? ["losses: none for this input"] : losses
            console.out(lines.joined(separator: "\n"))
            return ExitStatus.success
        } catch let error as ConversionError {
            var error = error
            if error.context.file == nil && error.isAboutOneItem { error = error.adding(ErrorContext(file: input)) }
            console.error(error)
            if onError == .fail && error.isAboutOneItem {
                console.say("hint: --on-error skip leaves such items out and goes on")
            }
            return error.code == .usage ? ExitStatus.usage : ExitStatus.data
        } catch {
            console.say("error: \(error)")
            return ExitStatus.failure
        }
    }
}
