import Foundation
import CocoConvertCore
import CocoConvertCOCO
import CocoConvertPNG
import CocoConvertVOC
import CocoConvertTFRecord
import CocoConvertHDF5
import CocoConvertSA1B
import CocoConvertTar
import CocoConvertWebDataset

/// The fuzz targets. Each takes one input and must never crash: a thrown error is a correct answer
/// to hostile input, a trap, an ASan report or a failed `check` is a finding.
///
/// Inputs are whole files for the file-format targets (seeded from `formats/`); `rle` and `polygon`
/// read a small binary header (sizes, coordinates) documented on their functions.
enum FuzzTarget: String, CaseIterable, Sendable {
    case json, coco, rle, polygon, png, voc, tfrecord, yolo, hdf5, webdataset

    /// What each target exercises (`cococonvert-fuzz --list`).
    var summary: String {
        switch self {
        case .json: "JSONValue(parsing:), rawMembers/rawElements and the FastScan first-pass scanner"
        case .coco: "COCOReader (indexer + record parser) over the input as an annotation file, every sample's masks"
        case .rle: "RLE(compressed:height:width:): 8-byte header (Int32 height, width), then the counts string"
        case .polygon: "RLE(polygons:height:width:): header (sizes, mode), then polygon lengths and coordinates"
        case .png: "PNGDecoder.decode (libpng through CPNGShim) and a label-map re-encode round trip"
        case .voc: "VOCAnnotation(parsing:) (VOCXMLElement) and an xmlText() round trip"
        case .tfrecord: "TFRecord framing + tf.Example decoding, then TFRecordReader over the input as a shard"
        case .yolo: "YOLODataFile (data.yaml via Yams) and YOLOReader over a one-image dataset: label lines, image header"
        case .hdf5: "HDF5ShardReader over the input as a shard (libhdf5 crashes on some inputs: known, issue 15 item 3)"
        case .webdataset: "TarReader (members re-written and read back), then WebDatasetReader and SA1BReader over the input as a tar"
        }
    }

    /// Limits small enough that no accepted input makes one iteration slow or huge.
    static let limits = Limits(maxPixels: 1 << 22, maxPolygonPoints: 1 << 12)

    func run(_ data: UnsafeRawBufferPointer) {
        let bytes = [UInt8](data)
        switch self {
        case .json: Self.json(bytes)
        case .coco: Self.coco(bytes)
        case .rle: Self.rle(bytes)
        case .polygon: Self.polygon(bytes)
        case .png: Self.png(bytes)
        case .voc: Self.voc(bytes)
        case .tfrecord: Self.tfrecord(bytes)
        case .yolo: Self.yolo(bytes)
        case .hdf5: Self.hdf5(bytes)
        case .webdataset: Self.webdataset(bytes)
        }
    }

    /// A finding that is not a crash by itself: a broken invariant.
    static func check(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
        if !condition() {
            FileHandle.standardError.write(Data("fuzz invariant failed: \(message())\n".utf8))
            abort()
        }
    }

    // MARK: JSON

    static func json(_ bytes: [UInt8]) {
        let limits = JSONValue.ParseLimits(maxBytes: 1 << 20, maxDepth: 256)
        let parsed = try? JSONValue(parsing: bytes, limits: limits)
        if let parsed {
            // Our own text of a parsed value parses back to the same value.
            let text = parsed.text()
            do {
                let again = try JSONValue(parsing: Array(text.utf8), limits: JSONValue.ParseLimits(maxBytes: 1 << 24, maxDepth: 256))
                check(again == parsed, "JSON text() does not parse back to the same value: \(text.prefix(200))")
            } catch {
                check(false, "JSON text() of a parsed value does not parse: \(error) in \(text.prefix(200))")
            }
        }
        let text = String(decoding: bytes, as: UTF8.self)
        _ = try? JSONValue.rawMembers(parsing: text, limits: limits)
        _ = try? JSONValue.rawElements(parsing: text, limits: limits)
        // The first-pass scanner the COCO indexer runs over windows of the file.
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            var i = 0
            while i < buffer.count {
                guard let start = try? FastScan.skipWhitespace(base, i, buffer.count) else { return }
                guard let end = try? FastScan.skipValue(base, start, buffer.count) else { return }
                check(end > start && end <= buffer.count, "FastScan.skipValue returned \(end) for a value at \(start) of \(buffer.count)")
                i = end
                if i < buffer.count, buffer[i] == UInt8(ascii: ",") || buffer[i] == UInt8(ascii: ":") { i += 1 }
            }
        }
    }

    /// Reads up to 10,000 samples and encodes every mask, as a conversion would.
    static func drain(_ reader: any DatasetReader) throws {
        var samples = 0
        while let sample = try reader.next() {
            samples += 1
            for instance in sample.instances {
                _ = try? instance.geometry.rle(height: sample.height, width: sample.width, limits: limits)
            }
            if samples > 10_000 { break }
        }
    }

    // MARK: COCO

    static func coco(_ bytes: [UInt8]) {
        let path = FuzzScratch.write(bytes, as: "annotations/instances_fuzz.json")
        do {
            let reader = try COCOReader(path: path, skips: SkipReport(policy: .skip), limits: limits)
            try drain(reader)
        } catch {}
    }

    // MARK: RLE strings

    /// Input: height (Int32 LE), width (Int32 LE), then the compressed counts string.
    static func rle(_ bytes: [UInt8]) {
        var input = FuzzInput(bytes)
        let height = Int(input.int32())
        let width = Int(input.int32())
        let text = String(decoding: input.rest(), as: UTF8.self)
        guard let rle = try? RLE(compressed: text, height: height, width: width, limits: limits) else { return }
        checkValid(rle, "RLE(compressed:)")
        // Our encoding decodes to the same mask.
        var out: [UInt8] = []
        rle.appendCompressed(to: &out)
        do {
            let again = try RLE(compressed: String(decoding: out, as: UTF8.self), height: height, width: width, limits: limits)
            check(again == rle, "RLE compressed round trip changed the counts")
        } catch {
            check(false, "RLE appendCompressed output does not decode: \(error)")
        }
        _ = rle.boundingBox
        if height * width <= 1 << 16 {
            let dense = rle.decodeColumnMajor()
            check(dense.count == height * width, "decodeColumnMajor gave \(dense.count) pixels for \(height)×\(width)")
            let reencoded = RLE(encodingColumnMajor: dense, height: height, width: width)
            check(reencoded.area == rle.area, "dense re-encode changed the area")
        }
    }

    /// The invariants every validating initialiser promises.
    static func checkValid(_ rle: RLE, _ what: String) {
        check(rle.height > 0 && rle.width > 0 || rle.counts.reduce(0, { $0 + Int($1) }) == 0, "\(what): bad size \(rle.height)×\(rle.width)")
        check(rle.countSum == rle.height * rle.width, "\(what): counts sum to \(rle.countSum), not \(rle.height)×\(rle.width)")
        check((try? rle.validated(limits: limits)) != nil, "\(what): result does not pass validated()")
        check(rle.area >= 0 && rle.area <= rle.height * rle.width, "\(what): area \(rle.area) out of range")
    }

    // MARK: Polygons

    /// Input: height, width (Int16 LE each, so negative and zero sizes occur), a mode byte, then
    /// polygons: a length byte (number of coordinates, odd lengths included) and that many coordinates,
    /// each an Int16 LE / 4 (mode bit 0 clear) or a raw Float64 bit pattern (set: NaN, ±∞, huge).
    static func polygon(_ bytes: [UInt8]) {
        var input = FuzzInput(bytes)
        let height = Int(input.int16())
        let width = Int(input.int16())
        let raw = input.byte() & 1 == 1
        var polygons: [[Double]] = []
        while !input.isAtEnd && polygons.count < 64 {
            let n = Int(input.byte())
            var polygon: [Double] = []
            for _ in 0..<n where !input.isAtEnd {
                polygon.append(raw ? Double(bitPattern: input.uint64()) : Double(input.int16()) / 4)
            }
            polygons.append(polygon)
        }
        guard let rle = try? RLE(polygons: polygons, height: height, width: width, limits: limits) else { return }
        checkValid(rle, "RLE(polygons:)")
        if let single = polygons.first, polygons.count == 1 {
            let one = try? RLE(polygon: single, height: height, width: width, limits: limits)
            check(one == rle, "RLE(polygon:) differs from RLE(polygons:) of one polygon")
        }
    }

    // MARK: PNG

    static func png(_ bytes: [UInt8]) {
        guard let png = try? PNGDecoder.decode(bytes, limits: limits) else { return }
        check(png.samples.count == png.width * png.height * png.channels,
              "PNG decode gave \(png.samples.count) samples for \(png.width)×\(png.height)×\(png.channels)")
        _ = try? PNGDecoder.header(bytes)
        // A one-channel image is a label map: our encoder (own deflate) must give it back unchanged.
        guard png.channels == 1, png.width * png.height <= 1 << 18 else { return }
        let map = LabelMap(width: png.width, height: png.height, pixels: png.samples)
        do {
            let encoded = try PNGEncoder.encode(labelMap: map, palette: png.palette)
            let again = try PNGDecoder.decode(encoded, limits: limits)
            check(again.samples == png.samples, "label map PNG re-encode changed the pixels")
        } catch {
            check(false, "a decoded label map does not re-encode: \(error)")
        }
    }

    // MARK: VOC

    static func voc(_ bytes: [UInt8]) {
        _ = try? VOCXMLElement.parse(bytes, file: "fuzz.xml")
        guard let annotation = try? VOCAnnotation(parsing: bytes, file: "fuzz.xml") else { return }
        let text = annotation.xmlText()
        do {
            let again = try VOCAnnotation(parsing: Array(text.utf8), file: "fuzz-again.xml")
            _ = again
        } catch {
            check(false, "VOC xmlText() of a parsed annotation does not parse: \(error)")
        }
    }

    // MARK: TFRecord

    static func tfrecord(_ bytes: [UInt8]) {
        if let records = try? TFRecordFraming.decodeRecords(bytes, file: "fuzz.tfrecord", maxRecordBytes: 1 << 20) {
            for record in records {
                _ = try? TFExample(serialized: record)
            }
        }
        // The whole reader: schema detection, category scan, sample decoding (PNG masks included).
        let path = FuzzScratch.write(bytes, as: "tfrecord/train.tfrecord")
        do {
            let reader = try TFRecordReader(path: path, options: TFRecordReaderOptions(limits: limits), skips: SkipReport(policy: .skip))
            try drain(reader)
        } catch {}
    }

    // MARK: HDF5

    static func hdf5(_ bytes: [UInt8]) {
        let path = FuzzScratch.write(bytes, as: "hdf5/train-00000-of-00001.h5")
        do {
            let reader = try HDF5ShardReader(path: path, limits: limits, skips: SkipReport(policy: .skip))
            try drain(reader)
        } catch {}
    }

    // MARK: Tar (WebDataset, SA-1B)

    static func webdataset(_ bytes: [UInt8]) {
        let path = FuzzScratch.write(bytes, as: "wds/train-000000.tar")
        // Every member the reader accepts survives our writer and reader unchanged.
        if let reader = try? TarReader(path: path) {
            var members: [(String, [UInt8])] = []
            while let member = try? reader.next(), members.count < 64 {
                guard let contents = try? reader.contents(of: member, maxBytes: 1 << 20) else { break }
                if !member.name.isEmpty, !member.name.utf8.contains(0) { members.append((member.name, contents)) }
            }
            var again: [UInt8] = []
            for (name, contents) in members { TarMemberWriter.append(name: name, contents: contents, to: &again) }
            again += TarMemberWriter.endOfArchive
            let copy = FuzzScratch.write(again, as: "wds/copy.tar")
            if let back = try? TarReader(path: copy) {
                for (name, contents) in members {
                    let member = try? back.next()
                    check(member?.name == name, "tar member '\(name)' came back as '\(member?.name ?? "nothing")'")
                    check(member.flatMap { try? back.contents(of: $0, maxBytes: 1 << 20) } == contents, "tar member '\(name)' contents changed")
                }
            } else {
                check(false, "a tar we wrote does not open")
            }
        }
        do {
            let options = WebDatasetReaderOptions(limits: limits, maxMemberBytes: 1 << 22)
            try drain(try WebDatasetReader(path: path, options: options, skips: SkipReport(policy: .skip)))
        } catch {}
        do {
            try drain(try SA1BReader(path: path, skips: SkipReport(policy: .skip), limits: limits))
        } catch {}
    }
}

/// Reads a fuzz input as fields; past the end every field is 0.
struct FuzzInput {
    private let bytes: [UInt8]
    private var index = 0
    init(_ bytes: [UInt8]) { self.bytes = bytes }
    var isAtEnd: Bool { index >= bytes.count }
    mutating func byte() -> UInt8 {
        guard index < bytes.count else { return 0 }
        defer { index += 1 }
        return bytes[index]
    }
    mutating func int16() -> Int16 { Int16(bitPattern: UInt16(byte()) | UInt16(byte()) << 8) }
    mutating func int32() -> Int32 {
        var v: UInt32 = 0
        for shift in stride(from: 0, to: 32, by: 8) { v |= UInt32(byte()) << UInt32(shift) }
        return Int32(bitPattern: v)
    }
    mutating func uint64() -> UInt64 {
        var v: UInt64 = 0
        for shift in stride(from: 0, to: 64, by: 8) { v |= UInt64(byte()) << UInt64(shift) }
        return v
    }
    mutating func rest() -> ArraySlice<UInt8> {
        defer { index = bytes.count }
        return bytes[min(index, bytes.count)...]
    }
}

/// One scratch directory per process (under `$TMPDIR`) for the targets that read files by path.
enum FuzzScratch {
    nonisolated(unsafe) static var directory: String = {
        let base = ProcessInfo.processInfo.environment["TMPDIR"] ?? NSTemporaryDirectory()
        let path = (base as NSString).appendingPathComponent("cococonvert-fuzz-\(getpid())")
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(atPath: FuzzScratch.directory) }
        return path
    }()

    /// Parent directories made so far: made once, not once an input.
    nonisolated(unsafe) private static var madeDirectories: Set<String> = []

    /// The path of `name` (a relative path) inside the scratch directory.
    static func path(_ name: String) -> String { directory + "/" + name }

    /// Writes `bytes` to `name` (a relative path) inside the scratch directory, replacing it.
    static func write(_ bytes: [UInt8], as name: String) -> String {
        let path = path(name)
        if let slash = name.lastIndex(of: "/"), !madeDirectories.contains(String(name[..<slash])) {
            try? FileManager.default.createDirectory(atPath: self.path(String(name[..<slash])), withIntermediateDirectories: true)
            madeDirectories.insert(String(name[..<slash]))
        }
        // Plain open/write: FileManager.createFile writes atomically with an fsync, 10 ms an input.
        // A new file, not O_TRUNC: ext4 flushes a truncated file's data to disk when it is closed.
        unlink(path)
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { fatalError("cannot write the fuzz scratch file \(path)") }
        var written = 0
        bytes.withUnsafeBytes { raw in
            while written < raw.count {
                let n = Foundation.write(fd, raw.baseAddress! + written, raw.count - written)
                guard n > 0 else { break }
                written += n
            }
        }
        close(fd)
        guard written == bytes.count else { fatalError("short write to the fuzz scratch file \(path)") }
        return path
    }
}
