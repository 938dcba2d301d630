#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Puts a sample's image into an output (VOC's JPEGImages, YOLO's images/<split>): a hard link
/// (the default), a copy or a relative symbolic link to the source file, or the bytes an input
/// carried. Every file appears under its final name only when complete.
public enum ImageFiles {
    /// Puts `image` at `destination` as `mode` says (`.none` writes nothing).
    /// - Throws: `ConversionError`: `.missingFile` (an item problem) when the source image is gone,
    ///   `.io` when the output cannot be written.
    public static func put(_ image: ImageSource, at destination: String, mode: ImageMode) throws {
        switch image {
        case .file(let source): try place(source, at: destination, mode: mode)
        case .bytes(let bytes): if mode != .none { try AtomicFile.write(bytes, to: destination) }
        case .none: break
        }
    }

    static func ioError(_ what: String, _ path: String, _ code: Int32 = errno) -> ConversionError {
        ConversionError(.io, "\(what): \(String(cString: strerror(code)))", context: ErrorContext(file: path),
                        hint: "check that the output directory is writable and has space")
    }

    /// Whether `a` and `b` name the same file (same device and inode).
    static func sameFile(_ a: String, _ b: String) -> Bool {
        var sa = stat(), sb = stat()
        guard stat(a, &sa) == 0, stat(b, &sb) == 0 else { return false }
        return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino
    }

    /// Puts `source` at `destination` by copying, hard-linking (falling back to a copy across
    /// filesystems or at the link limit) or symlinking it.
    ///
    /// A link appears whole or not at all, so it goes straight to its final name; only replacing an
    /// existing file takes a temporary name and a rename. An existing destination that is the
    /// source itself (a tree converted in place) is kept.
    public static func place(_ source: String, at destination: String, mode: ImageMode) throws {
        let makeLink: (String) -> Int32
        switch mode {
        case .none:
            return
        case .copy:
            if sameFile(source, destination) { return OutputLedger.didKeep(destination) }
            try copy(source, to: destination)
            return
        case .hardlink:
            makeLink = { link(source, $0) }
        case .symlink:
            let absolute = source.hasPrefix("/") ? source : FileManager.default.currentDirectoryPath + "/" + source
            let target = relativeLinkTarget(to: absolute, from: destination) ?? absolute
            makeLink = { symlink(target, $0) }
        }
        if makeLink(destination) == 0 {
            OutputLedger.didCreate(destination)
            return
        }
        var code = errno
        if code == EEXIST {
            if sameFile(source, destination) { return OutputLedger.didKeep(destination) }
            let temporary = AtomicFile.temporaryPath(for: destination)
            unlink(temporary)  // a stale one from an interrupted run
            let linked = try TemporaryFiles.create(temporary) {
                if makeLink(temporary) == 0 { return true }
                code = errno
                return false
            }
            if linked {
                try AtomicFile.commit(temporary, to: destination)
                return
            }
        }
        guard mode == .hardlink else { throw ioError("cannot create symbolic link", destination, code) }
        switch code {
        case EXDEV, EPERM, EMLINK, ENOTSUP, EOPNOTSUPP, EACCES:
            try copy(source, to: destination)
        case ENOENT:
            throw missingImage(source)
        default:
            throw ioError("cannot hard-link image \(source)", destination, code)
        }
    }

    /// The path of `target` relative to the directory of `link`, both with their directories' symbolic
    /// links resolved (`../../coco/val2017/x.jpg`), so a tree moved together with its images keeps
    /// working; nil when either directory cannot be resolved (the caller links the absolute path).
    static func relativeLinkTarget(to target: String, from link: String) -> String? {
        func resolvedDirectory(_ path: String) -> [Substring]? {
            let directory = PathText.parent(of: path)
            guard let resolved = realpath(directory.isEmpty ? "." : directory, nil) else { return nil }
            defer { free(resolved) }
            return String(cString: resolved).split(separator: "/")
        }
        guard let from = resolvedDirectory(link), let to = resolvedDirectory(target) else { return nil }
        var common = 0
        while common < from.count, common < to.count, from[common] == to[common] { common += 1 }
        let up = Array(repeating: "..", count: from.count - common)
        let down = to[common...].map(String.init)
        return (up + down + [PathText.lastComponent(of: target)]).joined(separator: "/")
    }

    public static func missingImage(_ path: String) -> ConversionError {
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
