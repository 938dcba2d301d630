import CocoConvertCore
import Foundation

/// Colour palettes for palette ("P") label PNGs.
public enum Palette {
    /// The Pascal VOC colormap (devkit `VOClabelcolormap`): for index `c`, bits 0, 1, 2 of `c`
    /// become the top bits of R, G, B, then bits 3, 4, 5 the next ones, and so on. 256 entries:
    /// 0 → (0,0,0), 1 → (128,0,0), 15 → (192,128,128), 255 → (224,224,192) (VOC's "void").
    public static let voc: [RGB] = (0..<256).map(bitInterleaved)

    /// cococonvert's fixed palette for COCO ids and COCO-Stuff (our own, documented in
    /// formats/png-labels.md; COCO-Stuff's MATLAB colormap is built from `jet`/`gist_rainbow` and is
    /// not reproduced). Entry 0 is black (unlabeled), entry 255 is (224,224,192) like VOC's void;
    /// entry `i` in 1...254 has hue `i × 0.618034` (golden-ratio steps, mod 1), saturation 0.55 +
    /// 0.15·(i mod 3), value 0.95 − 0.2·((i / 3) mod 3), converted HSV → RGB with rounding.
    /// Neighbouring ids therefore get clearly different colours.
    public static let cocoStuff: [RGB] = (0..<256).map(goldenHue)

    /// A palette from a file:
    /// - `.png`: the PLTE chunk of a palette PNG (e.g. a VOC `SegmentationClass` file);
    /// - `.json`: an array of `[r, g, b]`, or an object `{"<index>": [r, g, b]}`;
    /// - anything else: text, one colour per line as `r g b`, `r,g,b` or `#rrggbb`; `#` comments
    ///   (a `#` followed by a space or at the line start with non-hex text) and blank lines are skipped.
    /// Missing entries up to 256 are left out (the palette is as long as the file says).
    public static func load(file: String) throws -> [RGB] {
        let bytes = try PNGDecoder.readFile(file)
        let context = ErrorContext(file: file)
        if file.lowercased().hasSuffix(".png") {
            let header = try PNGDecoder.header(bytes, file: file)
            guard let palette = header.palette, !palette.isEmpty else {
                throw ConversionError(.invalidValue, "PNG has no palette (PLTE chunk)", context: context,
                                      hint: "give a palette (\"P\" mode) PNG, a JSON array of [r,g,b] or a text file")
            }
            return palette
        }
        if file.lowercased().hasSuffix(".json") {
            return try parseJSON(bytes, context: context)
        }
        return try parseText(String(decoding: bytes, as: UTF8.self), context: context)
    }

    // MARK: - Generators

    static func bitInterleaved(_ index: Int) -> RGB {
        var c = index
        var r = 0, g = 0, b = 0
        for j in 0..<8 {
            r |= (c & 1) << (7 - j)
            g |= ((c >> 1) & 1) << (7 - j)
            b |= ((c >> 2) & 1) << (7 - j)
            c >>= 3
        }
        return RGB(UInt8(r), UInt8(g), UInt8(b))
    }

    static func goldenHue(_ index: Int) -> RGB {
        if index == 0 { return RGB(0, 0, 0) }
        if index == 255 { return RGB(224, 224, 192) }
        let hue = (Double(index) * 0.618034).truncatingRemainder(dividingBy: 1)
        let saturation = 0.55 + 0.15 * Double(index % 3)
        let value = 0.95 - 0.2 * Double((index / 3) % 3)
        return hsv(hue, saturation, value)
    }

    /// HSV (each 0...1) to 8-bit RGB, rounding to nearest.
    static func hsv(_ h: Double, _ s: Double, _ v: Double) -> RGB {
        let sector = h * 6
        let i = Int(sector) % 6
        let f = sector - Double(Int(sector))
        let p = v * (1 - s), q = v * (1 - s * f), t = v * (1 - s * (1 - f))
        let (r, g, b): (Double, Double, Double)
        switch i {
        case 0: (r, g, b) = (v, t, p)
        case 1: (r, g, b) = (q, v, p)
        case 2: (r, g, b) = (p, v, t)
        case 3: (r, g, b) = (p, q, v)
        case 4: (r, g, b) = (t, p, v)
        default: (r, g, b) = (v, p, q)
        }
        func byte(_ x: Double) -> UInt8 { UInt8(max(0, min(255, (x * 255).rounded()))) }
        return RGB(byte(r), byte(g), byte(b))
    }

    // MARK: - Parsers

    static func parseJSON(_ bytes: [UInt8], context: ErrorContext) throws -> [RGB] {
        let bad = ConversionError(.invalidValue, "palette JSON must be an array of [r, g, b] or an object {\"index\": [r, g, b]}",
                                  context: context, hint: "components are integers 0...255; at most 256 entries")
        let root: JSONValue
        do {
            root = try JSONValue(parsing: bytes, context: context)
        } catch {
            throw ConversionError(.malformedInput, "palette file is not valid JSON (\(error.message))", context: context,
                                  hint: "fix the JSON syntax")
        }
        func color(_ value: JSONValue) throws -> RGB {
            guard let parts = value.arrayValue, parts.count == 3 else { throw bad }
            var c: [UInt8] = []
            for p in parts {
                guard let n = p.int64Value, let v = UInt8(exactly: n) else { throw bad }
                c.append(v)
            }
            return RGB(c[0], c[1], c[2])
        }
        if let array = root.arrayValue {
            guard array.count <= 256 else { throw bad }
            return try array.map(color)
        }
        if let object = root.objectMembers {
            var entries: [Int: RGB] = [:]
            for (key, value) in object {
                guard let index = Int(key), (0...255).contains(index) else { throw bad }
                entries[index] = try color(value)
            }
            guard let last = entries.keys.max() else { return [] }
            return (0...last).map { entries[$0] ?? RGB(0, 0, 0) }
        }
        throw bad
    }

    static func parseText(_ text: String, context: ErrorContext) throws -> [RGB] {
        var colors: [RGB] = []
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty { continue }
            let lineContext = ErrorContext(file: context.file, field: "line \(number + 1)")
            if line.hasPrefix("#") {
                let hex = line.dropFirst()
                if hex.count == 6, let v = UInt32(hex, radix: 16) {
                    colors.append(RGB(UInt8(v >> 16), UInt8((v >> 8) & 0xff), UInt8(v & 0xff)))
                }
                continue
            }
            let parts = line.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "\t" })
            guard parts.count == 3, let r = UInt8(parts[0]), let g = UInt8(parts[1]), let b = UInt8(parts[2]) else {
                throw ConversionError(.invalidValue, "palette line is not `r g b`: \(line)", context: lineContext,
                                      hint: "write three integers 0...255 per line, or #rrggbb")
            }
            colors.append(RGB(r, g, b))
        }
        guard colors.count <= 256 else {
            throw ConversionError(.invalidValue, "palette has \(colors.count) entries; PNG palettes hold at most 256",
                                  context: context, hint: "remove the extra lines")
        }
        return colors
    }
}
