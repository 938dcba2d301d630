import CocoConvertCore
@testable import CocoConvertHDF5
import Foundation
import Testing

@Suite("labels tensor")
struct LabelTensorTests {
    /// Reads every shard's labels back and checks labels[i, :h, :w] == painted and padding == ignore.
    static func check(_ dir: String, samples: [Sample], ignore: UInt16 = 255,
                      paint: (Sample) -> (width: Int, height: Int, pixels: [UInt16]) = Synthetic.paint,
                      expectShape: ((Int, Int, Int)) -> Bool = { _ in true }) throws {
        var k = 0
        for name in try TestPaths.files(in: dir) {
            let file = try HDF5File.open(path: dir + "/" + name)
            let labels = try file.openDataset("labels")
            let dims = try labels.dims()
            #expect(expectShape((dims[0], dims[1], dims[2])))
            for i in 0..<dims[0] {
                let s = samples[k]
                k += 1
                let plane = try labels.read(UInt16.self, start: [i, 0, 0], count: [1, dims[1], dims[2]])
                let expected = paint(s).pixels
                var mismatches = 0, badPadding = 0
                for y in 0..<dims[1] {
                    for x in 0..<dims[2] {
                        let v = plane[y * dims[2] + x]
                        if y < s.height && x < s.width {
                            if v != expected[y * s.width + x] { mismatches += 1 }
                        } else if v != ignore {
                            badPadding += 1
                        }
                    }
                }
                #expect(mismatches == 0, "sample \(s.id)")
                #expect(badPadding == 0, "sample \(s.id)")
            }
            try file.close()
        }
        #expect(k == samples.count)
    }

    @Test("Samples of different sizes are padded to the shard's max H×W with the ignore value",
          arguments: [HDF5Compression.defaultGzip, .gzip(level: 9, labelMapEncoder: false), .gzip(level: 1, labelMapEncoder: false), .none])
    func padPerShard(compression: HDF5Compression) throws {
        let dir = try TestPaths.temporaryDirectory("pad")
        let samples = (0..<9).map(Synthetic.sample)
        try Synthetic.write(samples, to: dir, options: Synthetic.options(shard: 4, compression: compression))
        try Self.check(dir, samples: samples)
        // Shard extent is the max of its own samples.
        let file = try HDF5File.open(path: dir + "/val2017-00000-of-00003.h5")
        let dims = try file.openDataset("labels").dims()
        #expect(dims == [4, samples[0..<4].map(\.height).max() ?? 0, samples[0..<4].map(\.width).max() ?? 0])
        try file.close()
    }

    @Test("--pad-to gives one size across all shards")
    func padTo() throws {
        let dir = try TestPaths.temporaryDirectory("padto")
        let samples = (0..<6).map(Synthetic.sample)
        try Synthetic.write(samples, to: dir, options: Synthetic.options(shard: 4, padTo: HDF5Size(height: 50, width: 64)))
        try Self.check(dir, samples: samples, expectShape: { $0.1 == 50 && $0.2 == 64 })
    }

    @Test("A sample larger than --pad-to is refused with its image id")
    func padToTooSmall() throws {
        let dir = try TestPaths.temporaryDirectory("padsmall")
        let writer = try HDF5ShardWriter(directory: dir, options: Synthetic.options(padTo: HDF5Size(height: 10, width: 10)), labels: Synthetic.setup())
        let (renderer, _) = try writer.begin(Synthetic.header(count: 1))
        let error = #expect(throws: ConversionError.self) { _ = try renderer.render(Synthetic.sample(1)) }
        #expect(error?.code == .sizeMismatch)
        #expect(error?.context.imageID == 500_001)
    }

    @Test("Samples larger than the chunk tile span several chunks", arguments: [HDF5Compression.defaultGzip, .none])
    func multiTile(compression: HDF5Compression) throws {
        let dir = try TestPaths.temporaryDirectory("tiles")
        let samples = (0..<5).map(Synthetic.sample)
        try Synthetic.write(samples, to: dir, options: Synthetic.options(shard: 3, compression: compression, chunk: HDF5Size(height: 8, width: 16)))
        try Self.check(dir, samples: samples)
    }

    @Test("Values above 255 switch the tensor to uint16 (with shuffle)", arguments: [HDF5Compression.defaultGzip, .none])
    func sixteenBit(compression: HDF5Compression) throws {
        let dir = try TestPaths.temporaryDirectory("u16")
        let options = Synthetic.options(shard: 2, compression: compression)
        let schema = LabelSchema(entries: [LabelEntry(value: 300, categoryID: 1, name: "person"),
                                               LabelEntry(value: 40_000, categoryID: 18, name: "dog")],
                                     background: 0, ignoreIndex: 65_535)
        let paint: @Sendable (Sample) -> (width: Int, height: Int, pixels: [UInt16]) = { s in
            var p = [UInt16](repeating: 0, count: s.width * s.height)
            for i in p.indices { p[i] = [0, 300, 40_000, 65_535, 7][(i + Int(s.id)) % 5] }
            return (s.width, s.height, p)
        }
        let samples = (0..<3).map(Synthetic.sample)
        try Synthetic.write(samples, to: dir, options: options, schema: schema, painter: paint)
        let file = try HDF5File.open(path: dir + "/val2017-00000-of-00002.h5")
        #expect(try file.openDataset("labels").typeInfo().description == "uint16")
        #expect(try file.stringAttribute("label_dtype") == "uint16")
        try file.close()
        try Self.check(dir, samples: samples, ignore: 65_535, paint: paint)
    }

    @Test("Chunks deflate cannot shrink are stored unfiltered (filter mask) and read back the same",
          arguments: [HDF5Compression.defaultGzip, .gzip(level: 6, labelMapEncoder: false)])
    func incompressible(compression: HDF5Compression) throws {
        let dir = try TestPaths.temporaryDirectory("noise")
        let noise: @Sendable (Sample) -> (width: Int, height: Int, pixels: [UInt16]) = { s in
            var state = UInt64(bitPattern: s.id) &* 0x9E37_79B9_7F4A_7C15
            let pixels = (0..<(s.width * s.height)).map { _ -> UInt16 in
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                return UInt16(truncatingIfNeeded: state >> 56)
            }
            return (s.width, s.height, pixels)
        }
        let samples = (0..<3).map(Synthetic.sample)
        // A tile the size of the samples' bounding box leaves little padding to compress.
        try Synthetic.write(samples, to: dir, options: Synthetic.options(compression: compression, chunk: HDF5Size(height: 8, width: 8)),
                            painter: noise)
        try Self.check(dir, samples: samples, paint: noise)
    }

    @Test("A uint8 run refuses a painted value above 255")
    func valueTooLarge() throws {
        let dir = try TestPaths.temporaryDirectory("toolarge")
        let writer = try HDF5ShardWriter(directory: dir, options: Synthetic.options(), labels: Synthetic.setup { s in
            (s.width, s.height, [UInt16](repeating: 256, count: s.width * s.height))
        })
        let (renderer, _) = try writer.begin(Synthetic.header(count: 1))
        let error = #expect(throws: ConversionError.self) { _ = try renderer.render(Synthetic.sample(0)) }
        #expect(error?.code == .unsupported)
    }

    @Test("Compression options parse", arguments: [("gzip", HDF5Compression.gzip(level: 4, labelMapEncoder: true)), ("gzip:9", .gzip(level: 9, labelMapEncoder: false)), ("none", .none)])
    func compressionParsing(text: String, expected: HDF5Compression) throws {
        #expect(try HDF5Compression(parsing: text) == expected)
    }

    @Test("Bad compression and size options are usage errors", arguments: ["gzip:0", "gzip:10", "lzf", ""])
    func badCompression(text: String) {
        #expect(throws: ConversionError.self) { try HDF5Compression(parsing: text) }
    }

    @Test("Sizes parse as HxW")
    func sizes() throws {
        #expect(try HDF5Size(parsing: "512x640") == HDF5Size(height: 512, width: 640))
        #expect(throws: ConversionError.self) { try HDF5Size(parsing: "512") }
        #expect(throws: ConversionError.self) { try HDF5Size(parsing: "0x5") }
    }
}
