#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The POSIX calls this target uses, under names that do not collide with methods called
/// `open`/`close`/`read`/`write` on our own types.
enum POSIX {
    static func openForReading(_ path: String) -> Int32 { open(path, O_RDONLY) }
    static func createTruncating(_ path: String) -> Int32 { open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644) }
    @discardableResult static func closeFile(_ fd: Int32) -> Int32 { close(fd) }
    static func duplicate(_ fd: Int32) -> Int32 { dup(fd) }
    static func readSome(_ fd: Int32, _ p: UnsafeMutableRawPointer?, _ n: Int) -> Int { read(fd, p, n) }
    static func writeSome(_ fd: Int32, _ p: UnsafeRawPointer?, _ n: Int) -> Int { write(fd, p, n) }
    static func remove(_ path: String) { unlink(path) }
    static var errorNumber: Int32 { errno }
    static var errorMessage: String { String(cString: strerror(errno)) }
}

extension POSIX {
    /// Tells the kernel that `count` bytes of `fd` at `offset` will not be read again (Linux
    /// `posix_fadvise(DONTNEED)`: dirty pages in the range are queued for write-back, clean ones
    /// dropped from the page cache; a no-op elsewhere). Advisory only: the file's content is unchanged.
    static func adviseWillNotRead(_ fd: Int32, offset: Int64, count: Int64) {
        #if os(Linux)
        _ = posix_fadvise(fd, off_t(offset), off_t(count), POSIX_FADV_DONTNEED)
        #endif
    }

    /// Shell-style wildcard match of one file name (`fnmatch(3)`).
    static func matches(pattern: String, name: String) -> Bool {
        fnmatch(pattern, name, 0) == 0
    }
}
