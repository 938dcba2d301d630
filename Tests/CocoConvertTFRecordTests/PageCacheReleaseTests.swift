import Foundation
import Testing
@testable import CocoConvertTFRecord

/// Streaming written files out of the page cache changes nothing about them and leaks no descriptor.
@Suite struct PageCacheReleaseTests {
    @Test func filesAreCompleteAndDescriptorsClosed() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pagecache-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let window = 64 << 10
        let release = PageCacheRelease(window: Int64(window))
        var expected: [[UInt8]] = []
        // Three files: 2.5 windows, a small one, 6 windows plus a tail, in 48 KiB pieces
        // (larger than the 16 KiB buffer, so they bypass it).
        for (n, size) in [window * 5 / 2, 1000, window * 6 + 12345].enumerated() {
            let path = directory.appendingPathComponent("f\(n)").path
            let writer = try BufferedFileWriter(path: path, bufferSize: 16 << 10, pageCache: release)
            var content = [UInt8](repeating: 0, count: size)
            for i in content.indices { content[i] = UInt8(truncatingIfNeeded: i &* 31 &+ n) }
            var offset = 0
            while offset < size {
                let end = min(size, offset + 48 << 10)
                try writer.append(Array(content[offset..<end]))
                offset = end
            }
            try writer.close()
            expected.append(content)
            #expect(release.heldDescriptors <= PageCacheRelease.windowsInFlight)
        }
        #expect(release.heldDescriptors > 0, "the last files' windows are still queued before drain")
        release.drain()
        for (n, content) in expected.enumerated() {
            let data = try Data(contentsOf: directory.appendingPathComponent("f\(n)"))
            #expect(data.count == content.count && [UInt8](data) == content, "file \(n)")
        }
        #expect(release.heldDescriptors == 0, "the duplicates of finished files are closed")
    }
}
