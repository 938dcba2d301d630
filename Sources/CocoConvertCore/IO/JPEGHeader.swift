#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The frame header of a JPEG file: the image's size without decoding it (VOC's `size`, YOLO's
/// normalisation).
public struct JPEGHeader: Hashable, Sendable {
    public var width: Int
    public var height: Int
    /// Colour components: 1 (grey), 3 (YCbCr/RGB) or 4 (CMYK).
    public var components: Int

    /// Reads the first start-of-frame marker of the JPEG at `path`, walking segment headers with
    /// positioned reads (at most 512 segments); `nil` for anything that is not a readable JPEG.
    public init?(file path: String) {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 10)
        func readAt(_ offset: Int, _ count: Int) -> Bool {
            buffer.withUnsafeMutableBytes { raw in
                guard let base = raw.baseAddress else { return false }
                return pread(fd, base, count, off_t(offset)) == count
            }
        }
        guard readAt(0, 2), buffer[0] == 0xFF, buffer[1] == 0xD8 else { return nil }
        var offset = 2
        for _ in 0..<512 {
            guard readAt(offset, 4), buffer[0] == 0xFF else { return nil }
            let marker = buffer[1]
            // Fill bytes (0xFF 0xFF ...) may precede a marker.
            if marker == 0xFF {
                offset += 1
                continue
            }
            // Markers without a length.
            if marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7) {
                offset += 2
                continue
            }
            let length = Int(buffer[2]) << 8 | Int(buffer[3])
            guard length >= 2 else { return nil }
            let isFrame = (marker >= 0xC0 && marker <= 0xCF) && marker != 0xC4 && marker != 0xC8 && marker != 0xCC
            if isFrame {
                guard readAt(offset + 4, 6) else { return nil }
                height = Int(buffer[1]) << 8 | Int(buffer[2])
                width = Int(buffer[3]) << 8 | Int(buffer[4])
                components = Int(buffer[5])
                return
            }
            // End of image or start of scan before any frame header: not a usable JPEG.
            if marker == 0xD9 || marker == 0xDA { return nil }
            offset += 2 + length
        }
        return nil
    }
}
