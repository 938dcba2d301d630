import Foundation
import Testing
@testable import CocoConvertCLI

/// Ctrl-C (SIGINT) or `kill` (SIGTERM) while a conversion is busy writing stops it, exits 130/143
/// and leaves no temporary file and no output that this run created, for every writer of the
/// registry (`FormatID.allCases`), at more than one moment of the run.
@Suite struct InterruptCLITests {
    /// A COCO file big enough that a debug build needs seconds for it (3 polygons per image); with
    /// `fileName`, every sample is that 480×640 image of coco-mini (TFRecord embeds images).
    static func bigDataset(in directory: URL, images count: Int = 1500, width: Int = 640, height: Int = 480,
                           fileName: String? = nil) throws -> URL {
        var images: [String] = []
        var annotations: [String] = []
        var ring = ""
        let (w, h) = fileName == nil ? (Double(width), Double(height)) : (480, 640)
        for t in 0..<24 {
            let angle = 2 * Double.pi * Double(t) / 24
            ring += (t == 0 ? "" : ",") + String(format: "%.2f,%.2f", w / 2 + w / 3 * cos(angle), h / 2 + h / 3 * sin(angle))
        }
        for id in 1...count {
            images.append(fileName.map { COCOFixture.image(id, $0, width: 480, height: 640) }
                          ?? COCOFixture.image(id, width: width, height: height))
            for k in 0..<3 {
                annotations.append("{\"id\":\(id * 10 + k),\"image_id\":\(id),\"category_id\":1,\"segmentation\":[[\(ring)]],"
                                   + "\"area\":1,\"bbox\":[0,0,1,1],\"iscrowd\":0}")
            }
        }
        return try write(COCOFixture.file(images: images, annotations: annotations), to: directory, as: "big.json")
    }

    /// Waits until `condition` holds (at most `seconds`); false when it never did.
    static func wait(seconds: Double, until condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            usleep(10_000)
        }
        return false
    }

    /// When the signal is sent, counted from the first file the run wrote.
    enum Moment: String, Sendable, CustomStringConvertible {
        /// As soon as the output has a file.
        case early
        /// Well into the run.
        case mid
        var description: String { rawValue }
        var delay: Double { self == .early ? 0 : 0.6 }
    }

    struct Case: Sendable, CustomStringConvertible {
        let format: FormatID
        let signal: Int32
        let moment: Moment
        /// The output (directory, or file for a file writer) exists before the run.
        let existing: Bool
        var description: String {
            "\(format) \(signal == SIGINT ? "SIGINT" : "SIGTERM") \(moment)\(existing ? " into existing output" : "")"
        }
    }

    /// Every writer: SIGINT and SIGTERM, early and mid-run, into a fresh and an existing output.
    static let cases: [Case] = FormatID.allCases.filter(canWrite).flatMap { format in
        [Case(format: format, signal: SIGINT, moment: .early, existing: false),
         Case(format: format, signal: SIGTERM, moment: .mid, existing: false),
         Case(format: format, signal: SIGTERM, moment: .early, existing: true),
         Case(format: format, signal: SIGINT, moment: .mid, existing: true)]
    }

    /// Options that let a writer run on the synthetic input (no image files).
    static func extraArguments(_ format: FormatID) -> [String] {
        switch format {
        case .tfrecord: return ["--schema", "od", "--images", cocoMiniImages.path]
        case .coco: return ["--segmentation", "rle"]
        default:
            // Writers that place images (voc, yolo…) are told not to: the synthetic input has none.
            return format.plugin.writer?.options.contains { $0.name == "image-mode" } == true ? ["--image-mode", "none"] : []
        }
    }

    static var cocoMiniImages: URL {
        CLI.cocoMini.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("val2017")
    }

    @Test(arguments: cases)
    func interruptWhileWritingLeavesNothingOfTheRun(_ c: Case) throws {
        try withTemporaryDirectory { directory in
            let input: URL
            switch c.format {
            case .tfrecord:
                // Every record embeds a 215 KB JPEG: 1,500 keep a debug build busy for half a minute.
                input = try Self.bigDataset(in: directory, images: 1500, fileName: "000000166918.jpg")
            case .coco:
                input = try Self.bigDataset(in: directory, images: 6000)
            default:
                // Small images and many samples: rendering is cheap, so the committer writes files
                // at a high rate when the signal comes (the old cleanup raced with exactly that).
                input = try Self.bigDataset(in: directory, images: 20000, width: 64, height: 48)
            }
            var extra = Self.extraArguments(c.format)
            // Outside `directory`, whose tree the test compares.
            let images = FileManager.default.temporaryDirectory.appendingPathComponent("cococonvert-interrupt-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: images) }
            if c.format == .webdataset {
                // Tar samples embed their image and need distinct names (keys): 20,000 links to one small JPEG.
                try FileManager.default.createDirectory(at: images, withIntermediateDirectories: true)
                let jpeg = images.appendingPathComponent("source.jpg")
                try Data([0xFF, 0xD8, 0xFF, 0xE0] + [UInt8](repeating: 0, count: 2_000) + [0xFF, 0xD9]).write(to: jpeg)
                for id in 1...20000 { try FileManager.default.linkItem(at: jpeg, to: images.appendingPathComponent("\(id).jpg")) }
                extra += ["--images", images.path]
            }
            let isFile = c.format.plugin.writer?.output != .directory
            let output = directory.appendingPathComponent(isFile ? "out.json" : "out")
            if c.existing {
                if isFile {
                    try write("old", to: directory, as: "out.json")
                } else {
                    try write("mine", to: output, as: "keep.txt")
                }
            }
            let before = tree(directory)
            let running = try RunningCococonvert(["coco2\(c.format.rawValue)", input.path, output.path, "--jobs", "2"]
                                                 + (c.existing ? ["--overwrite"] : []) + extra)
            // Busy writing: the run has put a file (finished or temporary) into the output.
            let started = Self.wait(seconds: 30) {
                tree(directory).contains { !before.contains($0) && $0 != "out" }
            }
            try #require(started, "the writer never started: \(tree(directory).prefix(10))")
            if c.moment.delay > 0 { usleep(useconds_t(c.moment.delay * 1_000_000)) }
            try #require(running.process.isRunning, "finished before the signal; the input is too small for this machine")
            running.send(c.signal)
            let run = try running.finish(timeout: 30)
            #expect(run.status == 128 + c.signal, "\(run)")
            #expect(run.stderr.contains("interrupted; "), "\(run)")
            let left = tree(directory)
            if !c.existing {
                #expect(left == ["big.json"], "left: \(left.prefix(10))")
            } else if isFile {
                #expect(left == ["big.json", "out.json"], "left: \(left.prefix(10))")
                #expect(try String(contentsOf: output, encoding: .utf8) == "old", "the old output is untouched")
            } else {
                // An existing directory (--overwrite): the files the run added are removed again, so
                // only directories it created may remain; nothing temporary or hidden does, and what
                // was there before is untouched.
                let hidden = left.filter { ($0 as NSString).lastPathComponent.hasPrefix(".") }
                #expect(hidden.isEmpty, "temporary files left: \(hidden.prefix(10))")
                #expect(temporaryFiles(under: directory, of: run).isEmpty)
                let added = left.filter { path in
                    var isDirectory: ObjCBool = false
                    let exists = FileManager.default.fileExists(atPath: directory.appendingPathComponent(path).path,
                                                                isDirectory: &isDirectory)
                    return exists && !before.contains(path) && !isDirectory.boolValue
                }
                #expect(added.isEmpty, "files of the interrupted run left: \(added.prefix(10))")
                #expect(try String(contentsOf: output.appendingPathComponent("keep.txt"), encoding: .utf8) == "mine")
                #expect(run.stderr.contains("files this run added"), "\(run)")
            }
        }
    }

    @Test func tokenMatchingNeedsDigitBoundaries() {
        #expect(containsToken("123", in: ".out.json.tmp-123-0"))
        #expect(containsToken("123", in: ".labels.json.123.tmp"))
        #expect(containsToken("123", in: ".val2017-0.h5.partial-123-0"))
        #expect(!containsToken("123", in: ".out.json.tmp-1234-0"))
        #expect(!containsToken("123", in: ".000000123000.png"))
        #expect(!containsToken("123", in: ".x.tmp-9123-0"))
    }
}
