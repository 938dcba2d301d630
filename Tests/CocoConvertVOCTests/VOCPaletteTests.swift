import CocoConvertCore
import CocoConvertPNG
import Testing

/// The palette VOC output carries (`Palette.voc`) against the devkit's VOClabelcolormap values.
@Suite struct VOCPaletteTests {
    // Values from the devkit's VOClabelcolormap as listed in REFERENCE.md §2.5.
    @Test(arguments: [
        (0, RGB(0, 0, 0)), (1, RGB(128, 0, 0)), (2, RGB(0, 128, 0)), (3, RGB(128, 128, 0)),
        (4, RGB(0, 0, 128)), (5, RGB(128, 0, 128)), (6, RGB(0, 128, 128)), (7, RGB(128, 128, 128)),
        (8, RGB(64, 0, 0)), (9, RGB(192, 0, 0)), (10, RGB(64, 128, 0)), (15, RGB(192, 128, 128)),
        (20, RGB(0, 64, 128)), (255, RGB(224, 224, 192)),
    ])
    func matchesDevkitColormap(index: Int, color: RGB) {
        #expect(Palette.voc[index] == color)
    }

    @Test func has256DistinctColours() {
        #expect(Palette.voc.count == 256)
        #expect(Set(Palette.voc).count == 256)
    }
}
