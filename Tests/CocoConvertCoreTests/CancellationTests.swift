import Foundation
import Testing
@testable import CocoConvertCore

/// An endless reader of empty samples; counts how many it produced.
private final class EndlessReader: DatasetReader, @unchecked Sendable {
    let header = DatasetHeader(kind: .instances, categories: [])
    private let produced = Counter()
    var count: Int { produced.value }

    func next() throws -> Sample? {
        produced.increment()
        let id = Int64(produced.value)
        return Sample(id: id, fileName: "\(id).jpg", width: 1, height: 1)
    }
}

private final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    var value: Int { lock.withLock { count } }
    func increment() { lock.withLock { count += 1 } }
}

/// Writes one small file per sample through ``OutputFile`` and keeps a streamed file open, like a
/// real sink; cancels `cancellation` after `cancelAfter` commits.
private struct FileWriter: DatasetWriter {
    let directory: String
    let cancellation: Cancellation
    let cancelAfter: Int

    func begin(_ header: DatasetHeader) throws -> (renderer: Renderer, sink: Sink) {
        (Renderer(), Sink(directory: directory, stream: try OutputFile(destination: directory + "/stream.bin"),
                          cancellation: cancellation, cancelAfter: cancelAfter))
    }

    struct Renderer: SampleRenderer {
        func render(_ sample: Sample) throws -> [UInt8] {
            usleep(200)
            return Array("sample \(sample.id)\n".utf8)
        }
    }

    final class Sink: SampleSink {
        let directory: String
        let stream: OutputFile
        let cancellation: Cancellation
        let cancelAfter: Int
        var commits = 0

        init(directory: String, stream: OutputFile, cancellation: Cancellation, cancelAfter: Int) {
            self.directory = directory
            self.stream = stream
            self.cancellation = cancellation
            self.cancelAfter = cancelAfter
        }

        func commit(_ rendered: [UInt8]) throws {
            try stream.write(rendered)
            try AtomicFile.write(rendered, to: directory + "/\(commits).txt")
            commits += 1
            if commits == cancelAfter {
                // From another thread, as a signal handler would.
                let cancellation = self.cancellation
                Thread.detachNewThread { cancellation.cancel() }
            }
        }

        func finish() throws -> WriteSummary {
            try stream.commit()
            return WriteSummary()
        }
    }
}

@Suite struct CancellationTests {
    @Test(arguments: [1, 3])
    func cancelledRunStopsEveryStageAndRemovesItsTemporaryFiles(jobs: Int) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cancel-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let cancellation = Cancellation()
        let reader = EndlessReader()
        let writer = FileWriter(directory: directory, cancellation: cancellation, cancelAfter: 50)
        #expect(throws: ConversionCancelled.self) {
            _ = try Conversion(jobs: jobs, cancellation: cancellation)
                .run(reader: reader, writer: writer, skips: SkipReport(policy: .fail))
        }
        // Every thread was joined: the reader does not move any more.
        let read = reader.count
        usleep(50_000)
        #expect(reader.count == read)
        let names = try FileManager.default.contentsOfDirectory(atPath: directory)
        #expect(!names.contains { $0.hasPrefix(".") }, "the released sink removed its temporary file: \(names)")
        #expect(!names.contains("stream.bin"))
        #expect(names.count >= 50)
        #expect(!TemporaryFiles.paths.contains { $0.hasPrefix(directory + "/") })
    }

    @Test func alreadyCancelledRunDoesNotBegin() throws {
        let cancellation = Cancellation()
        cancellation.cancel()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cancel-\(UUID().uuidString)").path
        #expect(throws: ConversionCancelled.self) {
            _ = try Conversion(jobs: 2, cancellation: cancellation)
                .run(reader: EndlessReader(), writer: FileWriter(directory: directory, cancellation: cancellation, cancelAfter: 1),
                     skips: SkipReport(policy: .fail))
        }
        #expect(!FileManager.default.fileExists(atPath: directory))
    }

    @Test func registryTracksCreationRenameAndRemoval() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("registry-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let committed = try OutputFile(destination: directory + "/a")
        let dropped = try OutputFile(destination: directory + "/b", tag: "scratch")
        #expect(TemporaryFiles.contains(committed.temporaryPath) && TemporaryFiles.contains(dropped.temporaryPath))
        #expect(committed.temporaryPath.hasPrefix(directory + "/.a.tmp-\(getpid())-"))
        try committed.write("x")
        try committed.commit()
        dropped.discard()
        #expect(!TemporaryFiles.contains(committed.temporaryPath) && !TemporaryFiles.contains(dropped.temporaryPath))
        let linkTemporary = AtomicFile.temporaryPath(for: directory + "/c")
        #expect(try TemporaryFiles.create(linkTemporary) { FileManager.default.createFile(atPath: linkTemporary, contents: nil) })
        #expect(TemporaryFiles.contains(linkTemporary))
        try AtomicFile.commit(linkTemporary, to: directory + "/c")
        #expect(!TemporaryFiles.contains(linkTemporary))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).sorted() == ["a", "c"])
    }
}
