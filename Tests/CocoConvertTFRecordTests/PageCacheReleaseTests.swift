import CocoConvertCore
import Foundation
import Testing

/// Streaming written files out of the page cache (``OutputFile`` with a ``PageCacheRelease``, as the
/// TFRecord shard writer uses it) changes nothing about them and leaks no descriptor.
@Suite struct PageCacheReleaseTests {
    @Test func filesAreCompleteAndDescriptorsClosed() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pagecache-\(getpid())-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let window = 64 << 10
        let release = PageCacheRelease(window: Int64(window))
        var expected: [[UInt8]] = []
        var files: [OutputFile] = []
        // Three files: 2.5 windows, a small one, 6 windows plus a tail, in 48 KiB pieces
        // (larger than the 16 KiB buffer, so they bypass it) and 5,000-byte pieces (buffered).
        for (n, size) in [window * 5 / 2, 1000, window * 6 + 12345].enumerated() {
            let file = try OutputFile(destination: directory.appendingPathComponent("f\(n)").path, tag: "partial",
                                      bufferSize: 16 << 10, pageCache: release)
            var content = [UInt8](repeating: 0, count: size)
            for i in content.indices { content[i] = UInt8(truncatingIfNeeded: i &* 31 &+ n) }
            var offset = 0
            var piece = 0
            while offset < size {
                let end = min(size, offset + (piece % 2 == 0 ? 48 << 10 : 5000))
                try content[offset..<end].withUnsafeBytes { try file.append($0) }
                offset = end
                piece += 1
            }
            // Complete under its temporary name, as a shard before the shard count is known.
            try file.close()
            #expect(file.bytesWritten == Int64(size))
            #expect(TemporaryFiles.contains(file.temporaryPath))
            expected.append(content)
            files.append(file)
            #expect(release.heldDescriptors <= PageCacheRelease.windowsInFlight)
        }
        #expect(release.heldDescriptors > 0, "the last files' windows are still queued before drain")
        release.drain()
        #expect(release.heldDescriptors == 0, "the duplicates of finished files are closed")
        // Renamed only now, under names decided after closing.
        for (n, file) in files.enumerated() {
            try file.commit(to: directory.appendingPathComponent("final-\(n)-of-3").path)
            #expect(!TemporaryFiles.contains(file.temporaryPath))
        }
        for (n, content) in expected.enumerated() {
            let data = try Data(contentsOf: directory.appendingPathComponent("final-\(n)-of-3"))
            #expect(data.count == content.count && [UInt8](data) == content, "file \(n)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
                == ["final-0-of-3", "final-1-of-3", "final-2-of-3"], "no temporary file left")
    }

    @Test func anUncommittedFileIsRemovedWhenReleased() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pagecache-\(getpid())-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let release = PageCacheRelease(window: 4096)
        var temporaries: [String] = []
        do {
            let open = try OutputFile(destination: directory.appendingPathComponent("a").path, bufferSize: 4096, pageCache: release)
            try open.write([UInt8](repeating: 7, count: 3 * 4096 + 5))
            let closed = try OutputFile(destination: directory.appendingPathComponent("b").path, bufferSize: 4096, pageCache: release)
            try closed.write([UInt8](repeating: 9, count: 10_000))
            try closed.close()
            temporaries = [open.temporaryPath, closed.temporaryPath]
            #expect(temporaries.allSatisfy { FileManager.default.fileExists(atPath: $0) && TemporaryFiles.contains($0) })
        }
        #expect(temporaries.allSatisfy { !FileManager.default.fileExists(atPath: $0) && !TemporaryFiles.contains($0) })
        release.drain()
        #expect(release.heldDescriptors == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
    }
}
