#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Streams finished parts of written files out of the page cache, across all the files of one
/// output, for large files that are never read back by this process (TFRecord shards).
///
/// ``OutputFile`` reports each completed window (32 MiB by default) of a file; the window is queued
/// for write-back at once (`posix_fadvise(DONTNEED)` starts write-back of dirty pages) and, four
/// windows later — counted over every file, since files are often smaller than that — advised
/// again, when it has reached the disk and its pages can be dropped. Without this the kernel
/// collects gigabytes of dirty pages (DeepLab TFRecord shards embed every JPEG: 9.4 GB for
/// train2017), then throttles and reclaims: on the project machine 9 GB of plain 1 MiB writes cost
/// 25 s of system time, 3.8 s this way. It pays only for outputs of gigabytes; small files (label
/// PNGs, XML) are better left to the kernel. Advice only: file contents and errors are the
/// writers' as before. Linux only (a no-op elsewhere). Not thread-safe: one writing thread.
public final class PageCacheRelease {
    /// Bytes per window (32 MiB unless a test asks for less).
    public let window: Int64
    /// Windows in flight before the oldest is dropped.
    public static let windowsInFlight = 4

    private struct Window {
        var fd: Int32
        var offset: Int64
        var count: Int64
        /// The window is its file's last: `fd` is our duplicate, closed once the window is released.
        var closesFile: Bool
    }

    private var queue: [Window] = []

    public init(window: Int64 = 32 << 20) {
        self.window = max(1, window)
    }

    /// Duplicate descriptors held for finished files whose windows are still queued.
    public var heldDescriptors: Int { queue.filter(\.closesFile).count }

    deinit { drain() }

    /// A completed window of the file open as `fd`.
    func completed(fd: Int32, offset: Int64, count: Int64) {
        enqueue(Window(fd: fd, offset: offset, count: count, closesFile: false))
    }

    /// The file open as `fd` is complete, its last window being `offset..<offset+count`; call
    /// before closing `fd`. Windows of the file still queued are released through a duplicate
    /// descriptor, so the caller closes its own as usual.
    func fileFinished(fd: Int32, offset: Int64, count: Int64) {
        let mine = dup(fd)
        guard mine >= 0 else {
            // Out of descriptors: release this file's windows now (they stay cached if still dirty).
            queue.removeAll { window in
                guard window.fd == fd else { return false }
                Self.adviseWillNotRead(fd, offset: window.offset, count: window.count)
                return true
            }
            return
        }
        for i in queue.indices where queue[i].fd == fd { queue[i].fd = mine }
        enqueue(Window(fd: mine, offset: offset, count: count, closesFile: true))
    }

    /// Forgets the windows of `fd`, which is being closed without ``fileFinished`` (an abandoned file).
    func forget(fd: Int32) {
        queue.removeAll { $0.fd == fd && !$0.closesFile }
    }

    /// Releases every queued window (pages still being written stay cached).
    public func drain() {
        while !queue.isEmpty { releaseOldest() }
    }

    private func enqueue(_ window: Window) {
        if window.count > 0 { Self.adviseWillNotRead(window.fd, offset: window.offset, count: window.count) }
        queue.append(window)
        while queue.count > Self.windowsInFlight { releaseOldest() }
    }

    private func releaseOldest() {
        let oldest = queue.removeFirst()
        if oldest.count > 0 { Self.adviseWillNotRead(oldest.fd, offset: oldest.offset, count: oldest.count) }
        if oldest.closesFile { systemClose(oldest.fd) }
    }

    /// Tells the kernel that `count` bytes of `fd` at `offset` will not be read again (Linux
    /// `posix_fadvise(DONTNEED)`: dirty pages in the range are queued for write-back, clean ones
    /// dropped from the page cache; a no-op elsewhere). Advisory only: the file's content is unchanged.
    static func adviseWillNotRead(_ fd: Int32, offset: Int64, count: Int64) {
        #if os(Linux)
        _ = posix_fadvise(fd, off_t(offset), off_t(count), POSIX_FADV_DONTNEED)
        #endif
    }
}

@inline(__always)
private func systemClose(_ fd: Int32) {
    _ = close(fd)
}
