import CocoConvertCore
@testable import CocoConvertHDF5
import Foundation
import Testing

@Suite("Files that are not readable shards")
struct RejectionTests {
    static func fixture(_ name: String) -> String { TestPaths.fixtures.appendingPathComponent(name).path }

    @Test("A CREMI-style HDF5 file is refused, naming what was expected and what was found")
    func cremi() throws {
        let error = #expect(throws: ConversionError.self) { _ = try HDF5ShardReader(path: Self.fixture("foreign-cremi.h5")) }
        #expect(error?.code == .unsupported)
        let message = error?.message ?? ""
        #expect(message.contains("expected root attribute format = \"cococonvert-hdf5\""))
        #expect(message.contains("volumes"))
        #expect(error?.context.file?.hasSuffix("foreign-cremi.h5") == true)
    }

    @Test("Another tool's format attribute is quoted back")
    func otherFormat() throws {
        let error = #expect(throws: ConversionError.self) { _ = try HDF5ShardReader(path: Self.fixture("foreign-format-attr.h5")) }
        #expect(error?.code == .unsupported)
        #expect(error?.message.contains("found root attribute format = \"someone-elses-layout\"") == true)
    }

    @Test("A newer layout version asks for an upgrade")
    func futureVersion() throws {
        let error = #expect(throws: ConversionError.self) { _ = try HDF5ShardReader(path: Self.fixture("future-version.h5")) }
        #expect(error?.code == .unsupported)
        #expect(error?.message.contains("version 99") == true)
        #expect(error?.hint?.contains("newer") == true)
    }

    /// Found by `./dev fuzz hdf5`: a global heap object whose size is near 2⁶⁴ trapped on the
    /// rounding to 8 bytes (an arithmetic overflow) before the size was compared with the collection.
    @Test("A global heap object size near 2^64 is a corrupt shard, not a crash")
    func globalHeapObjectSizeOverflow() throws {
        let path = Self.fixture("bad/global-heap-object-size-overflow.h5")
        let error = #expect(throws: ConversionError.self) { try GlobalHeapCheck.verify(path: path) }
        #expect(error?.code == .malformedInput)
        #expect(error?.message.contains("global heap collection") == true)
        #expect(error?.context.file == path)
    }

    @Test("A file that is not HDF5 at all is a library error with HDF5's reason")
    func notHDF5() throws {
        let dir = try TestPaths.temporaryDirectory("nothdf5")
        let path = dir + "/x.h5"
        try Data("{\"images\": []}".utf8).write(to: URL(fileURLWithPath: path))
        let error = #expect(throws: ConversionError.self) { _ = try HDF5ShardReader(path: path) }
        #expect(error?.code == .library)
        #expect(error?.context.file == path)
        #expect(error?.hint != nil)
    }

    @Test("Truncated shards error out, never crash", arguments: [0.1, 0.5, 0.9, 0.99])
    func truncated(fraction: Double) throws {
        let dir = try TestPaths.temporaryDirectory("trunc")
        try Synthetic.write((0..<30).map(Synthetic.sample), to: dir, options: Synthetic.options())
        let path = dir + "/val2017-00000-of-00001.h5"
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        try bytes.prefix(Int(Double(bytes.count) * fraction)).write(to: URL(fileURLWithPath: path))
        #expect(throws: ConversionError.self) {
            let reader = try HDF5ShardReader(path: path)
            while try reader.next() != nil {}
        }
    }

    @Test("Corrupted bytes inside a shard error out, never crash", arguments: 0..<24)
    func corrupted(seed: Int) throws {
        let dir = try TestPaths.temporaryDirectory("corrupt")
        try Synthetic.write((0..<30).map(Synthetic.sample), to: dir, options: Synthetic.options())
        let path = dir + "/val2017-00000-of-00001.h5"
        let original = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        var bytes = original
        var rng = UInt64(seed &+ 1) &* 0x9E37_79B9_7F4A_7C15
        for _ in 0..<(1 + seed % 16) {
            rng = rng &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let at = Int(rng >> 33) % bytes.count
            bytes[at] ^= UInt8(truncatingIfNeeded: rng >> 17) | 1
        }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        // Changes inside the 512-byte seal itself may leave the file readable; anything else is caught.
        do {
            let reader = try HDF5ShardReader(path: path)
            while try reader.next() != nil {}
        } catch is ConversionError {
            return
        }
        #expect(bytes.dropFirst(512) == original.dropFirst(512), "a shard damaged after its seal was read")
    }

    @Test("Every shard is sealed; one changed byte anywhere after the seal is caught before HDF5 parses the file",
          arguments: [600, 5_000, 50_000, -200])
    func sealCatchesDamage(offset: Int) throws {
        let dir = try TestPaths.temporaryDirectory("seal")
        try Synthetic.write((0..<30).map(Synthetic.sample), to: dir, options: Synthetic.options())
        let path = dir + "/val2017-00000-of-00001.h5"
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(bytes.starts(with: Array("cococonvert-hdf5 seal 1 size=".utf8)))
        let at = offset >= 0 ? offset : bytes.count + offset
        bytes[at] ^= 0x40
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let error = #expect(throws: ConversionError.self) { _ = try HDF5ShardReader(path: path) }
        #expect(error?.code == .malformedInput)
        #expect(error?.message.contains("damaged") == true)
    }

    /// A shard of three samples whose root attribute `name` is replaced by `value` (the seal blanked, so that
    /// the JSON reader, not the seal check, meets the change).
    static func shard(withAttribute name: String, _ value: String, _ label: String) throws -> String {
        let dir = try TestPaths.temporaryDirectory(label)
        try Synthetic.write((0..<3).map(Synthetic.sample), to: dir, options: Synthetic.options())
        let path = dir + "/val2017-00000-of-00001.h5"
        do {
            let file = try HDF5File.openForUpdate(path: path)
            try file.setAttribute(name, value)
        }
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        for i in 0..<512 { bytes[i] = 0 }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test("A JSON root attribute that is not valid JSON is a malformed-input error naming it, never a crash",
          arguments: [
            ("categories", "[{\"id\": 1, \"name\": \"a\""),
            ("categories", String(repeating: "[", count: 100_000)),
            ("categories", "[{\"id\": 01, \"name\": \"a\"}]"),
            ("label_mapping", "{\"background\": 0, \"ignore_index\": 255, \"entries\": [}"),
            ("label_mapping", "{\"background\": 0} trailing"),
            ("dataset_extra", "{\"x\": \"\\q\"}"),
            ("info", "{\"year\": 2017"),
            ("licenses", "[{\"id\": 1}] trailing"),
          ])
    func invalidJSONAttribute(name: String, value: String) throws {
        let path = try Self.shard(withAttribute: name, value, "badjson")
        let error = #expect(throws: ConversionError.self) {
            let reader = try HDF5ShardReader(path: path)
            while try reader.next() != nil {}
        }
        #expect(error?.code == .malformedInput)
        #expect(error?.message.contains("\(name) is not valid JSON") == true)
        #expect(error?.context.file == path)
    }

    @Test("Stored JSON texts that are invalid are rejected with a ConversionError", arguments: [
        "", "[", "[[1, 2], [3,", "[[1, 2]] x", "[[1e]]", String(repeating: "[", count: 50_000), "[\"\\ud800\"]",
    ])
    func invalidStoredJSON(text: String) throws {
        let record = InstanceRecord(id: 1, categoryID: 1, isCrowd: false, bbox: [.nan, .nan, .nan, .nan], area: .nan, score: .nan,
                                    kind: .polygons, rle: "", rleHeight: 10, rleWidth: 10, polygons: text, extra: "")
        #expect(throws: ConversionError.self) { _ = try record.instance(file: "t") }
        let extra = InstanceRecord(id: 1, categoryID: 1, isCrowd: false, bbox: [.nan, .nan, .nan, .nan], area: .nan, score: .nan,
                                   kind: .none, rle: "", rleHeight: 0, rleWidth: 0, polygons: "", extra: text.isEmpty ? " " : text)
        #expect(throws: ConversionError.self) { _ = try extra.instance(file: "t") }
    }

    @Test("A shard whose seal was blanked (a deliberate change) is read without the check")
    func blankSeal() throws {
        let dir = try TestPaths.temporaryDirectory("blank")
        try Synthetic.write((0..<3).map(Synthetic.sample), to: dir, options: Synthetic.options())
        let path = dir + "/val2017-00000-of-00001.h5"
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        for i in 0..<512 { bytes[i] = 0 }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let reader = try HDF5ShardReader(path: path)
        var n = 0
        while try reader.next() != nil { n += 1 }
        #expect(n == 3)
    }

    @Test("A directory with a missing shard or shards of two runs is refused")
    func incompleteDirectory() throws {
        let dir = try TestPaths.temporaryDirectory("missing")
        try Synthetic.write((0..<5).map(Synthetic.sample), to: dir, options: Synthetic.options(shard: 2))
        try FileManager.default.removeItem(atPath: dir + "/val2017-00001-of-00003.h5")
        let missing = #expect(throws: ConversionError.self) { _ = try HDF5ShardReader(path: dir) }
        #expect(missing?.message.contains("val2017-00001-of-00003.h5 is missing") == true)

        let mixed = try TestPaths.temporaryDirectory("mixed")
        try Synthetic.write((0..<5).map(Synthetic.sample), to: mixed, options: Synthetic.options(shard: 2))
        try Synthetic.write((0..<5).map(Synthetic.sample), to: mixed, options: Synthetic.options(shard: 5))
        let error = #expect(throws: ConversionError.self) { _ = try HDF5ShardReader(path: mixed) }
        #expect(error?.message.contains("different runs") == true)
    }

    @Test("Several splits in one directory need --split")
    func severalSplits() throws {
        let dir = try TestPaths.temporaryDirectory("splits")
        try Synthetic.write((0..<2).map(Synthetic.sample), to: dir, options: Synthetic.options(), header: Synthetic.header(count: 2, split: "train"))
        try Synthetic.write((0..<3).map(Synthetic.sample), to: dir, options: Synthetic.options(), header: Synthetic.header(count: 3, split: "val"))
        let error = #expect(throws: ConversionError.self) { _ = try HDF5ShardReader(path: dir) }
        #expect(error?.hint?.contains("--split") == true)
        let reader = try HDF5ShardReader(path: dir, split: "val")
        #expect(reader.header.sampleCount == 3)
    }

    @Test("inspect summarises a shard directory")
    func inspect() throws {
        let dir = try TestPaths.temporaryDirectory("inspect")
        try Synthetic.write((0..<5).map(Synthetic.sample), to: dir, options: Synthetic.options(shard: 2))
        let summary = try HDF5ShardInspector.inspect(path: dir)
        #expect(summary.shards.count == 3)
        #expect(summary.totalSamples == 5)
        #expect(summary.totalInstances == (0..<5).map { Synthetic.sample($0).instances.count }.reduce(0, +))
        #expect(summary.labelType == "uint8")
        #expect(summary.labelChunk == [1, 640, 640])
        #expect(summary.labelFilters == ["shuffle", "deflate"])
        #expect(summary.ignoreIndex == 255)
        #expect(summary.hasImages)
        #expect(summary.description.contains("shards: 3, samples: 5"))
    }
}
