import CocoConvertCore
@testable import CocoConvertPNG
import Foundation
import Testing

@Suite("PNG codec")
struct PNGCodecTests {
    @Test("oracle PNGs (written by Pillow) decode as 8-bit gray")
    func decodesPillowOutput() throws {
        let files = try TestData.oraclePNGs()
        #expect(files.count == 102)
        for (_, url) in files {
            let png = try PNGDecoder.decode(file: url.path)
            #expect(png.colorType == .gray)
            #expect(png.bitDepth == 8)
            #expect(png.samples.count == png.width * png.height)
        }
    }

    @Test("8-bit gray round trip of every oracle label map")
    func grayRoundTrip() throws {
        for (_, url) in try TestData.oraclePNGs() {
            let png = try PNGDecoder.decode(file: url.path)
            let map = LabelMap(width: png.width, height: png.height, pixels: png.samples)
            let bytes = try PNGEncoder.encode(labelMap: map, palette: nil)
            let back = try PNGDecoder.decode(bytes)
            #expect(back.colorType == .gray && back.bitDepth == 8)
            #expect(back.samples == png.samples)
        }
    }

    @Test("palette label map keeps indices and writes maxValue + 1 palette entries")
    func paletteRoundTrip() throws {
        let map = LabelMap(width: 5, height: 3, pixels: [0, 1, 2, 3, 255, 20, 20, 20, 0, 0, 15, 15, 1, 1, 1])
        let bytes = try PNGEncoder.encode(labelMap: map, palette: Palette.voc)
        let png = try PNGDecoder.decode(bytes)
        #expect(png.colorType == .palette)
        #expect(png.bitDepth == 8)
        #expect(png.samples == map.pixels)
        #expect(png.palette?.count == 256)
        #expect(png.palette?[255] == RGB(224, 224, 192))
        #expect(png.palette?[15] == RGB(192, 128, 128))

        let small = LabelMap(width: 2, height: 1, pixels: [0, 3])
        let smallPNG = try PNGDecoder.decode(try PNGEncoder.encode(labelMap: small, palette: Palette.voc))
        #expect(smallPNG.palette == Array(Palette.voc.prefix(4)))
    }

    @Test("maxValue > 255 writes 16-bit gray, palette or not, and reads back exactly")
    func sixteenBit() throws {
        var pixels = [UInt16](repeating: 0, count: 40 * 30)
        for i in pixels.indices { pixels[i] = UInt16(truncatingIfNeeded: i &* 2654435761 >> 7) }
        pixels[7] = 65535
        let map = LabelMap(width: 40, height: 30, pixels: pixels)
        for palette in [nil, Palette.voc] {
            let png = try PNGDecoder.decode(try PNGEncoder.encode(labelMap: map, palette: palette))
            #expect(png.colorType == .gray)
            #expect(png.bitDepth == 16)
            #expect(png.samples == pixels)
        }
    }

    @Test("a stale maxValue cannot silently truncate values")
    func staleMaxValue() throws {
        var map = LabelMap(width: 2, height: 1, pixels: [1, 300])
        map.maxValue = 1
        #expect(throws: ConversionError.self) { try PNGEncoder.encode(labelMap: map, palette: nil) }
    }

    @Test("RGB and gray helpers")
    func rgbAndGray() throws {
        let rgb: [UInt8] = [1, 2, 3, 4, 5, 6, 255, 0, 128, 9, 9, 9]
        let png = try PNGDecoder.decode(try PNGEncoder.encodeRGB8(width: 2, height: 2, pixels: rgb))
        #expect(png.colorType == .rgb && png.channels == 3)
        #expect(png.samples == rgb.map(UInt16.init))
        let gray: [UInt8] = [0, 1, 1, 0, 1, 0]
        let g = try PNGDecoder.decode(try PNGEncoder.encodeGray8(width: 3, height: 2, pixels: gray))
        #expect(g.samples == gray.map(UInt16.init))
        #expect(throws: ConversionError.self) { try PNGEncoder.encodeGray8(width: 3, height: 3, pixels: gray) }
        #expect(throws: ConversionError.self) { try PNGEncoder.encodeGray8(width: 0, height: 0, pixels: []) }
    }

    @Test("garbage, empty and truncated input throw malformed-input, never crash")
    func badInput() throws {
        let good = try PNGEncoder.encode(labelMap: LabelMap(width: 64, height: 64, pixels: (0..<4096).map { UInt16($0 % 200) }),
                                         palette: nil)
        var cases: [[UInt8]] = [[], [1, 2, 3], Array("hello, world, this is not a PNG".utf8), Array(good.prefix(8)),
                                Array(good.prefix(30)), Array(good.prefix(good.count / 2)), Array(good.dropLast(13))]
        var corrupt = good
        corrupt[good.count / 2] ^= 0xff
        cases.append(corrupt)
        var badHeader = good
        badHeader[20] ^= 0x01 // IHDR width, breaks its CRC
        cases.append(badHeader)
        for bytes in cases {
            do {
                _ = try PNGDecoder.decode(bytes)
                Issue.record("decoded \(bytes.count) bad bytes without error")
            } catch let error as ConversionError {
                #expect(error.code == .malformedInput)
                #expect(!error.message.isEmpty)
            }
        }
    }

    @Test("header claiming more pixels than the limit or the data allows is rejected before allocating")
    func limits() throws {
        let bytes = try PNGEncoder.encode(labelMap: LabelMap(width: 100, height: 100), palette: nil)
        #expect(throws: ConversionError.self) { try PNGDecoder.decode(bytes, limits: Limits(maxPixels: 9_999)) }
        #expect((try? PNGDecoder.decode(bytes, limits: Limits(maxPixels: 10_000))) != nil)
    }

    @Test("missing file is an io error naming the file")
    func missingFile() {
        do {
            _ = try PNGDecoder.decode(file: "/nonexistent/x.png")
            Issue.record("no error")
        } catch let error as ConversionError {
            #expect(error.code == .io)
            #expect(error.context.file == "/nonexistent/x.png")
        } catch {
            Issue.record("wrong error \(error)")
        }
    }

    @Test("VOC colormap facts")
    func vocColormap() {
        let expected: [Int: RGB] = [0: RGB(0, 0, 0), 1: RGB(128, 0, 0), 2: RGB(0, 128, 0), 3: RGB(128, 128, 0),
                                    4: RGB(0, 0, 128), 5: RGB(128, 0, 128), 6: RGB(0, 128, 128), 7: RGB(128, 128, 128),
                                    8: RGB(64, 0, 0), 9: RGB(192, 0, 0), 10: RGB(64, 128, 0), 15: RGB(192, 128, 128),
                                    20: RGB(0, 64, 128), 255: RGB(224, 224, 192)]
        #expect(Palette.voc.count == 256)
        for (i, c) in expected { #expect(Palette.voc[i] == c, "index \(i)") }
        #expect(Palette.cocoStuff.count == 256)
        #expect(Palette.cocoStuff[0] == RGB(0, 0, 0))
        #expect(Set(Palette.cocoStuff).count > 200)
    }
}
