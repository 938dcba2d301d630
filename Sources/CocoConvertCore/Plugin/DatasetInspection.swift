/// The `inspect` every readable format gets: reads every sample through the format's reader and
/// counts what it holds. Formats with a faster index scan (COCO) or file-level facts (HDF5) bring
/// their own ``Inspector``.
public enum DatasetInspection {
    /// Reads `reader` to the end. Problems the reader reports through `skips` (opened with the
    /// `skip` policy) are counted and the first `problemLimit` listed. `progress` hears of every sample read.
    public static func inspect(reader: any DatasetReader, format: FormatPlugin, path: String, skips: SkipReport,
                               problemLimit: Int, progress: Conversion.Progress? = nil) throws -> Inspection {
        let header = reader.header
        var samples = 0, instances = 0, crowd = 0, withoutInstances = 0
        var perCategory: [Int64: (instances: Int, crowd: Int)] = [:]
        var sizes: [String: Int] = [:]
        while let sample = try reader.next() {
            samples += 1
            progress?(samples, header.sampleCount)
            instances += sample.instances.count
            if sample.instances.isEmpty { withoutInstances += 1 }
            sizes["\(sample.width)×\(sample.height)", default: 0] += 1
            for instance in sample.instances {
                perCategory[instance.categoryID, default: (0, 0)].instances += 1
                if instance.isCrowd {
                    crowd += 1
                    perCategory[instance.categoryID, default: (0, 0)].crowd += 1
                }
            }
        }
        let problems = skips.jsonLines
        let ids = Set(perCategory.keys).union(header.categories.map(\.id)).sorted()
        let topSizes = sizes.sorted { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }

        var lines: [String] = []
        func row(_ label: String, _ value: String) {
            lines.append(label.padding(toLength: 15, withPad: " ", startingAt: 0) + value)
        }
        row("path", path)
        row("format", format.name + " (" + format.summary + ")")
        if let split = header.split { row("split", split) }
        row("samples", "\(samples)" + (withoutInstances > 0 ? " (\(withoutInstances) without instances)" : ""))
        row("instances", "\(instances) (crowd \(crowd))")
        row("categories", "\(header.categories.count)")
        if !topSizes.isEmpty {
            let shown = topSizes.prefix(6).map { "\($0.key): \($0.value)" }
            let rest = topSizes.dropFirst(6).reduce(0) { $0 + $1.value }
            row("image sizes", shown.joined(separator: ", ") + (rest > 0 ? ", \(topSizes.count - 6) other sizes: \(rest)" : ""))
        }
        if !ids.isEmpty {
            lines.append("")
            lines.append("      id  category                     instances     crowd")
            for id in ids {
                let name = (header.category(id: id)?.name ?? "(not declared)").padding(toLength: 26, withPad: " ", startingAt: 0)
                let counts = perCategory[id] ?? (0, 0)
                lines.append(pad(String(id), 8) + "  " + name + pad(String(counts.instances), 10) + pad(String(counts.crowd), 10))
            }
        }
        lines.append("")
        if problems.isEmpty {
            lines.append("problems: none found")
        } else {
            lines.append("problems: \(problems.count)" + (problems.count > problemLimit ? " (first \(problemLimit) listed)" : ""))
            lines += problems.prefix(problemLimit).map { "  " + $0 }
        }

        let json = JSONValue.object([
            ("format", .string(format.name)), ("path", .string(path)), ("split", .optional(header.split)),
            ("samples", .int(samples)), ("samples_without_instances", .int(withoutInstances)),
            ("instances", .int(instances)), ("crowd", .int(crowd)), ("categories", .int(header.categories.count)),
            ("per_category", .array(ids.map { id in
                let counts = perCategory[id] ?? (0, 0)
                return .object([("id", .int(id)), ("name", .optional(header.category(id: id)?.name)),
                                ("instances", .int(counts.instances)), ("crowd", .int(counts.crowd))])
            })),
            ("image_sizes", .array(topSizes.map { .object([("size", .string($0.key)), ("images", .int($0.value))]) })),
            ("problem_count", .int(problems.count)),
            ("problems", .array(problems.prefix(problemLimit).map { .string($0) })),
        ])
        var inspection = Inspection(table: lines.joined(separator: "\n"), json: json.text(pretty: true))
        inspection.problemCount = problems.count
        return inspection
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
    }
}
