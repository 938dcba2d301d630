import CocoConvertCore
import CocoConvertPNG
import CocoConvertVerify
import Foundation

/// Draws what verify found on one image: the picture (grey, dimmed), pixels whose class only A has
/// in red, only B has in blue, both have (same class) in green, and pixels whose class changed in
/// yellow, with a legend of pixel counts underneath.
public enum DifferenceOverlay {
    public static let onlyA = RGB(230, 40, 40)
    public static let onlyB = RGB(40, 90, 240)
    public static let agree = RGB(40, 200, 70)
    public static let changed = RGB(250, 210, 0)
    static let alpha = 0.6

    /// The overlay of one image report; `picture` is drawn underneath when given and of the right size.
    public static func render(report: ImageReport, a: PaintedImage?, b: PaintedImage?, picture: RGBImage?) -> RGBImage {
        let reference = a ?? b
        let width = max(1, reference?.width ?? 1), height = max(1, reference?.height ?? 1)
        let legendLines = 3
        let legendHeight = legendLines * 11 + 4
        var canvas = Canvas(width: max(width, 200), height: height + legendHeight, color: RGB(24, 24, 24))
        // The picture in dimmed grey, so that the colours stand out.
        if let picture, picture.width == width, picture.height == height {
            for y in 0..<height {
                for x in 0..<width {
                    let c = picture[x, y]
                    let luma: Int = Int(c.r) * 30 + Int(c.g) * 59 + Int(c.b) * 11
                    let grey = UInt8(luma / 200 + 30)
                    canvas.set(x, y, RGB(grey, grey, grey))
                }
            }
        } else {
            canvas.fill(x: 0, y: 0, width: width, height: height, RGB(90, 90, 90))
        }
        var counts = [0, 0, 0, 0]   // A only, B only, agree, changed
        let sameSize = a != nil && b != nil && a?.width == b?.width && a?.height == b?.height
        let mapA = (a.map { $0.classMap() }) ?? [], mapB = (b.map { $0.classMap() }) ?? []
        for y in 0..<height {
            for x in 0..<width {
                let i = y * width + x
                let ca = a != nil && (sameSize || b == nil) && i < mapA.count ? mapA[i] : 0
                let cb = b != nil && (sameSize || a == nil) && i < mapB.count ? mapB[i] : 0
                let kind: Int
                if ca == 0 && cb == 0 { continue }
                else if ca == cb { kind = 2 }
                else if cb == 0 { kind = 0 }
                else if ca == 0 { kind = 1 }
                else { kind = 3 }
                counts[kind] += 1
                canvas.blend(x, y, [onlyA, onlyB, agree, changed][kind], alpha: alpha)
            }
        }
        let top = height + 3
        canvas.text("image \(report.imageID): \(report.headline)", x: 3, y: top, RGB(255, 255, 255))
        let entries: [(String, RGB)] = [("A only \(counts[0]) px", onlyA), ("B only \(counts[1]) px", onlyB),
                                        ("agree \(counts[2]) px", agree), ("class changed \(counts[3]) px", changed)]
        var x = 3
        for (row, pair) in [entries[0...1], entries[2...3]].enumerated() {
            x = 3
            for (text, color) in pair {
                canvas.fill(x: x, y: top + 11 * (row + 1), width: 7, height: 7, color)
                canvas.text(text, x: x + 10, y: top + 11 * (row + 1), RGB(230, 230, 230))
                x += 10 + BitmapFont.width(of: text) + 12
            }
        }
        return canvas.image
    }

    /// Renders and writes the overlay as `<directory>/<image id>.png` (temporary name, then renamed).
    public static func write(report: ImageReport, a: PaintedImage?, b: PaintedImage?, directory: String) throws -> String {
        var picture: RGBImage?
        if let source = a?.image ?? b?.image {
            picture = try? PictureDecoder.decode(source)
        }
        let image = render(report: report, a: a, b: b, picture: picture)
        let png = try image.pngBytes()
        let path = (directory as NSString).appendingPathComponent("\(report.imageID).png")
        try AtomicFile.write(png, to: path)
        return path
    }
}

/// Collects the images verify's `--overlays` draws: every differing image as it comes, or with a
/// limit the K worst, held (as painted runs) until the end.
public struct OverlayQueue {
    public let directory: String
    public let limit: Int?
    private var held: [(ImageReport, PaintedImage?, PaintedImage?)] = []
    private var written = 0

    /// Creates `directory` if needed.
    public init(directory: String, limit: Int?) throws {
        self.directory = directory
        self.limit = limit
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw ConversionError(.io, "cannot create the overlay directory", context: ErrorContext(file: directory),
                                  hint: "check the path and permissions", cause: error)
        }
    }

    /// Offers one differing image.
    public mutating func offer(_ report: ImageReport, _ a: PaintedImage?, _ b: PaintedImage?) throws {
        guard let limit else {
            _ = try DifferenceOverlay.write(report: report, a: a, b: b, directory: directory)
            written += 1
            return
        }
        held.append((report, a, b))
        if held.count > limit {
            held.sort { $0.0.isWorse(than: $1.0) }
            held.removeLast(held.count - limit)
        }
    }

    /// Writes what is held; returns how many overlays were written in all.
    public mutating func finish() throws -> Int {
        for (report, a, b) in held.sorted(by: { $0.0.isWorse(than: $1.0) }) {
            _ = try DifferenceOverlay.write(report: report, a: a, b: b, directory: directory)
            written += 1
        }
        held = []
        return written
    }
}
