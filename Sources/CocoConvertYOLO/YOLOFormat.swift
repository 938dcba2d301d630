import CocoConvertCore

/// Ultralytics YOLO datasets (segmentation or detection) as a cococonvert format (formats/yolo.md).
public enum YOLOFormat {
    public static let plugin = FormatPlugin(
        name: "yolo",
        aliases: ["ultralytics"],
        summary: "Ultralytics YOLO: images/<split>/, labels/<split>/*.txt (polygons or boxes, normalised), data.yaml",
        reader: .splitSelecting(accepts: "a YOLO dataset root (data.yaml, or images/ + labels/) or its data.yaml; polygons and boxes; sizes from image headers", detect: detect) { try YOLOReader(path: $0, split: $1, skips: $2) },
        writer: WriterPlugin(
            produces: "OUT/images/<split>/, OUT/labels/<split>/<stem>.txt (one line per object), OUT/data.yaml; masks traced exactly into one ring per object",
            output: .directory,
            options: [
                .choice("task", YOLOTask.self, help: "segment (one polygon per object; default) or detect (one box per object)."),
                .value("classes", "NAME|FILE", help: "Class ids: contiguous (0…n−1 in category order; default), coco80 (Ultralytics' 91→80 COCO table), or a mapping FILE (JSON {\"<category id>\": index} or lines 'id index [name]')."),
                OptionSpec(name: "crowd", kind: .value("MODE"), help: "Crowd annotations: skip (default; counted in the summary) or include (traced to polygons).", choices: ["skip", "include"]),
                .choice("image-mode", ImageMode.self, help: "How images/<split>/ is filled: hardlink (default; falls back to copy), copy, symlink, or none."),
                .value("simplify", "PX", help: "Simplify polygons within PX pixels without changing their topology (default 0: exact)."),
                SharedOptions.split,
            ],
            partitionUnit: WriterPlugin.onePerSample,
            configure: { values in
                var options = YOLOWriterOptions()
                options.task = try values.choice("task", as: YOLOTask.self) ?? .segment
                options.classes = values.string("classes") ?? "contiguous"
                options.includeCrowds = values.string("crowd") == "include"
                options.imageMode = try values.choice("image-mode", as: ImageMode.self) ?? .hardlink
                options.split = values.string("split")
                if let text = values.string("simplify") {
                    guard let value = Double(text), value >= 0, value <= 1000 else {
                        throw ConversionError(.usage, "--simplify expects a pixel tolerance 0…1000, not '\(text)'")
                    }
                    options.simplify = value
                }
                if !["contiguous", "coco80"].contains(options.classes.lowercased()), !InputProbe.fileExists(options.classes) {
                    throw ConversionError(.usage, "--classes '\(options.classes)' is neither contiguous, coco80 nor a mapping file")
                }
                return { output, skips in YOLOWriter(output: output, options: options, skips: skips) }
            }).describing(owns: ["labels/*/*.txt", "images/*/*", YOLOLayout.dataFileName], losses: losses, preview: preview))

    /// What a YOLO dataset cannot carry.
    @Sendable static func losses(_ values: OptionValues) -> [Loss] {
        var losses = [
            values.string("crowd") == "include" ? Loss(.crowds, "traced like other objects; the iscrowd flag is lost")
                : Loss(.crowds, "left out (--crowd skip)"),
            Loss(.annotationIDs, "not stored"),
            Loss(.scores, "not stored"),
            Loss(.extraFields, "not stored"),
            Loss(.storedAreaAndBox, "not stored; read back, they are recomputed from the rings"),
        ]
        if values.string("task") == YOLOTask.detect.rawValue {
            losses.append(Loss(.polygons, "only their boxes are written (--task detect)"))
        } else {
            losses.append(Loss(.masklessInstances, "have no outline to write and are left out (--task detect writes boxes)"))
        }
        return losses
    }

    /// `--dry-run`: a label file and an image per sample, data.yaml.
    @Sendable static func preview(_ values: OptionValues, _ header: DatasetHeader, _ facts: InputFacts) throws -> OutputPreview {
        let imageMode = try values.choice("image-mode", as: ImageMode.self) ?? .hardlink
        let files = facts.samples * (imageMode == .none ? 1 : 2) + 1
        return OutputPreview(files: files, bytes: Int64(facts.instances) * 400 + (imageMode == .copy ? facts.imageBytes : 0),
                             lines: ["--task \(values.string("task") ?? "segment"), --classes \(values.string("classes") ?? "contiguous") "
                                     + "(\(header.categories.count) classes), --image-mode \(imageMode.rawValue)"])
    }

    /// A directory holding data.yaml (or images/ and labels/), or a data.yaml file.
    static func detect(_ probe: InputProbe) -> Detection? {
        if probe.isDirectory {
            if probe.entries.contains(YOLOLayout.dataFileName) { return Detection(confidence: 95, "a YOLO dataset (data.yaml)") }
            if probe.entries.contains("images") && probe.entries.contains("labels") {
                return Detection(confidence: 70, "a YOLO dataset (images/ and labels/)")
            }
            return nil
        }
        if ["yaml", "yml"].contains(probe.fileExtension), probe.headText.contains("names") {
            return Detection(confidence: 90, "a YOLO data.yaml")
        }
        return nil
    }
}
