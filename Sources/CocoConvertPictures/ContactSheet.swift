import CocoConvertCore
import CocoConvertPNG

/// How a preview draws its samples.
public struct PreviewStyle: Sendable {
    /// `.semantic`: masks coloured by class (VOC palette at the class's label value);
    /// `.instance`: each instance its own colour (cococonvert's golden-hue palette at its number).
    public var kind: MapKind = .instance
    /// Picture scale; nil fits each picture into a `tile × tile` cell.
    public var scale: Double?
    public var tile = 256
    public var columns: Int?
    /// Draw the pictures under the masks (false: masks on mid-grey, for checking labels alone).
    public var pictures = true
    /// How annotations are painted (crowd and overlap policy, label values for `.semantic` colours).
    public var paint: PaintOptions

    public init(paint: PaintOptions) {
        self.paint = paint
    }

    /// Share of a mask colour in a masked pixel.
    public static let maskAlpha = 0.5
    /// What is under the masks when there is no picture.
    public static let noPicture = RGB(64, 64, 64)
    /// Background of the sheet.
    public static let paper = RGB(250, 250, 250)
    /// The mark of a tile whose picture or annotations could not be used.
    public static let bad = RGB(200, 0, 0)

    /// The colour of instance number `k` (instance previews).
    public static func instanceColor(_ k: UInt16) -> RGB { Palette.cocoStuff[Int(k) % 255 == 0 ? 1 : Int(k) % 255] }
    /// The colour of label value `v` (semantic previews).
    public static func classColor(_ v: UInt32) -> RGB { Palette.voc[Int(v % 256)] }
}

/// Something wrong with one tile: the sample and what could not be drawn.
public struct TileProblem: Sendable, CustomStringConvertible {
    public var imageID: Int64
    public var fileName: String
    public var message: String
    public var description: String { "image \(imageID) (\(fileName)): \(message)" }
}

/// A contact sheet: one tile per sample with its picture, its masks blended in palette colours,
/// instance outlines, and each instance's box with its class name; id and file name underneath.
/// A tile whose picture cannot be read or does not match the annotation's size is crossed out in
/// red with the reason in its caption; the rest of the sheet is drawn all the same.
public enum ContactSheet {
    /// The sheet and the problems met on the way.
    public static func render(_ samples: [Sample], header: DatasetHeader, style: PreviewStyle) -> (image: RGBImage, problems: [TileProblem]) {
        let sizes = samples.map { tileSize(width: $0.width, height: $0.height, style: style) }
        let cellWidth = style.scale == nil ? style.tile : max(1, sizes.map(\.width).max() ?? 1)
        let cellHeight = style.scale == nil ? style.tile : max(1, sizes.map(\.height).max() ?? 1)
        let layout = SheetLayout(count: samples.count, cellWidth: max(cellWidth, 60), cellHeight: cellHeight, columns: style.columns)
        var canvas = Canvas(width: layout.width, height: layout.height, color: PreviewStyle.paper)
        var problems: [TileProblem] = []
        for (index, sample) in samples.enumerated() {
            let origin = layout.origin(of: index)
            let size = sizes[index]
            var trouble: String?
            var reason = ""
            do {
                try drawTile(sample, header: header, style: style, at: origin, size: size, on: &canvas)
            } catch let error as ConversionError {
                trouble = (error.context.file.map { "\($0): " } ?? "") + error.message + (error.hint.map { " (\($0))" } ?? "")
                reason = error.message
            } catch {
                trouble = "\(error)"
                reason = "\(error)"
            }
            let captionY = origin.y + layout.cellHeight + 3
            let characters = max(4, layout.cellWidth / BitmapFont.advance)
            canvas.text(clip("\(sample.id) \(sample.fileName)", characters), x: origin.x, y: captionY, RGB(20, 20, 20))
            if let trouble {
                problems.append(TileProblem(imageID: sample.id, fileName: sample.fileName, message: trouble))
                canvas.frame(x: origin.x, y: origin.y, width: size.width, height: size.height, PreviewStyle.bad, thickness: 3)
                canvas.line(from: (origin.x, origin.y), to: (origin.x + size.width - 1, origin.y + size.height - 1), PreviewStyle.bad)
                canvas.line(from: (origin.x + size.width - 1, origin.y), to: (origin.x, origin.y + size.height - 1), PreviewStyle.bad)
                canvas.text(clip("BAD: " + reason, characters), x: origin.x, y: captionY + 9, PreviewStyle.bad)
            }
        }
        return (canvas.image, problems)
    }

    /// A picture's size in its tile.
    public static func tileSize(width: Int, height: Int, style: PreviewStyle) -> (width: Int, height: Int) {
        guard width > 0, height > 0 else { return (1, 1) }
        let s = style.scale ?? min(Double(style.tile) / Double(width), Double(style.tile) / Double(height))
        return (max(1, Int((Double(width) * s).rounded())), max(1, Int((Double(height) * s).rounded())))
    }

    private static func clip(_ text: String, _ characters: Int) -> String {
        text.count <= characters ? text : String(text.prefix(characters - 1)) + "~"
    }

    /// Draws one sample; throws (after drawing what it can) when the picture or the annotations are bad.
    /// Everything is drawn on a canvas of the tile's own size (so nothing spills into the neighbours),
    /// then copied to `origin`.
    private static func drawTile(_ sample: Sample, header: DatasetHeader, style: PreviewStyle,
                                 at origin: (x: Int, y: Int), size: (width: Int, height: Int), on sheet: inout Canvas) throws {
        var canvas = Canvas(width: size.width, height: size.height, color: PreviewStyle.noPicture)
        defer { sheet.draw(canvas.image, x: origin.x, y: origin.y, width: size.width, height: size.height) }
        let origin = (x: 0, y: 0)
        let (tw, th) = size
        var pictureProblem: ConversionError?
        var picture: RGBImage?
        if style.pictures {
            do {
                picture = try PictureDecoder.decode(sample.image)
                if let p = picture, p.width != sample.width || p.height != sample.height {
                    pictureProblem = ConversionError(.sizeMismatch, "picture is \(p.width)×\(p.height) but the annotation says \(sample.width)×\(sample.height)",
                                                     context: ErrorContext(imageID: sample.id), hint: "the image file does not belong to this record")
                    picture = nil
                }
            } catch let error as ConversionError {
                pictureProblem = error
            }
        }
        if let picture {
            canvas.draw(picture, x: origin.x, y: origin.y, width: tw, height: th)
        } else {
            canvas.fill(x: origin.x, y: origin.y, width: tw, height: th, PreviewStyle.noPicture)
        }

        var paint = style.paint
        paint.kind = .instance
        let painted = try LabelPainter(options: paint).paintSegments(sample)
        let map = painted.map
        let background = UInt16(truncatingIfNeeded: paint.schema.background)
        let ignore = UInt16(truncatingIfNeeded: paint.schema.ignoreIndex)
        var colorOf: [UInt16: RGB] = [ignore: PreviewStyle.classColor(255)]
        for segment in painted.segments {
            colorOf[segment.value] = style.kind == .semantic
                ? PreviewStyle.classColor(paint.schema.value(forCategory: segment.categoryID) ?? 255)
                : PreviewStyle.instanceColor(segment.value)
        }
        // Source value under each tile column and row (nearest neighbour).
        let sourceX = (0..<tw).map { min(map.width - 1, $0 * map.width / tw) }
        let sourceY = (0..<th).map { min(map.height - 1, $0 * map.height / th) }
        func value(_ tx: Int, _ ty: Int) -> UInt16 {
            guard tx >= 0, ty >= 0, tx < tw, ty < th else { return background }
            return map.pixels[sourceY[ty] * map.width + sourceX[tx]]
        }
        for ty in 0..<th {
            for tx in 0..<tw {
                let v = value(tx, ty)
                guard v != background, let color = colorOf[v] else { continue }
                let edge = value(tx - 1, ty) != v || value(tx + 1, ty) != v || value(tx, ty - 1) != v || value(tx, ty + 1) != v
                if edge && v != ignore {
                    canvas.set(origin.x + tx, origin.y + ty, color)
                } else {
                    canvas.blend(origin.x + tx, origin.y + ty, color, alpha: PreviewStyle.maskAlpha)
                }
            }
        }
        // Boxes and class names.
        let sx = Double(tw) / Double(max(1, sample.width)), sy = Double(th) / Double(max(1, sample.height))
        for segment in painted.segments {
            guard let box = segment.bbox, let color = colorOf[segment.value] else { continue }
            let x = origin.x + Int((box.x * sx).rounded(.down)), y = origin.y + Int((box.y * sy).rounded(.down))
            let w = max(1, Int((box.width * sx).rounded(.up))), h = max(1, Int((box.height * sy).rounded(.up)))
            canvas.frame(x: x, y: y, width: w, height: h, color)
            let name = header.category(id: segment.categoryID)?.name ?? "category \(segment.categoryID)"
            let labelY = y - 9 >= origin.y ? y - 9 : y
            let maxChars = max(1, (origin.x + tw - x) / BitmapFont.advance)
            let text = name.count <= maxChars ? name : String(name.prefix(maxChars))
            canvas.label(text, x: x, y: labelY, ink: RGB(255, 255, 255), paper: darker(color))
        }
        if let pictureProblem { throw pictureProblem }
    }

    private static func darker(_ c: RGB) -> RGB {
        RGB(UInt8(Int(c.r) * 3 / 5), UInt8(Int(c.g) * 3 / 5), UInt8(Int(c.b) * 3 / 5))
    }
}
