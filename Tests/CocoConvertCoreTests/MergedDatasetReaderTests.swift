import Testing
@testable import CocoConvertCore

/// Samples from a list, in list order; with `randomAccess` it also serves them by position.
private class ListReader: DatasetReader {
    let header: DatasetHeader
    let samples: [Sample]
    private var position = 0
    /// How many samples `next()` handed out (to see how far a streamed input was read ahead).
    private(set) var read = 0

    init(_ samples: [Sample], categories: [Category] = [Category(id: 1, name: "thing")], kind: DatasetKind = .instances) {
        self.samples = samples
        header = DatasetHeader(kind: kind, categories: categories, sampleCount: samples.count)
    }

    func next() throws -> Sample? {
        guard position < samples.count else { return nil }
        defer { position += 1 }
        read += 1
        return samples[position]
    }
}

private final class IndexedListReader: ListReader, RandomAccessDatasetReader {
    var sampleIDs: [Int64] { samples.map(\.id) }
    func sample(at position: Int) throws -> Sample? { samples[position] }
}

/// Image `id` (4×4) with one box-less annotation per id in `annotations`.
private func sample(_ id: Int64, _ annotations: [Int64], size: Int = 4) -> Sample {
    Sample(id: id, fileName: "\(id).jpg", width: size, height: size,
           instances: annotations.map { Instance(id: $0, categoryID: 1, geometry: .none) })
}

private func drain(_ reader: any DatasetReader) throws -> [(Int64, [Int64])] {
    var out: [(Int64, [Int64])] = []
    while let s = try reader.next() { out.append((s.id, s.instances.compactMap(\.id))) }
    return out
}

@Suite struct MergedDatasetReaderTests {
    let skips = SkipReport(policy: .fail)

    @Test func sameOrderIsReadInStepWithoutReadingAhead() throws {
        let b = ListReader([sample(1, [11]), sample(2, [12]), sample(3, [13])])
        let merged = try MergedDatasetReader([.init(path: "a", reader: ListReader([sample(1, [1]), sample(2, [2]), sample(3, [3])])),
                                              .init(path: "b", reader: b)], skips: skips)
        #expect(try merged.next()?.instances.compactMap(\.id) == [1, 11])
        #expect(b.read == 1, "the second input was read ahead of the first")
        let rest = try drain(merged)
        #expect(rest.map(\.0) == [2, 3])
        #expect(rest.map(\.1) == [[2, 12], [3, 13]])
    }

    @Test func streamedInputsInAnotherOrderWithinTheWindow() throws {
        let a = ListReader([sample(1, [1]), sample(2, [2]), sample(3, [3])])
        let b = ListReader([sample(4, [14]), sample(3, [13]), sample(1, [11])])
        let merged = try MergedDatasetReader([.init(path: "a", reader: a), .init(path: "b", reader: b)], skips: skips, lookahead: 8)
        let out = try drain(merged)
        // a's order; image 2 has nothing in b; image 4, only in b, comes last.
        #expect(out.map(\.0) == [1, 2, 3, 4])
        #expect(out.map(\.1) == [[1, 11], [2], [3, 13], [14]])
    }

    @Test func streamedInputsTooFarOutOfOrderAreRefused() throws {
        let a = ListReader([sample(1, [1]), sample(2, [2])])
        let b = ListReader([sample(5, []), sample(6, []), sample(7, []), sample(1, [11])])
        let merged = try MergedDatasetReader([.init(path: "a.json", reader: a), .init(path: "b.json", reader: b)], skips: skips, lookahead: 2)
        #expect(throws: ConversionError.self) { _ = try drain(merged) }
        do {
            _ = try drain(try MergedDatasetReader([.init(path: "a.json", reader: ListReader([sample(1, [1])])),
                                                   .init(path: "b.json", reader: ListReader([sample(5, []), sample(6, []), sample(7, []), sample(1, [11])]))],
                                                  skips: skips, lookahead: 2))
        } catch let error as ConversionError {
            #expect(error.message.contains("image 1 of a.json") && error.message.contains("different orders"), "\(error)")
        }
    }

    @Test func randomAccessInputsAreLookedUpInAnyOrder() throws {
        let b = IndexedListReader((1...100).reversed().map { sample(Int64($0), [1000 + Int64($0)]) })
        let a = ListReader((1...99).map { sample(Int64($0), [Int64($0)]) })
        let merged = try MergedDatasetReader([.init(path: "a", reader: a), .init(path: "b", reader: b)], skips: skips, lookahead: 1)
        #expect(merged.header.sampleCount == nil, "the first input is not indexed, so the total is not known")
        let out = try drain(merged)
        #expect(out.map(\.0) == (1...100).map(Int64.init))
        #expect(out.first?.1 == [1, 1001] && out.last?.1 == [1100])
        #expect(b.read == 0, "an indexed input was streamed")
    }

    @Test func sizeMismatchIsAnItemProblem() throws {
        let merged = try MergedDatasetReader([.init(path: "a", reader: ListReader([sample(1, [1]), sample(2, [2])])),
                                              .init(path: "b", reader: ListReader([sample(1, [11], size: 5), sample(2, [12])]))],
                                             skips: SkipReport(policy: .skip))
        let out = try drain(merged)
        #expect(out.map(\.0) == [2], "the image whose sizes disagree is skipped under --on-error skip")
    }

    @Test func anAnnotationIDTwoInputsUseInDifferentImagesIsAnError() throws {
        let merged = try MergedDatasetReader([.init(path: "a.json", reader: IndexedListReader([sample(1, [5]), sample(2, [6])])),
                                              .init(path: "b.json", reader: IndexedListReader([sample(2, [7]), sample(3, [5])]))],
                                             skips: skips)
        // Readers that number annotations themselves (not indexed) are not compared.
        let numbered = try MergedDatasetReader([.init(path: "a", reader: ListReader([sample(1, [1])])),
                                                .init(path: "b", reader: ListReader([sample(1, [1])]))], skips: skips)
        #expect(try drain(numbered).map(\.1) == [[1, 1]])
        do {
            _ = try drain(merged)
            Issue.record("the shared annotation id 5 was not noticed")
        } catch let error as ConversionError {
            #expect(error.code == .duplicateID && error.context.annotationID == 5 && error.context.imageID == 3
                    && error.context.file == "b.json", "\(error)")
        }
    }

    @Test func categoriesAreMergedAndClashesNamed() throws {
        let stuff = [Category(id: 1, name: "thing"), Category(id: 92, name: "banner")]
        let merged = try MergedDatasetReader([.init(path: "a", reader: ListReader([])),
                                              .init(path: "b", reader: ListReader([], categories: stuff, kind: .stuff))], skips: skips)
        #expect(merged.header.categories.map(\.id) == [1, 92])
        #expect(merged.header.kind == .instances)
        #expect(throws: ConversionError.self) {
            _ = try MergedDatasetReader([.init(path: "a", reader: ListReader([])),
                                         .init(path: "b", reader: ListReader([], categories: [Category(id: 1, name: "other")]))], skips: skips)
        }
        #expect(throws: ConversionError.self) {
            _ = try MergedDatasetReader([.init(path: "a", reader: ListReader([])),
                                         .init(path: "b", reader: ListReader([], kind: .panoptic))], skips: skips)
        }
    }
}
