import Foundation
import Testing
@testable import CocoConvertCore

/// A reader of `count` empty samples with ids 0..<count; `failAt` throws at that position.
private final class CountingReader: DatasetReader {
    let header = DatasetHeader(kind: .instances, categories: [])
    private var position = 0
    let count: Int
    let failAt: Int?

    init(count: Int, failAt: Int? = nil) {
        self.count = count
        self.failAt = failAt
    }

    func next() throws -> Sample? {
        guard position < count else { return nil }
        defer { position += 1 }
        if position == failAt { throw ConversionError(.malformedInput, "bad sample \(position)") }
        return Sample(id: Int64(position), fileName: "\(position).jpg", width: 1, height: 1)
    }
}

/// Records commit order; render sleeps a varying time so workers finish out of order.
private final class OrderRecordingWriter: DatasetWriter {
    /// What the sink committed, in order (filled on the committing thread).
    var committed: [Int64] { log.ids }
    private let log = CommitLog()
    let rejectID: Int64?

    init(rejectID: Int64? = nil) {
        self.rejectID = rejectID
    }

    func begin(_ header: DatasetHeader) throws -> (renderer: Renderer, sink: Sink) {
        (Renderer(rejectID: rejectID), Sink(log: log))
    }

    struct Renderer: SampleRenderer {
        let rejectID: Int64?

        func render(_ sample: Sample) throws -> Int64 {
            usleep(UInt32((sample.id * 7919) % 5) * 200)
            if sample.id == rejectID { throw ConversionError(.invalidMask, "rejected") }
            return sample.id
        }
    }

    struct Sink: SampleSink {
        let log: CommitLog

        mutating func commit(_ rendered: Int64) throws {
            log.ids.append(rendered)
        }

        mutating func finish() throws -> WriteSummary {
            var summary = WriteSummary()
            summary.samples = log.ids.count
            return summary
        }
    }
}

/// The ids a sink committed; shared by the test and the sink, both on the test's thread.
private final class CommitLog {
    var ids: [Int64] = []
}

@Suite struct ConversionTests {
    @Test(arguments: [1, 2, 4, 8])
    func commitsInReaderOrderWhateverTheWorkerCount(jobs: Int) throws {
        let writer = OrderRecordingWriter()
        let outcome = try Conversion(jobs: jobs, window: 6).run(
            reader: CountingReader(count: 200), writer: writer, skips: SkipReport(policy: .fail))
        #expect(writer.committed == (0..<200).map(Int64.init))
        #expect(outcome.samplesRead == 200)
    }

    @Test func readerErrorStopsTheRunAtItsPosition() {
        let writer = OrderRecordingWriter()
        #expect(throws: ConversionError.self) {
            try Conversion(jobs: 3).run(reader: CountingReader(count: 100, failAt: 40), writer: writer,
                                        skips: SkipReport(policy: .skip))
        }
        #expect(writer.committed == (0..<40).map(Int64.init))
    }

    @Test func writerErrorFailsUnderFailPolicy() {
        #expect(throws: ConversionError.self) {
            try Conversion(jobs: 2).run(reader: CountingReader(count: 50), writer: OrderRecordingWriter(rejectID: 10),
                                        skips: SkipReport(policy: .fail))
        }
    }

    @Test func writerErrorIsSkippedAndReportedUnderSkipPolicy() throws {
        let writer = OrderRecordingWriter(rejectID: 10)
        let skips = SkipReport(policy: .skip)
        let outcome = try Conversion(jobs: 2).run(reader: CountingReader(count: 50), writer: writer, skips: skips)
        #expect(writer.committed == (0..<50).filter { $0 != 10 }.map(Int64.init))
        #expect(outcome.samplesSkipped == 1)
        #expect(skips.count == 1)
        #expect(skips.jsonLines.first?.contains("\"image_id\":10") == true)
    }
}
