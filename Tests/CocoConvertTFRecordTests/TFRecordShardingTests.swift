import CocoConvertCore
import Foundation
import Testing
@testable import CocoConvertTFRecord

@Suite struct TFRecordShardingTests {
    @Test func fileNames() {
        #expect(TFRecordSharding.fileName(split: "train", index: 0, count: 4) == "train-00000-of-00004.tfrecord")
        #expect(TFRecordSharding.fileName(split: "val2017", index: 12, count: 100) == "val2017-00012-of-00100.tfrecord")
        #expect(TFRecordSharding.isShardName("train-00003-of-00004.tfrecord", split: "train"))
        #expect(!TFRecordSharding.isShardName("train-3-of-4.tfrecord", split: "train"))
        #expect(!TFRecordSharding.isShardName("val-00003-of-00004.tfrecord", split: "train"))
    }

    @Test func deepLabContiguousBlocks() {
        // DeepLab: 10 samples in 4 shards → ceil(10/4) = 3 per shard: 3,3,3,1.
        let shards = (0..<10).map { TFRecordSharding.shard(ofSample: $0, total: 10, shards: 4, size: .shardCount(4), order: .contiguous) }
        #expect(shards == [0, 0, 0, 1, 1, 1, 2, 2, 2, 3])
        // 3 samples in 4 shards: the last shard is empty.
        #expect((0..<3).map { TFRecordSharding.shard(ofSample: $0, total: 3, shards: 4, size: .shardCount(4), order: .contiguous) } == [0, 1, 2])
    }

    @Test func roundRobin() {
        #expect((0..<7).map { TFRecordSharding.shard(ofSample: $0, total: 7, shards: 3, size: .shardCount(3), order: .roundRobin) }
                == [0, 1, 2, 0, 1, 2, 0])
        #expect(TFRecordSharding.shardCount(.samplesPerShard(3), total: 7) == 3)
        #expect(TFRecordSharding.shardCount(.samplesPerShard(3), total: 0) == 1)
        #expect(TFRecordSharding.shardCount(.shardCount(5), total: 0) == 5)
    }

    @Test func hugeShardOptionsDoNotOverflow() {
        #expect(TFRecordSharding.shardCount(.samplesPerShard(Int.max), total: 5) == 1)
        #expect(TFRecordSharding.shard(ofSample: 4, total: Int.max, shards: Int.max, size: .shardCount(Int.max), order: .contiguous) == 4)
        #expect(TFRecordSharding.shard(ofSample: 4, total: 5, shards: 2, size: .samplesPerShard(Int.max), order: .contiguous) == 0)
    }

    /// Writes `n` samples and returns, per shard file name, the source ids of its records.
    func layout(_ n: Int, size: TFRecordShardSize, order: TFRecordShardOrder, knownCount: Bool) throws -> [String: [Int64]] {
        let dir = try Fixtures.temporaryDirectory("layout\(n)\(order)\(knownCount)")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let skips = SkipReport(policy: .fail)
        let reader = ArrayReader(syntheticSamples(n), count: knownCount ? .some(n) : .some(nil))
        let writer = TFRecordWriter(directory: dir, options: TFRecordWriterOptions(schema: .od, shardSize: size, shardOrder: order),
                                    skips: skips)
        try convert(reader, writer, skips: skips)
        var out: [String: [Int64]] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: dir) {
            #expect(!name.hasPrefix("."), "temporary file left: \(name)")
            guard name.hasSuffix(".tfrecord") else { continue }
            out[name] = try TFRecordFraming.decodeRecords(try Fixtures.bytes(dir + "/" + name)).map {
                Int64(try TFExample(serialized: $0).string("image/source_id") ?? "") ?? -1
            }
        }
        return out
    }

    @Test(arguments: [true, false])
    func layoutsWithAndWithoutKnownCount(known: Bool) throws {
        #expect(try layout(10, size: .shardCount(4), order: .contiguous, knownCount: known) == [
            "train-00000-of-00004.tfrecord": [1, 2, 3], "train-00001-of-00004.tfrecord": [4, 5, 6],
            "train-00002-of-00004.tfrecord": [7, 8, 9], "train-00003-of-00004.tfrecord": [10],
        ])
        #expect(try layout(7, size: .shardCount(3), order: .roundRobin, knownCount: known) == [
            "train-00000-of-00003.tfrecord": [1, 4, 7], "train-00001-of-00003.tfrecord": [2, 5],
            "train-00002-of-00003.tfrecord": [3, 6],
        ])
        #expect(try layout(7, size: .samplesPerShard(3), order: .contiguous, knownCount: known) == [
            "train-00000-of-00003.tfrecord": [1, 2, 3], "train-00001-of-00003.tfrecord": [4, 5, 6],
            "train-00002-of-00003.tfrecord": [7],
        ])
        #expect(try layout(7, size: .samplesPerShard(3), order: .roundRobin, knownCount: known) == [
            "train-00000-of-00003.tfrecord": [1, 4, 7], "train-00001-of-00003.tfrecord": [2, 5],
            "train-00002-of-00003.tfrecord": [3, 6],
        ])
        #expect(try layout(2, size: .shardCount(3), order: .contiguous, knownCount: known) == [
            "train-00000-of-00003.tfrecord": [1], "train-00001-of-00003.tfrecord": [2], "train-00002-of-00003.tfrecord": [],
        ])
        #expect(try layout(0, size: .samplesPerShard(1000), order: .contiguous, knownCount: known) == [
            "train-00000-of-00001.tfrecord": [],
        ])
    }

    /// A writer released before `finish` (a failed or interrupted run) removes its shards and its
    /// spool, and leaves nothing in the temporary-file registry.
    @Test(arguments: [(TFRecordShardSize.shardCount(3), TFRecordShardOrder.roundRobin, 9 as Int?),
                      (.samplesPerShard(2), .contiguous, nil), (.samplesPerShard(2), .roundRobin, nil)])
    func abandonedWriterRemovesItsTemporaryFiles(size: TFRecordShardSize, order: TFRecordShardOrder, count: Int?) throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        do {
            let writer = try TFRecordShardWriter(directory: dir, split: "train", size: size, order: order, expectedCount: count)
            for i in 0..<5 { try writer.append(frame: TFRecordFraming.frame(Array("record \(i)".utf8))) }
            let names = try FileManager.default.contentsOfDirectory(atPath: dir)
            #expect(!names.isEmpty && names.allSatisfy { $0.hasPrefix(".") }, "\(names)")
            #expect(TemporaryFiles.paths.filter { $0.hasPrefix(dir + "/") }.count == names.count)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty)
        #expect(!TemporaryFiles.paths.contains { $0.hasPrefix(dir + "/") })
    }

    @Test func readerReadsShardsInNameOrderAndCountsRecords() throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let skips = SkipReport(policy: .fail)
        try convert(ArrayReader(syntheticSamples(12), split: "val"),
                    TFRecordWriter(directory: dir, options: TFRecordWriterOptions(schema: .od, shardSize: .shardCount(5)), skips: skips),
                    skips: skips)
        try convert(ArrayReader(syntheticSamples(2), split: "train"),
                    TFRecordWriter(directory: dir, options: TFRecordWriterOptions(schema: .od), skips: skips), skips: skips)
        let val = try TFRecordReader(path: dir, options: TFRecordReaderOptions(split: "val"), skips: skips)
        #expect(val.files.count == 5)
        #expect(val.header.sampleCount == 12)
        #expect(val.header.split == "val")
        // Round-robin over 5 files, read file by file.
        #expect(try readAll(val).map(\.id) == [1, 6, 11, 2, 7, 12, 3, 8, 4, 9, 5, 10])
        let glob = try TFRecordReader(path: dir + "/train-*", skips: skips)
        #expect(glob.header.split == "train")
        #expect(try readAll(glob).map(\.id) == [1, 2])
        #expect(try TFRecordReader(path: dir, skips: skips).files.count == 6)
    }

    @Test func foreignShardsAreNoted() throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let skips = SkipReport(policy: .fail)
        try convert(ArrayReader(syntheticSamples(3)),
                    TFRecordWriter(directory: dir, options: TFRecordWriterOptions(schema: .od, shardSize: .shardCount(3)), skips: skips),
                    skips: skips)
        let writer = TFRecordWriter(directory: dir, options: TFRecordWriterOptions(schema: .od, shardSize: .shardCount(2)), skips: skips)
        let outcome = try convert(ArrayReader(syntheticSamples(3)), writer, skips: skips)
        #expect(outcome.summary.notes.contains { $0.contains("3 shard file(s)") })
    }
}
