import CocoConvertCore
import Foundation
import CocoConvertTar
import Testing
@testable import CocoConvertWebDataset

/// Shards written by other tools (the `webdataset` package's TarWriter, Python's tarfile) and damaged ones.
@Suite("WebDataset reader: foreign shards and damage")
struct WebDatasetReaderTests {
    nonisolated(unsafe) static let expected: [String: Any] = (try? jsonObject(Paths.fixture("webdataset/expected.json")) as? [String: Any]) ?? [:]

    @Test func cocoStyleJSONShardFromWebdatasetsTarWriter() throws {
        let reader = try WebDatasetReader(path: Paths.fixture("webdataset/good/coco-json-000000.tar"), skips: SkipReport(policy: .fail))
        let samples = try readAll(reader)
        #expect(samples.map(\.id) == [343937, 205401])
        #expect(reader.header.sampleCount == 2)
        let golden = try #require(Self.expected["annotations"] as? [String: [String: Any]])
        var checked = 0
        for sample in samples {
            guard case .bytes(let jpeg) = sample.image else { Issue.record("image \(sample.id) has no bytes"); continue }
            #expect(jpeg.starts(with: [0xFF, 0xD8, 0xFF]))
            for instance in sample.instances {
                let id = try #require(instance.id)
                let g = try #require(golden[String(id)])
                #expect(try compressedCounts(instance, sample) == g["counts"] as? String, "annotation \(String(describing: instance.id))")
                #expect(instance.area == (g["area"] as? NSNumber)?.doubleValue)
                #expect(instance.categoryID == (g["category_id"] as? NSNumber)?.int64Value)
                checked += 1
            }
        }
        #expect(checked == golden.count)
        // Categories from the samples alone: ids, named by id (the shards carry no names).
        #expect(Set(reader.header.categories.map(\.id)) == Set(golden.values.compactMap { ($0["category_id"] as? NSNumber)?.int64Value }))
    }

    @Test func labelPNGShardWithCategoriesAndValueMapping() throws {
        let categories = [Category(id: 5, name: "airplane"), Category(id: 1, name: "person")]
        let options = WebDatasetReaderOptions(categories: categories, labelSchema: { header in .cocoIDs(header.categories) })
        let reader = try WebDatasetReader(path: Paths.fixture("webdataset/good/label-png-000000.tar"), options: options,
                                          skips: SkipReport(policy: .fail))
        let samples = try readAll(reader)
        let golden = try #require(Self.expected["label_images"] as? [String: [NSNumber]])
        #expect(samples.count == golden.count)
        for sample in samples {
            #expect(sample.instances.map(\.categoryID) == golden[String(sample.id)]?.map(\.int64Value))
            #expect(sample.width == 640 && sample.height == 427)
        }
    }

    @Test func truncatedShardStopsWithFileOffsetAndMember() throws {
        let path = Paths.fixture("webdataset/bad/truncated.tar")
        let reader = try WebDatasetReader(path: path, skips: SkipReport(policy: .fail))
        let error = #expect(throws: ConversionError.self) { _ = try readAll(reader) }
        #expect(error?.code == .malformedInput)
        #expect(error?.context.file == path && error?.context.byteOffset != nil)
        #expect(error?.message.contains("truncated inside member 'coco/343937.json'") == true)
    }

    @Test func truncatedShardUnderSkipKeepsWhatCameBefore() throws {
        let skips = SkipReport(policy: .skip)
        let samples = try readAll(try WebDatasetReader(path: Paths.fixture("webdataset/bad/truncated.tar"), skips: skips))
        #expect(samples.isEmpty)   // the cut is inside the first sample's JSON
        #expect(skips.count == 1)
    }

    @Test func badHeaderChecksumIsNamed() throws {
        let reader = try WebDatasetReader(path: Paths.fixture("webdataset/bad/bad-checksum.tar"), skips: SkipReport(policy: .fail))
        let error = #expect(throws: ConversionError.self) { _ = try readAll(reader) }
        #expect(error?.code == .malformedInput)
        #expect(error?.message.contains("bad checksum") == true)
        #expect(error?.context.byteOffset.map { $0 % 512 == 0 && $0 > 0 } == true)
    }

    @Test func keyThatComesBackIsACollision() throws {
        let skips = SkipReport(policy: .skip)
        let samples = try readAll(try WebDatasetReader(path: Paths.fixture("webdataset/bad/key-collision.tar"), skips: skips))
        #expect(samples.count == 2)
        #expect(skips.count == 1)
        let reader = try WebDatasetReader(path: Paths.fixture("webdataset/bad/key-collision.tar"), skips: SkipReport(policy: .fail))
        let error = #expect(throws: ConversionError.self) { _ = try readAll(reader) }
        #expect(error?.code == .duplicateID && error?.message.contains("key 'a' appears again") == true)
    }

    @Test func notATarDirectoryIsRefused() throws {
        let dir = try Paths.temporaryDirectory("empty")
        let error = #expect(throws: ConversionError.self) { _ = try WebDatasetReader(path: dir, skips: SkipReport(policy: .fail)) }
        #expect(error?.message.contains("no .tar shards") == true)
    }

    @Test func brokenJSONNamesTheSampleAndMember() throws {
        let dir = try Paths.temporaryDirectory("badjson")
        var bytes: [UInt8] = []
        TarMemberWriter.append(name: "k1.json", contents: Array("{\"id\": 3, \"annotations\": [{\"id\": 9, \"category_id\": \"x\"}]}".utf8), to: &bytes)
        TarMemberWriter.append(name: "k2.json", contents: Array("{\"id\": 4, \"annotations\": [".utf8), to: &bytes)
        bytes += TarMemberWriter.endOfArchive
        try Data(bytes).write(to: URL(fileURLWithPath: dir + "/s-000000.tar"))
        let skips = SkipReport(policy: .skip)
        let samples = try readAll(try WebDatasetReader(path: dir, skips: skips))
        #expect(samples.isEmpty)
        #expect(skips.count == 2)
        let lines = skips.jsonLines
        #expect(lines[0].contains("\"annotation_id\":9") || lines[0].contains("\"annotation_id\": 9"))
        #expect(lines[0].contains("category_id"))
    }
}
