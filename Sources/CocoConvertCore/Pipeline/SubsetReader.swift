/// A reader that passes on a ``Subset`` of another reader's samples, and counts what it left out.
///
/// The header lists only the kept categories (in their original order and with their original
/// ids, so label values do not move) and the sample count it can still promise.
public final class SubsetReader: DatasetReader {
    public let header: DatasetHeader
    private let source: any DatasetReader
    private let subset: Subset
    private let keptCategories: Set<Int64>?

    /// What the subset left out so far.
    public private(set) var droppedSamples = 0
    public private(set) var droppedInstances = 0
    /// Categories of the source that the subset dropped.
    public let droppedCategories: Int
    /// Samples passed on.
    public private(set) var keptSamples = 0

    /// - Throws: `ConversionError` (.usage) when `--categories` names a category the input does
    ///   not declare (listing near names).
    public init(_ source: any DatasetReader, subset: Subset) throws {
        self.source = source
        self.subset = subset
        var header = source.header
        if let wanted = subset.categories {
            var kept: Set<Int64> = []
            for name in wanted {
                let matching = header.categories.filter { String($0.id) == name || $0.name == name }
                guard !matching.isEmpty else {
                    let near = EditDistance.nearest(to: name, in: header.categories.map(\.name)).map { "did you mean '\($0)'? " } ?? ""
                    throw ConversionError(.usage, "--categories: the input has no category '\(name)'",
                                          hint: near + "give names or ids of the input's categories ('cococonvert inspect' lists them)")
                }
                kept.formUnion(matching.map(\.id))
            }
            droppedCategories = header.categories.filter { !kept.contains($0.id) }.count
            header.categories = header.categories.filter { kept.contains($0.id) }
            keptCategories = kept
        } else {
            droppedCategories = 0
            keptCategories = nil
        }
        // Which ids exist, and how many the sample keeps, is known only at the end.
        if subset.imageIDs != nil || subset.fraction != nil { header.sampleCount = nil }
        if let limit = subset.limit, let count = header.sampleCount { header.sampleCount = min(count, limit) }
        self.header = header
    }

    public func next() throws -> Sample? {
        if let limit = subset.limit, keptSamples >= limit { return nil }
        while var sample = try source.next() {
            if let ids = subset.imageIDs, !ids.contains(sample.id) {
                droppedSamples += 1
                continue
            }
            if !subset.sampleKeeps(sample.id) {
                droppedSamples += 1
                continue
            }
            if let keptCategories {
                let before = sample.instances.count
                sample.instances.removeAll { !keptCategories.contains($0.categoryID) }
                droppedInstances += before - sample.instances.count
            }
            keptSamples += 1
            return sample
        }
        return nil
    }

    /// One line for the summary: what the subset kept and dropped.
    public var summary: String {
        var parts = ["kept \(keptSamples) sample\(keptSamples == 1 ? "" : "s")"]
        if droppedSamples > 0 { parts.append("\(droppedSamples) left out by --image-ids/--sample") }
        if subset.limit != nil { parts.append("--limit \(subset.limit ?? 0)") }
        if subset.categories != nil {
            parts.append("\(header.categories.count) categor\(header.categories.count == 1 ? "y" : "ies") kept, \(droppedCategories) dropped with \(droppedInstances) instance\(droppedInstances == 1 ? "" : "s")")
        }
        return "subset: " + parts.joined(separator: ", ")
    }
}
