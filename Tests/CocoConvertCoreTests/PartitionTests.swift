import Testing
@testable import CocoConvertCore

@Suite struct PartitionTests {
    @Test(arguments: [(0, 1), (1, 1), (40, 3), (40, 7), (40, 60), (1000, 7), (13, 13)], [1, 4, 1000])
    func blocksCoverEverySampleOnceInOrderAlignedToUnits(_ split: (total: Int, count: Int), unit: Int) {
        let (total, count) = split
        var next = 0
        for index in 0..<count {
            let block = Partition(index: index, count: count).samples(total: total, alignment: unit)
            #expect(block.lowerBound == next, "partition \(index) of \(count)")
            #expect(block.lowerBound % unit == 0 || block.lowerBound == total)
            next = min(block.upperBound, total)
            if index == count - 1 { #expect(block.upperBound == Int.max) }
        }
        #expect(next == total)
    }

    @Test func blocksDifferByAtMostOneUnit() {
        let sizes = (0..<7).map { Partition(index: $0, count: 7).samples(total: 100, alignment: 1) }
            .map { min($0.upperBound, 100) - $0.lowerBound }
        #expect(sizes.max()! - sizes.min()! <= 1)
        #expect(sizes.reduce(0, +) == 100)
    }

    @Test func engineVariablesAndTheirSources() throws {
        let slurm = try PartitionChoice.resolve(index: nil, count: nil,
                                                environment: ["SLURM_ARRAY_TASK_ID": "2", "SLURM_ARRAY_TASK_COUNT": "4"])
        #expect(slurm == PartitionChoice(partition: Partition(index: 2, count: 4), indexSource: "SLURM_ARRAY_TASK_ID",
                                         countSource: "SLURM_ARRAY_TASK_COUNT"))
        let kubernetes = try PartitionChoice.resolve(index: nil, count: 8, environment: ["JOB_COMPLETION_INDEX": "7"])
        #expect(kubernetes?.partition == Partition(index: 7, count: 8))
        #expect(kubernetes?.countSource == "--partitions")
        // The command line wins over the environment.
        let explicit = try PartitionChoice.resolve(index: 0, count: 2, environment: ["SLURM_ARRAY_TASK_ID": "5", "SLURM_ARRAY_TASK_COUNT": "9"])
        #expect(explicit?.partition == Partition(index: 0, count: 2))
        #expect(try PartitionChoice.resolve(index: nil, count: nil, environment: ["JOB_COMPLETION_INDEX": "1"]) == nil)
        #expect(throws: ConversionError.self) { try PartitionChoice.resolve(index: 4, count: 4, environment: [:]) }
        #expect(throws: ConversionError.self) { try PartitionChoice.resolve(index: 1, count: nil, environment: [:]) }
        #expect(throws: ConversionError.self) {
            try PartitionChoice.resolve(index: nil, count: nil, environment: ["SLURM_ARRAY_TASK_ID": "x", "SLURM_ARRAY_TASK_COUNT": "2"])
        }
    }

    /// Two partitions of a JSON array, as each writes it alone, join into the array one run writes.
    @Test func listPartsJoinWithTheSeparatorInPlaceOfTheLead() throws {
        func part(_ items: [String]) -> (IndexFilePart, [UInt8]) {
            let head = "{\"a\": [", tail = "\n]}\n"
            let body = items.isEmpty ? "" : "\n  " + items.joined(separator: ",\n  ")
            var builder = IndexFilePart.Builder(path: "x.json")
            builder.fixed(until: Int64(head.utf8.count))
            builder.list(until: Int64(head.utf8.count + body.utf8.count), lead: "\n  ", separator: ",\n  ")
            builder.fixed(until: Int64((head + body + tail).utf8.count))
            return (builder.part, Array((head + body + tail).utf8))
        }
        let parts = [part(["1", "2"]), part([]), part(["3"])].enumerated().map { ("partition \($0.offset)", $0.element.0, $0.element.1) }
        let joined = try IndexFilePart.join(parts)
        #expect(joined == part(["1", "2", "3"]).1)
    }

    @Test func fixedPartsThatDifferAreRefusedNamingThePartition() {
        let a = IndexFilePart.fixed(path: "labelmap.txt", size: 3)
        #expect {
            try IndexFilePart.join([("partition 0", a, Array("abc".utf8)), ("partition 1", a, Array("abd".utf8))])
        } throws: { error in
            (error as? ConversionError)?.message.contains("partition 1 and partition 0") == true
        }
    }
}
