import CocoConvertCore
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Image placement and small file helpers for VOC output; every file appears under its final
/// name only when complete (``AtomicFile``/``OutputFile``: temporary name + rename).
enum FileOutput {
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
        let temporary = AtomicFile.temporaryPath(for: destination)
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
        try AtomicFile.commit(temporary, to: destination)
    }

    static func missingImage(_ path: String) -> ConversionError {
        ConversionError(.missingFile, "image file not found", context: ErrorContext(file: path),
                        hint: "pass --images DIR, use --image-mode none, or --on-error skip to leave such samples out")
    }

    /// Copies `source` to `destination` in 1 MiB chunks through an ``OutputFile``.
    static func copy(_ source: String, to destination: String) throws {
        let input = open(source, O_RDONLY)
        guard input >= 0 else {
            if errno == ENOENT { throw missingImage(source) }
            throw ioError("cannot open image", source)
        }
        defer { close(input) }
        let output = try OutputFile(destination: destination)
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = chunk.withUnsafeMutableBytes { raw in raw.baseAddress.map { systemRead(input, $0, raw.count) } ?? 0 }
            if n == 0 { break }
            if n < 0 {
                if errno == EINTR { continue }
                throw ioError("cannot read image", source)
            }
            try output.write(chunk[0..<n])
        }
        try output.commit()
    }

    /// Reads a whole small file (labelmap.txt, an ImageSets list, an annotation XML); files larger
    /// than `maxBytes` are refused before reading.
    static func readFile(_ path: String, maxBytes: Int = 256 << 20) throws -> [UInt8] {
        var info = stat()
        if stat(path, &info) == 0, Int(info.st_size) > maxBytes {
            throw ConversionError(.limitExceeded, "file is \(info.st_size) bytes, more than the \(maxBytes) this VOC file may have",
                                  context: ErrorContext(file: path), hint: "the file is not a VOC annotation, list or label map")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConversionError(.io, "cannot read file", context: ErrorContext(file: path),
                                  hint: "check that it exists and is readable")
        }
        return [UInt8](data)
    }
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
