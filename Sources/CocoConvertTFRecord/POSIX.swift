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
    @discardableResult static func closeFile(_ fd: Int32) -> Int32 { close(fd) }
    static func readSome(_ fd: Int32, _ p: UnsafeMutableRawPointer?, _ n: Int) -> Int { read(fd, p, n) }
}

extension POSIX {
    /// Shell-style wildcard match of one file name (`fnmatch(3)`).
    static func matches(pattern: String, name: String) -> Bool {
        fnmatch(pattern, name, 0) == 0
    }
}
