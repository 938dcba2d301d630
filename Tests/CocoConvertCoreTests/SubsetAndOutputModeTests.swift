import Foundation
import Testing
@testable import CocoConvertCore

/// A reader of fixed samples: image i has instances of the given category ids.
private final class FixedReader: DatasetReader {
    let header: DatasetHeader
    private var samples: [Sample]

    init(_ categoriesPerImage: [[Int64]]) {
        header = DatasetHeader(kind: .instances, categories: [Category(id: 1, name: "person"), Category(id: 3, name: "car"),
                                                              Category(id: 7, name: "train")],
                               sampleCount: categoriesPerImage.count)
        samples = categoriesPerImage.enumerated().map { index, ids in
            Sample(id: Int64(index + 1), fileName: "\(index + 1).jpg", width: 4, height: 4,
                   instances: ids.enumerated().map { Instance(id: Int64(index * 100 + $0.offset), categoryID: $0.element,
                                                              isCrowd: $0.element == 7, geometry: .polygons([[0, 0, 2, 0, 2, 2]])) })
        }
        samples.reverse()
    }

    func next() throws -> Sample? { samples.popLast() }
}

private func drain(_ reader: any DatasetReader) throws -> [Sample] {
    var all: [Sample] = []
    while let sample = try reader.next() { all.append(sample) }
    return all
}

@Suite struct SubsetReaderTests {
    @Test func categoriesByNameOrIDKeepImagesAndCountDrops() throws {
        let reader = try SubsetReader(FixedReader([[1, 3, 3], [7], [1]]), subset: Subset(categories: ["3", "person"]))
        #expect(reader.header.categories.map(\.id) == [1, 3])
        let samples = try drain(reader)
        #expect(samples.map { $0.instances.map(\.categoryID) } == [[1, 3, 3], [], [1]])
        #expect(reader.droppedInstances == 1 && reader.droppedCategories == 1)
    }

    @Test func unknownCategoryIsAUsageErrorWithASuggestion() {
        #expect {
            try SubsetReader(FixedReader([[1]]), subset: Subset(categories: ["cat"]))
        } throws: { error in
            (error as? ConversionError)?.code == .usage && "\(error)".contains("did you mean 'car'")
        }
    }

    @Test func limitAndIDsComposeInSourceOrder() throws {
        let reader = try SubsetReader(FixedReader(Array(repeating: [1], count: 10)), subset: Subset(limit: 2, imageIDs: [9, 3, 5]))
        #expect(try drain(reader).map(\.id) == [3, 5])
        #expect(reader.header.sampleCount == nil)
        let limited = try SubsetReader(FixedReader(Array(repeating: [1], count: 10)), subset: Subset(limit: 4))
        #expect(limited.header.sampleCount == 4)
    }

    /// The sample depends on seed and id only, and keeps about the fraction asked for.
    @Test func sampleIsAFunctionOfSeedAndID() {
        let subset = Subset(fraction: 0.25, seed: 42)
        let kept = (1...20_000).filter { subset.sampleKeeps(Int64($0)) }
        #expect(abs(Double(kept.count) / 20_000 - 0.25) < 0.02)
        #expect(kept == (1...20_000).filter { Subset(fraction: 0.25, seed: 42).sampleKeeps(Int64($0)) })
        #expect(kept != (1...20_000).filter { Subset(fraction: 0.25, seed: 43).sampleKeeps(Int64($0)) })
    }

    @Test func factsCountWhatSemanticMapsMerge() throws {
        var facts = InputFacts(header: FixedReader([]).header)
        for sample in try drain(FixedReader([[1, 3, 3], [7], [1, 1, 1]])) { facts.add(sample) }
        #expect(facts.instances == 7 && facts.crowds == 1)
        #expect(facts.paintedInstances == 6 && facts.categoryRegions == 3)
        #expect(facts.extent(of: .separateInstances)?.contains("at most 3 of 7 instances come back") == true)
        #expect(facts.extent(of: .scores) == nil)
        let found = facts.found(in: [Loss(.scores, "x"), Loss(.crowds, "left out")])
        #expect(found.map(\.description) == ["crowds: 1 of 7 instances are crowds (e.g. annotation 100 (train, image 2)); left out"])
    }
}

@Suite(.serialized) struct OutputModeTests {
    @Test func modesFromFlags() {
        #expect(OutputMode(overwrite: false, add: false) == .fresh)
        #expect(OutputMode(overwrite: true, add: false) == .overwrite)
        #expect(OutputMode(overwrite: false, add: true) == .add(replacing: false))
        #expect(OutputMode(overwrite: true, add: true).replaces && !OutputMode(overwrite: true, add: true).removesStale)
    }

    @Test func ownedPatterns() {
        #expect(OwnedFiles.matches("SegmentationClass/a.png", "**/SegmentationClass/*.png"))
        #expect(OwnedFiles.matches("VOCdevkit/VOC2012/SegmentationClass/a.png", "**/SegmentationClass/*.png"))
        #expect(!OwnedFiles.matches("SegmentationClass/sub/a.png", "**/SegmentationClass/*.png"))
        #expect(!OwnedFiles.matches("notes/a.png", "*.png"))
        #expect(!OwnedFiles.matches(".hidden.png", "*.png"))
    }

    /// `--add`: a new file is recorded as created and removed again on failure; the same bytes are
    /// fine; other bytes are refused before the rename.
    @Test func ledgerUnderAdd() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ledger-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory); OutputLedger.stop() }
        try AtomicFile.write(Array("old".utf8), to: directory + "/same.txt")
        try AtomicFile.write(Array("old".utf8), to: directory + "/other.txt")
        OutputLedger.start(mode: .add(replacing: false), protected: [])
        try AtomicFile.write(Array("new".utf8), to: directory + "/new.txt")
        try AtomicFile.write(Array("old".utf8), to: directory + "/same.txt")
        #expect(throws: ConversionError.self) { try AtomicFile.write(Array("changed".utf8), to: directory + "/other.txt") }
        #expect(try String(contentsOfFile: directory + "/other.txt", encoding: .utf8) == "old")
        #expect(OutputLedger.tally == OutputLedger.Tally(created: 1, replaced: 0, unchanged: 1))
        #expect(OutputLedger.removeCreated() == [directory + "/new.txt"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).sorted() == ["other.txt", "same.txt"])
    }
}
