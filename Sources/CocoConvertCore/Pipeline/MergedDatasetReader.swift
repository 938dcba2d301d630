/// Several inputs of one format read as one dataset: samples with the same image id are merged.
///
/// The first input sets the order: its samples come out in its order, each with the annotations the
/// later inputs hold for the same image appended (first input's annotations first, so "later wins"
/// painting puts the later inputs on top). Images only a later input has come after the first
/// input's, in that input's order.
///
/// How a later input is followed:
/// - a ``RandomAccessDatasetReader`` (COCO JSON) is looked up by image id, in any order; memory is
///   its index plus one position map;
/// - any other reader is streamed in step with the first: its samples are read ahead, at most
///   ``lookahead`` of them, until the wanted image turns up. Inputs that list their images in the
///   same order (as COCO's instances and stuff files do) never read ahead; one whose order differs by
///   more than the window stops the run with an error that says so.
///
/// Rules: an image's sizes must agree in every input; annotations keep their ids. When the ids are the
/// files' own (every input indexed, i.e. COCO JSON, and not panoptic, whose segment ids are per image),
/// an id used twice (in one image or in two) is an error — the ids seen are kept in one set, 8 to 16
/// bytes per annotation, the only memory that grows with the dataset besides the inputs' own indexes.
/// Readers of other formats number annotations themselves, so their ids are not compared.
/// Headers: categories are the union (same id with a different name is an error naming both files),
/// instances and stuff merge into instances, other kinds only with their own kind.
public final class MergedDatasetReader: DatasetReader {
    public let header: DatasetHeader
    /// Samples of a streamed input read ahead of the first input, at most.
    public let lookahead: Int

    private let first: Source
    private let later: [Later]
    private let skips: SkipReport
    /// The first input is done; now the images only later inputs hold are drained.
    private var draining = 0
    private var firstDone = false
    /// Per later input: images merged into one of the first input's, and images only it has.
    private var merged: [Int]
    private var onlyLater: [Int]
    /// Every annotation id read so far, from any input: ids are kept, so two inputs must not share one.
    private var annotationIDs: Set<Int64> = []
    /// Whether the inputs' annotation ids are their own and dataset-wide (see the type's rules).
    private let checksAnnotationIDs: Bool

    /// One input: its path (for messages) and its reader.
    public struct Source {
        public var path: String
        public var reader: any DatasetReader
        public init(path: String, reader: any DatasetReader) {
            self.path = path
            self.reader = reader
        }
    }

    /// Merges `inputs` (at least two) into one dataset.
    /// - Throws: `ConversionError` when the headers cannot be merged (category clash, kinds).
    public init(_ inputs: [Source], skips: SkipReport, lookahead: Int = 4096) throws {
        precondition(inputs.count >= 2, "MergedDatasetReader needs two inputs or more")
        self.skips = skips
        self.lookahead = max(1, lookahead)
        first = inputs[0]
        later = inputs.dropFirst().map { Later($0) }
        merged = Array(repeating: 0, count: later.count)
        onlyLater = Array(repeating: 0, count: later.count)
        header = try Self.mergedHeader(inputs, later: later)
        checksAnnotationIDs = header.kind != .panoptic && inputs.allSatisfy { $0.reader is any RandomAccessDatasetReader }
    }

    /// One line for the run summary: what each later input added.
    public var summary: String {
        func images(_ n: Int) -> String { "\(n) image\(n == 1 ? "" : "s")" }
        let parts = later.indices.map { i in
            "\(later[i].source.path) added annotations to \(images(merged[i])) of \(first.path) and \(images(onlyLater[i])) of its own"
        }
        return "inputs merged by image id: " + parts.joined(separator: "; ")
    }

    public func next() throws -> Sample? {
        while !firstDone {
            guard var sample = try first.reader.next() else {
                firstDone = true
                break
            }
            do {
                try claimAnnotationIDs(of: sample, from: first.path)
                var found: [Int] = []
                for (i, input) in later.enumerated() {
                    if let other = try input.take(sample.id, lookahead: lookahead, first: first.path) {
                        try merge(other, from: input.source.path, into: &sample)
                        found.append(i)
                    }
                }
                for i in found { merged[i] += 1 }
                return sample
            } catch let error as ConversionError where error.isItemProblem {
                try skips.report(error)
            }
        }
        while draining < later.count {
            if let sample = try later[draining].nextUnmatched() {
                do {
                    try claimAnnotationIDs(of: sample, from: later[draining].source.path)
                } catch let error as ConversionError where error.isItemProblem {
                    try skips.report(error)
                    continue
                }
                onlyLater[draining] += 1
                return sample
            }
            draining += 1
        }
        return nil
    }

    /// Appends `other`'s annotations to `sample` after checking that they describe the same image.
    private func merge(_ other: Sample, from path: String, into sample: inout Sample) throws {
        let context = ErrorContext(file: path, imageID: sample.id)
        if other.width != sample.width || other.height != sample.height {
            throw ConversionError(.sizeMismatch,
                "is \(other.width)×\(other.height) here but \(sample.width)×\(sample.height) in \(first.path)", context: context,
                hint: "merged inputs must describe the same images; check that both files are of the same split")
        }
        var ids: Set<Int64> = []
        for instance in sample.instances { if let id = instance.id { ids.insert(id) } }
        for instance in other.instances where checksAnnotationIDs {
            if let id = instance.id, ids.contains(id) {
                throw ConversionError(.duplicateID, "annotation id \(id) is used by both \(first.path) and \(path) in this image",
                                      context: ErrorContext(file: path, imageID: sample.id, annotationID: id),
                                      hint: "annotation ids must be unique across merged inputs; renumber one file's ids")
            }
        }
        try claimAnnotationIDs(of: other, from: path)
        sample.instances += other.instances
        if case .none = sample.image { sample.image = other.image }
        if sample.panoptic == nil { sample.panoptic = other.panoptic }
        let keys = Set(sample.extra.map(\.key))
        sample.extra += other.extra.filter { !keys.contains($0.key) }
    }

    /// Records the annotation ids of `sample`; one an input already used (in another image) is an error.
    private func claimAnnotationIDs(of sample: Sample, from path: String) throws {
        guard checksAnnotationIDs else { return }
        for instance in sample.instances {
            guard let id = instance.id else { continue }
            if !annotationIDs.insert(id).inserted {
                throw ConversionError(.duplicateID, "annotation id \(id) is already used by another image's annotation in the merged inputs",
                                      context: ErrorContext(file: path, imageID: sample.id, annotationID: id),
                                      hint: "merged inputs keep their annotation ids, so they must not share any; renumber one file's ids")
            }
        }
    }

    // MARK: Headers

    private static func mergedHeader(_ inputs: [Source], later: [Later]) throws -> DatasetHeader {
        var header = inputs[0].reader.header
        var owner: [Int64: Int] = [:]
        for category in header.categories where owner[category.id] == nil { owner[category.id] = 0 }
        for (n, input) in inputs.enumerated().dropFirst() {
            let other = input.reader.header
            header.kind = try mergedKind(header.kind, other.kind, paths: (inputs[0].path, input.path))
            for category in other.categories {
                if let known = owner[category.id], let existing = header.category(id: category.id) {
                    if existing.name != category.name {
                        throw ConversionError(.invalidValue,
                            "category id \(category.id) is '\(existing.name)' in \(inputs[known].path) but '\(category.name)' in \(input.path)",
                            hint: "merged inputs must agree on category ids; give files of the same dataset, or remap one file's categories first")
                    }
                } else {
                    owner[category.id] = n
                    header.categories.append(category)
                }
            }
            switch (header.labelSchema, other.labelSchema) {
            case (nil, let schema?): header.labelSchema = schema
            case (let a?, let b?) where a != b:
                throw ConversionError(.usage, "\(inputs[0].path) and \(input.path) map categories to different label values",
                                      hint: "give --labels so that both are read with one mapping")
            default: break
            }
            if header.info == nil { header.info = other.info }
            if header.licenses == nil { header.licenses = other.licenses }
        }
        header.sampleCount = sampleCount(first: inputs[0].reader, later: later)
        return header
    }

    /// Instances and COCO-Stuff merge into instances; other kinds only with themselves.
    private static func mergedKind(_ a: DatasetKind, _ b: DatasetKind, paths: (String, String)) throws -> DatasetKind {
        if a == b { return a }
        let masks: Set<DatasetKind> = [.instances, .stuff]
        if masks.contains(a) && masks.contains(b) { return .instances }
        throw ConversionError(.usage, "cannot merge \(paths.0) (\(a.rawValue)) with \(paths.1) (\(b.rawValue))",
                              hint: "instances and COCO-Stuff files merge; panoptic, results and label-map datasets only with their own kind")
    }

    /// The number of distinct images, when every input's ids are known up front.
    private static func sampleCount(first: any DatasetReader, later: [Later]) -> Int? {
        guard let firstIDs = (first as? any RandomAccessDatasetReader)?.sampleIDs else {
            return later.isEmpty ? first.header.sampleCount : nil
        }
        var ids = Set(firstIDs)
        for input in later {
            guard let random = input.source.reader as? any RandomAccessDatasetReader else { return nil }
            ids.formUnion(random.sampleIDs)
        }
        return ids.count
    }
}

/// How one later input is followed: by id lookup, or streamed with a read-ahead window.
private final class Later {
    let source: MergedDatasetReader.Source
    private let random: (any RandomAccessDatasetReader)?
    /// Random access: position of each image id, and which positions were taken.
    private var positions: [Int64: Int32] = [:]
    private var taken: [Bool] = []
    private var drainPosition = 0
    /// Streamed: samples read ahead, keyed by id, with their order of arrival.
    private var pending: [Int64: Sample] = [:]
    private var pendingOrder: [Int64] = []
    private var exhausted = false

    init(_ source: MergedDatasetReader.Source) {
        self.source = source
        random = source.reader as? any RandomAccessDatasetReader
        if let random {
            let ids = random.sampleIDs
            positions.reserveCapacity(ids.count)
            for (position, id) in ids.enumerated() where positions[id] == nil { positions[id] = Int32(clamping: position) }
            taken = Array(repeating: false, count: ids.count)
        }
    }

    /// This input's sample for image `id`, or nil when it has none.
    func take(_ id: Int64, lookahead: Int, first: String) throws -> Sample? {
        if let random {
            guard let position = positions[id].map(Int.init), !taken[position] else { return nil }
            taken[position] = true
            return try random.sample(at: position)
        }
        if let sample = pending.removeValue(forKey: id) {
            // Ids taken out of order stay in pendingOrder until it is compacted here.
            if pendingOrder.count > 2 * pending.count + 64 { pendingOrder.removeAll { pending[$0] == nil } }
            return sample
        }
        while !exhausted {
            guard let sample = try source.reader.next() else {
                exhausted = true
                break
            }
            if sample.id == id { return sample }
            if pending[sample.id] == nil { pendingOrder.append(sample.id) }
            pending[sample.id] = sample
            if pending.count > lookahead {
                throw ConversionError(.usage,
                    "image \(id) of \(first) is not among the next \(lookahead) images of \(source.path): the inputs list their images in different orders",
                    context: ErrorContext(file: source.path),
                    hint: "merge inputs that list their images in the same order, or convert each to COCO JSON first (COCO inputs are merged in any order)")
            }
        }
        return nil
    }

    /// The next sample no image of the first input matched, in this input's order.
    func nextUnmatched() throws -> Sample? {
        if let random {
            while drainPosition < taken.count {
                let position = drainPosition
                drainPosition += 1
                if !taken[position] {
                    taken[position] = true
                    if let sample = try random.sample(at: position) { return sample }
                }
            }
            return nil
        }
        while let id = pendingOrder.first {
            pendingOrder.removeFirst()
            if let sample = pending.removeValue(forKey: id) { return sample }
        }
        return exhausted ? nil : try source.reader.next()
    }
}
