import CocoConvertCore

/// The loss table and dry-run lines shared by the formats that store painted label maps.
extension LabelOptions {
    /// What a label map cannot carry, under these options. `keepsInstances`: the format also
    /// stores an instance map (VOC's SegmentationObject), so instances of one class stay apart.
    public func labelMapLosses(defaultCrowd: CrowdPolicy, keepsInstances: Bool = false) -> [Loss] {
        let crowdPolicy = crowd ?? labels.flatMap { LabelPreset.named($0)?.crowd } ?? defaultCrowd
        var losses: [Loss] = []
        if kind == .semantic && !keepsInstances {
            losses.append(Loss(.separateInstances, "a semantic map holds one region per category and image (--kind instance keeps instances apart)"))
        }
        losses.append(Loss(.annotationIDs, "not stored; read back, instances are numbered anew"))
        switch crowdPolicy {
        case .skip: losses.append(Loss(.crowds, "left out of the maps (--crowd skip)"))
        case .ignore: losses.append(Loss(.crowds, "painted with the ignore value, so read back they are not instances (--crowd ignore)"))
        case .include: losses.append(Loss(.crowds, "painted like other instances; the iscrowd flag is lost (--crowd include)"))
        }
        losses += [
            Loss(.scores, "not stored"),
            Loss(.extraFields, "not stored"),
            Loss(.polygons, "rasterised; read back as masks"),
            Loss(.masklessInstances, "have no pixels to paint and are left out"),
            Loss(.storedAreaAndBox, "not stored; read back, they are recomputed from the pixels"),
        ]
        return losses
    }

    /// For `--dry-run`: the label mapping and painting policies a writer would use for `header`.
    public func previewLines(for header: DatasetHeader, defaultCrowd: CrowdPolicy) throws -> [String] {
        let paint = try paintOptions(for: header, defaultCrowd: defaultCrowd)
        let entries = paint.schema.entries
        let shown = entries.prefix(3).map { "\($0.name) → \($0.value)" }
            + (entries.count > 4 ? ["…"] : []) + (entries.count > 3 ? [entries.last].compactMap { $0 }.map { "\($0.name) → \($0.value)" } : [])
        var lines = ["label values (\(labels ?? (header.labelSchema != nil ? "the input's own" : "contiguous"))): "
                     + "\(entries.count) categories, \(shown.joined(separator: ", ")); background \(paint.schema.background), ignore \(paint.schema.ignoreIndex)"]
        lines.append("painting: --kind \(paint.kind.rawValue), --crowd \(paint.crowd.rawValue), --overlap \(paint.overlap.rawValue)")
        if let note = paint.unmappedNote(for: header.categories) { lines.append(note) }
        return lines
    }
}
