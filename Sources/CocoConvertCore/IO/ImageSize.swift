#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The pixel size of an image file from its header alone (JPEG frame header, PNG IHDR): images are
/// never decoded.
public enum ImageSize {
    /// `(width, height)` of a JPEG or PNG file, or nil for other or unreadable files.
    public static func read(file path: String) -> (width: Int, height: Int)? {
        if let png = pngSize(path) { return png }
        return JPEGHeader(file: path).map { ($0.width, $0.height) }
    }

    /// The IHDR of a PNG: the 8-byte signature, then length 13, `IHDR`, width and height (big-endian).
    private static func pngSize(_ path: String) -> (width: Int, height: Int)? {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var head = [UInt8](repeating: 0, count: 24)
        let got = head.withUnsafeMutableBytes { raw in raw.baseAddress.map { pread(fd, $0, 24, 0) } ?? -1 }
        guard got == 24, head[0..<8].elementsEqual([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]),
              head[12..<16].elementsEqual(Array("IHDR".utf8)) else { return nil }
        func be32(_ i: Int) -> Int { Int(head[i]) << 24 | Int(head[i + 1]) << 16 | Int(head[i + 2]) << 8 | Int(head[i + 3]) }
        let width = be32(16), height = be32(20)
        guard width > 0, height > 0 else { return nil }
        return (width, height)
    }
}
