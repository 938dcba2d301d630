import CocoConvertCore
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The file operations VOC output needs, all of them atomic (temporary name + rename) so that an
/// interrupted run never leaves a truncated file under a final name.
enum FileOutput {
    /// A temporary name beside `path`, unique to this process.
    static func temporaryName(for path: String) -> String {
        AtomicFile.temporaryPath(for: path)
    }

    static func ioError(_ what: String, _ path: String, _ code: Int32 = errno) -> ConversionError {
        ConversionError(.io, "\(what): \(String(cString: strerror(code)))", context: ErrorContext(file: path),
                        hint: "check that the output directory is writable and has space")
    }

    /// Creates `path` and its parents (like `mkdir -p`).
    static func makeDirectory(_ path: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw ConversionError(.io, "cannot create directory: \(error.localizedDescription)",
                                  context: ErrorContext(file: path), hint: "check the output path and permissions")
        }
    }

    /// Writes `bytes` to `path` through a temporary file and a rename.
    static func write(_ bytes: [UInt8], to path: String) throws {
        let temporary = temporaryName(for: path)
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw ioError("cannot create file", temporary) }
        var failure: Int32 = 0
        bytes.withUnsafeBytes { buffer in
            var done = 0
            while done < buffer.count {
                let n = systemWrite(fd, buffer.baseAddress! + done, buffer.count - done)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                done += n
            }
        }
        if close(fd) != 0, failure == 0 { failure = errno }
        if failure != 0 {
            unlink(temporary)
            throw ioError("cannot write file", path, failure)
        }
        try rename(temporary, to: path)
    }

    static func rename(_ temporary: String, to path: String) throws {
        try AtomicFile.commit(temporary, to: path)
    }

    /// Whether `a` and `b` name the same file (same device and inode).
    static func sameFile(_ a: String, _ b: String) -> Bool {
        var sa = stat(), sb = stat()
        guard stat(a, &sa) == 0, stat(b, &sb) == 0 else { return false }
        return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino
    }

    /// Puts `source` at `destination` by copying, hard-linking (falling back to a copy across
    /// filesystems) or symlinking it.
    static func place(_ source: String, at destination: String, mode: VOCImageMode) throws {
        if mode == .none { return }
        // An existing destination may be the source itself (a tree converted in place): keep it.
        // (A fresh output directory costs one failing stat here.)
        var existing = stat()
        if stat(destination, &existing) == 0, sameFile(source, destination) { return }
        let temporary = temporaryName(for: destination)
        /// Runs `make` on the temporary name, removing a stale one left by an earlier crash once.
        func create(_ make: () -> Int32) -> Int32 {
            var result = make()
            if result != 0 && errno == EEXIST {
                unlink(temporary)
                result = make()
            }
            return result
        }
        switch mode {
        case .none:
            return
        case .hardlink:
            if create({ link(source, temporary) }) != 0 {
                let code = errno
                switch code {
                case EXDEV, EPERM, EMLINK, ENOTSUP, EOPNOTSUPP, EACCES:
                    try copy(source, to: destination)
                    return
                case ENOENT:
                    throw missingImage(source)
                default:
                    throw ioError("cannot hard-link image \(source)", destination, code)
                }
            }
        case .symlink:
            let absolute = source.hasPrefix("/") ? source : FileManager.default.currentDirectoryPath + "/" + source
            guard create({ symlink(absolute, temporary) }) == 0 else { throw ioError("cannot create symbolic link", destination) }
        case .copy:
            try copy(source, to: destination)
            return
        }
        try rename(temporary, to: destination)
    }

    static func missingImage(_ path: String) -> ConversionError {
        ConversionError(.io, "image file not found", context: ErrorContext(file: path),
                        hint: "pass --images DIR, use --image-mode none, or --on-error skip to leave such samples out")
    }

    /// Copies `source` to `destination` in 1 MiB chunks through a temporary file.
    static func copy(_ source: String, to destination: String) throws {
        let input = open(source, O_RDONLY)
        guard input >= 0 else {
            if errno == ENOENT { throw missingImage(source) }
            throw ioError("cannot open image", source)
        }
        defer { close(input) }
        let temporary = temporaryName(for: destination)
        let output = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard output >= 0 else { throw ioError("cannot create file", temporary) }
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        var failure: (Int32, String)?
        buffer.withUnsafeMutableBytes { raw in
            guard let base = raw.baseAddress else { return }
            while true {
                let n = systemRead(input, base, raw.count)
                if n == 0 { return }
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = (errno, source)
                    return
                }
                var done = 0
                while done < n {
                    let m = systemWrite(output, base + done, n - done)
                    if m < 0 {
                        if errno == EINTR { continue }
                        failure = (errno, destination)
                        return
                    }
                    done += m
                }
            }
        }
        if close(output) != 0, failure == nil { failure = (errno, destination) }
        if let (code, path) = failure {
            unlink(temporary)
            throw ioError("cannot copy image", path, code)
        }
        try rename(temporary, to: destination)
    }

    /// Reads a whole file.
    static func readFile(_ path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConversionError(.io, "cannot read file", context: ErrorContext(file: path),
                                  hint: "check that it exists and is readable")
        }
        return [UInt8](data)
    }
}

/// `write(2)`, named apart from the Swift methods called `write`.
@inline(__always)
private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
    return Glibc.write(fd, buffer, count)
    #else
    return Darwin.write(fd, buffer, count)
    #endif
}

/// `read(2)`, named apart from the Swift methods called `read`.
@inline(__always)
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
    return Glibc.read(fd, buffer, count)
    #else
    return Darwin.read(fd, buffer, count)
    #endif
}
