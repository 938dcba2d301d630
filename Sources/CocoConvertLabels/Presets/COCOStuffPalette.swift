import CocoConvertCore

/// Colours of the COCO-Stuff classes, for the `cocostuff171` and `cocostuff182` presets' PNGs.
///
/// The colours are mmsegmentation's COCO-Stuff palette (`COCOStuffDataset`, one colour per train id
/// 0...170, in the class order of ``LabelSchema/cocoStuff171``): the same class gets the same colour
/// under both presets, only the index differs. Index 255 (unlabeled) is black, as are values no class
/// uses.
public enum COCOStuffPalette {
    /// One colour per train id 0...170, as `rrggbb`.
    private static let trainIDColours: [String] = [
        "00c040 00c040 004060 80c0c0 004040 00c0e0 00c0c0 80c040 00c060 80c040 8020c0 0000e0",
        "000040 00a0c0 800060 8000c0 0020c0 8080e0 0000c0 80a0c0 808000 800020 802000 800080",
        "408020 00a000 000000 c080a0 002000 008080 4080a0 80a000 008000 c08020 806080 000080",
        "400020 00e080 800000 c000a0 006080 808080 4000a0 80e080 808040 c00020 806000 8000c0",
        "008020 40e000 000040 8080a0 406000 0080c0 0080a0 c0e000 008040 808020 c02080 0040c0",
        "000020 40a080 804040 8000a0 402080 80c0c0 0000a0 c0a080 80c000 800060 c02000 804080",
        "408060 40a000 004000 c080e0 402000 00c080 4080e0 c0a000 00c000 c08060 c06080 004080",
        "400060 40e080 804000 c000e0 406080 80c080 4000e0 c0e080 80c040 c00060 c06000 8040c0",
        "008060 00e000 404040 8080e0 006000 40c0c0 0080e0 80e000 40c040 808060 802080 4000c0",
        "004060 00a080 c00040 8040e0 002080 c080c0 0040e0 80a080 c08000 804020 802040 c00080",
        "40c020 00a040 400000 c0c0a0 002040 408080 40c0a0 80a040 408000 c0c020 8060c0 400080",
        "404020 00e0c0 c00000 c040a0 0060c0 c08080 4040a0 80e0c0 c08040 c04020 806040 c000c0",
        "00c020 40e040 400040 80c0a0 406040 4080c0 00c0a0 c0e040 408040 80c020 c020c0 4040c0",
        "004020 40a0c0 c04040 8040a0 4020c0 c0c0c0 0040a0 c0a0c0 c0c000 804060 c02040 c04080",
        "40c060 40a040 404000",
    ]

    /// Colour per COCO-Stuff class, keyed by category id (1...182 without the unused thing ids).
    public static let byCategoryID: [Int64: RGB] = {
        let colours = trainIDColours.flatMap { $0.split(separator: " ") }.map(rgb)
        var byID: [Int64: RGB] = [:]
        for entry in LabelSchema.cocoStuff171.entries where Int(entry.value) < colours.count {
            byID[entry.categoryID] = colours[Int(entry.value)]
        }
        return byID
    }()

    /// The 256-entry palette of `schema`: each value gets its class's colour, everything else black.
    public static func palette(for schema: LabelSchema) -> [RGB] {
        var palette = Array(repeating: RGB(0, 0, 0), count: 256)
        for entry in schema.entries where entry.value < 256 {
            if let colour = byCategoryID[entry.categoryID] { palette[Int(entry.value)] = colour }
        }
        return palette
    }

    private static func rgb(_ hex: Substring) -> RGB {
        let value = UInt32(hex, radix: 16) ?? 0
        return RGB(UInt8(value >> 16 & 0xff), UInt8(value >> 8 & 0xff), UInt8(value & 0xff))
    }
}
