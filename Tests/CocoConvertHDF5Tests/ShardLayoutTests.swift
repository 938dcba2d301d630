import CocoConvertCore
@testable import CocoConvertHDF5
import Foundation
import Testing

@Suite("Shard files and names")
struct ShardLayoutTests {
    @Test("101 samples with --shard 25 give 5 files named -0000k-of-00005")
    func shardCountAndNames() throws {
        let dir = try TestPaths.temporaryDirectory("count")
        let summary = try Synthetic.write((0..<101).map(Synthetic.sample), to: dir, options: Synthetic.options(shard: 25))
        let names = try TestPaths.files(in: dir)
        #expect(names == (0..<5).map { "val2017-0000\($0)-of-00005.h5" })
        #expect(summary.files == 5)
        #expect(summary.samples == 101)
        var offset: Int64 = 0
        for (k, name) in names.enumerated() {
            let file = try HDF5File.open(path: dir + "/" + name)
            #expect(try file.intAttribute("shard_index") == Int64(k))
            #expect(try file.intAttribute("shard_count") == 5)
            #expect(try file.intAttribute("total_samples") == 101)
            #expect(try file.intAttribute("sample_offset") == offset)
            let n = try file.intAttribute("shard_samples") ?? -1
            #expect(n == (k < 4 ? 25 : 1))
            let ids = try file.openDataset("image_ids").read(Int64.self, rows: 0..<Int(n))
            #expect(ids == (0..<Int(n)).map { Int64(500_000) + offset + Int64($0) })
            offset += n
            try file.close()
        }
    }

    @Test("The shard count does not depend on DatasetHeader.sampleCount", arguments: [nil, 3, 1000] as [Int?])
    func unknownOrWrongSampleCount(hint: Int?) throws {
        let dir = try TestPaths.temporaryDirectory("nocount")
        try Synthetic.write((0..<7).map(Synthetic.sample), to: dir, options: Synthetic.options(shard: 2),
                            header: Synthetic.header(count: hint))
        #expect(try TestPaths.files(in: dir) == (0..<4).map { "val2017-0000\($0)-of-00004.h5" })
    }

    @Test("Shard sizes 1, 2 and 1000 partition the samples in order", arguments: [1, 2, 1000])
    func shardSizes(shard: Int) throws {
        let dir = try TestPaths.temporaryDirectory("sizes")
        let samples = (0..<5).map(Synthetic.sample)
        try Synthetic.write(samples, to: dir, options: Synthetic.options(shard: shard))
        let expectedFiles = (samples.count + shard - 1) / shard
        #expect(try TestPaths.files(in: dir).count == expectedFiles)
        let reader = try HDF5ShardReader(path: dir)
        var ids: [Int64] = []
        while let s = try reader.next() { ids.append(s.id) }
        #expect(ids == samples.map(\.id))
    }

    @Test("No samples still writes one shard with the header")
    func empty() throws {
        let dir = try TestPaths.temporaryDirectory("empty")
        try Synthetic.write([], to: dir, options: Synthetic.options())
        #expect(try TestPaths.files(in: dir) == ["val2017-00000-of-00001.h5"])
        let reader = try HDF5ShardReader(path: dir)
        #expect(reader.header.categories == Synthetic.categories)
        #expect(try reader.next() == nil)
    }

    @Test("A sink dropped before finish leaves no files behind")
    func abandonedWriterCleansUp() throws {
        let dir = try TestPaths.temporaryDirectory("abandon")
        do {
            let writer = try HDF5ShardWriter(directory: dir, options: Synthetic.options(shard: 2), labels: Synthetic.setup())
            let (renderer, sink) = try writer.begin(Synthetic.header(count: 5))
            for i in 0..<5 { try sink.commit(try renderer.render(Synthetic.sample(i))) }
        }
        #expect(try TestPaths.files(in: dir).isEmpty)
    }

    @Test("Shard names parse back and reject other names")
    func names() {
        let n = HDF5ShardName(split: "train-2017", index: 3, count: 12)
        #expect(n.fileName == "train-2017-00003-of-00012.h5")
        #expect(HDF5ShardName(fileName: n.fileName) == n)
        #expect(HDF5ShardName(fileName: "val-00005-of-00005.h5") == nil)
        #expect(HDF5ShardName(fileName: "val-1-of-2.h5") == nil)
        #expect(HDF5ShardName(fileName: "val-00000-of-00001.tfrecord") == nil)
    }
}
