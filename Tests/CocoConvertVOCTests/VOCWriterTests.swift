import CocoConvertCore
import CocoConvertLabels
import CocoConvertPNG
import Foundation
import Testing
@testable import CocoConvertVOC

@Suite struct VOCWriterTests {
    static let categories = [Category(id: 1, name: "person"), Category(id: 5, name: "airplane"), Category(id: 13, name: "stop sign")]
    static let header = DatasetHeader(kind: .instances, categories: categories, split: "val2017")

    /// A filled square `[x, x+size) × [y, y+size)` as a COCO polygon.
    static func square(_ x: Double, _ y: Double, _ size: Double, category: Int64 = 1, id: Int64, crowd: Bool = false) -> Instance {
        Instance(id: id, categoryID: category, isCrowd: crowd,
                 bbox: BoundingBox(x: x, y: y, width: size, height: size), area: size * size,
                 geometry: .polygons([[x, y, x + size, y, x + size, y + size, x, y + size]]))
    }

    /// VOC writer options painting with `schema` (default: contiguous over the header's categories).
    static func options(crowd: CrowdPolicy = .ignore, overlap: OverlapPolicy = .later, schema: LabelSchema? = nil,
                        unmapped: UnmappedCategoryPolicy = .fail) -> VOCWriterOptions {
        VOCWriterOptions(imageMode: .none, paint: { header in
            PaintOptions(schema: schema ?? .contiguous(header.categories), crowd: crowd, overlap: overlap, kind: .instance, unmapped: unmapped)
        })
    }

    static func sample(_ instances: [Instance], id: Int64 = 7, fileName: String = "img7.jpg", width: Int = 20, height: Int = 16,
                       image: ImageSource = .none) -> Sample {
        Sample(id: id, fileName: fileName, width: width, height: height, image: image, instances: instances)
    }

    /// Writes `samples` with a fresh writer; returns the output directory and the summary.
    static func write(_ samples: [Sample], options: VOCWriterOptions = VOCWriterOptions(imageMode: .none),
                      header: DatasetHeader = header, skips: SkipReport = SkipReport(policy: .fail)) throws -> (URL, WriteSummary) {
        let out = try Fixtures.temporaryDirectory("writer")
        let writer = VOCWriter(output: out.path, options: options, skips: skips)
        let (renderer, firstSink) = try writer.begin(header)
        var sink = firstSink
        for sample in samples {
            do {
                try sink.commit(try renderer.render(sample))
            } catch let error as ConversionError {
                try skips.report(error)
            }
        }
        return (out, try sink.finish())
    }

    /// The void line of the labelmap.txt Datumaro exported (formats/voc/make_datumaro_fixture.py).
    static func datumaroVoidLine() throws -> String {
        let data = try Data(contentsOf: Fixtures.voc.appendingPathComponent("datumaro_expected.json"))
        let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        return try #require(object?["labelmap_last_line"] as? String)
    }

    @Test func symlinkToImagesInsideTheTreeStaysInside() throws {
        let out = try Fixtures.temporaryDirectory("symlink")
        defer { try? FileManager.default.removeItem(at: out) }
        let images = out.appendingPathComponent("images")
        try FileManager.default.createDirectory(at: images, withIntermediateDirectories: true)
        let source = images.appendingPathComponent("img7.jpg")
        try FileManager.default.copyItem(at: Fixtures.voc.appendingPathComponent("plain/JPEGImages/2007_000001.jpg"), to: source)
        let writer = VOCWriter(output: out.path, options: VOCWriterOptions(imageMode: .symlink), skips: SkipReport(policy: .fail))
        let (renderer, firstSink) = try writer.begin(Self.header)
        var sink = firstSink
        try sink.commit(try renderer.render(Self.sample([], fileName: "img7.jpg", width: 12, height: 8, image: .file(source.path))))
        _ = try sink.finish()
        let link = try FileManager.default.destinationOfSymbolicLink(atPath: out.appendingPathComponent("JPEGImages/img7.jpg").path)
        #expect(link == "../images/img7.jpg")
    }

    @Test func voidColourIsDeclaredAndReadBackAsVoid() throws {
        // A crowd painted void (the default) leaves (224,224,192) pixels; labelmap.txt must declare that colour
        // the way Datumaro's importer needs it, and our reader must not turn the line into a category.
        let person = Self.square(0, 0, 6, id: 1), crowd = Self.square(8, 8, 4, category: 5, id: 2, crowd: true)
        let (out, _) = try Self.write([Self.sample([person, crowd])], options: Self.options(crowd: .ignore))
        defer { try? FileManager.default.removeItem(at: out) }
        let text = try String(contentsOf: out.appendingPathComponent("labelmap.txt"), encoding: .utf8)
        #expect(text.hasSuffix(try Self.datumaroVoidLine() + "\n"))
        let reader = try VOCReader(path: out.path, skips: SkipReport(policy: .fail))
        #expect(reader.header.categories.map(\.name) == ["person", "airplane", "stop sign"])
        #expect(reader.header.labelSchema?.ignoreIndex == 255)
        let sample = try #require(try reader.next())
        #expect(sample.instances.map(\.categoryID) == [1])
    }

    static func pixels(_ url: URL) throws -> DecodedPNG {
        try PNGDecoder.decode(file: url.path)
    }

    @Test func writesTheWholeTree() throws {
        let (out, summary) = try Self.write([Self.sample([Self.square(2, 2, 4, id: 1), Self.square(10, 3, 5, category: 5, id: 2)])])
        defer { try? FileManager.default.removeItem(at: out) }
        #expect(summary.samples == 1 && summary.instances == 2)
        let cls = try Self.pixels(out.appendingPathComponent("SegmentationClass/img7.png"))
        let obj = try Self.pixels(out.appendingPathComponent("SegmentationObject/img7.png"))
        #expect(cls.colorType == .palette && obj.colorType == .palette)
        #expect(cls.palette?.count == 256 && obj.palette == Palette.voc)
        #expect(cls.samples[3 * 20 + 3] == 1 && cls.samples[4 * 20 + 11] == 2 && cls.samples[0] == 0)
        #expect(obj.samples[3 * 20 + 3] == 1 && obj.samples[4 * 20 + 11] == 2)
        #expect(cls.samples.filter { $0 == 1 }.count == 16)
        let list = try String(contentsOf: out.appendingPathComponent("ImageSets/Segmentation/val.txt"), encoding: .utf8)
        #expect(list == "img7\n")
        #expect(try String(contentsOf: out.appendingPathComponent("ImageSets/Main/val.txt"), encoding: .utf8) == list)
        let labelmap = try String(contentsOf: out.appendingPathComponent("labelmap.txt"), encoding: .utf8)
        // The last line declares the void colour as Datumaro's own default labelmap does (formats/voc/datumaro).
        #expect(labelmap == "# label:color_rgb:parts:actions\nbackground:0,0,0::\nperson:128,0,0::\nairplane:0,128,0::\nstop sign:128,128,0::\n"
                + (try Self.datumaroVoidLine()) + "\n")
        let xml = try VOCAnnotation(parsing: try Fixtures.bytes(out.appendingPathComponent("Annotations/img7.xml")), file: "x")
        #expect(xml.filename == "img7.jpg" && xml.width == 20 && xml.height == 16 && xml.depth == 3 && xml.segmented)
        #expect(xml.objects.map(\.name) == ["person", "airplane"])
        #expect(xml.objects[0].box == VOCBox(xmin: 3, ymin: 3, xmax: 6, ymax: 6))
        #expect(xml.objects[1].box?.boundingBox == BoundingBox(x: 10, y: 3, width: 5, height: 5))
        let leftovers = try FileManager.default.subpathsOfDirectory(atPath: out.path).filter { $0.contains(".tmp") }
        #expect(leftovers.isEmpty)
    }

    @Test func devkitLayoutNestsTheTree() throws {
        let (out, _) = try Self.write([Self.sample([])], options: VOCWriterOptions(layout: .devkit, imageMode: .none, split: "trainval"))
        defer { try? FileManager.default.removeItem(at: out) }
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("VOCdevkit/VOC2012/ImageSets/Segmentation/trainval.txt").path))
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("VOCdevkit/VOC2012/SegmentationClass/img7.png").path))
    }

    @Test func moreThan254InstancesAreRefusedNotWrapped() throws {
        // 16 × 16 one-pixel instances, 256 in all.
        let many: [Instance] = (0..<256).map { (i: Int) -> Instance in
            Self.square(Double(i % 16), Double(i / 16), 1, id: Int64(i + 1))
        }
        let writer = VOCWriter(output: try Fixtures.temporaryDirectory("writer").path,
                               options: VOCWriterOptions(imageMode: .none), skips: SkipReport(policy: .fail))
        defer { try? FileManager.default.removeItem(atPath: writer.output) }
        let (renderer, firstSink) = try writer.begin(Self.header)
        var sink = firstSink
        do {
            _ = try renderer.render(Self.sample(many, width: 16, height: 16))
            Issue.record("no error")
        } catch let error as ConversionError {
            #expect(error.code == .unsupported)
            #expect(error.context.imageID == 7)
            #expect(error.message.contains("256 instances"))
        }
        // 254 fit, the last index being 254.
        let rendered = try renderer.render(Self.sample(Array(many.prefix(254)), width: 16, height: 16))
        try sink.commit(rendered)
        let obj = try Self.pixels(URL(fileURLWithPath: writer.layout.objectPNG("img7")))
        #expect(obj.samples.max() == 254 && obj.samples[253] == 254)
        // Through the pipeline with --on-error skip the image is left out and reported.
        let skips = SkipReport(policy: .skip)
        let (out, summary) = try Self.write([Self.sample(many, width: 16, height: 16), Self.sample([], id: 8, fileName: "img8.jpg")], skips: skips)
        defer { try? FileManager.default.removeItem(at: out) }
        #expect(summary.samples == 1 && skips.count == 1)
        #expect(try String(contentsOf: out.appendingPathComponent("ImageSets/Segmentation/val.txt"), encoding: .utf8) == "img8\n")
    }

    @Test func missingImageIsAnErrorNamingThePathOrSkipped() throws {
        let missing = "/nonexistent/dir/img7.jpg"
        let options = VOCWriterOptions(imageMode: .hardlink)
        let writer = VOCWriter(output: try Fixtures.temporaryDirectory("writer").path, options: options, skips: SkipReport(policy: .fail))
        defer { try? FileManager.default.removeItem(atPath: writer.output) }
        let (renderer, _) = try writer.begin(Self.header)
        do {
            _ = try renderer.render(Self.sample([], image: .file(missing)))
            Issue.record("no error")
        } catch let error as ConversionError {
            #expect(error.code == .missingFile && error.context.file == missing && error.context.imageID == 7)
        }
        let image = Fixtures.voc.appendingPathComponent("plain/JPEGImages/2007_000001.jpg").path
        let skips = SkipReport(policy: .skip)
        let (out, summary) = try Self.write([Self.sample([], image: .file(missing)),
                                             Self.sample([], id: 8, fileName: "img8.jpg", width: 12, height: 8, image: .file(image))],
                                            options: options, skips: skips)
        defer { try? FileManager.default.removeItem(at: out) }
        #expect(summary.samples == 1 && skips.count == 1)
        #expect(skips.jsonLines.first?.contains(missing) == true)
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("SegmentationClass/img7.png").path))
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("JPEGImages/img8.jpg").path))
    }

    @Test(arguments: [ImageMode.hardlink, .copy, .symlink, .none])
    func imageModes(mode: ImageMode) throws {
        let source = Fixtures.voc.appendingPathComponent("plain/JPEGImages/2007_000001.jpg").path
        let (out, _) = try Self.write([Self.sample([], fileName: "x/img7.jpg", width: 12, height: 8, image: .file(source))],
                                      options: VOCWriterOptions(imageMode: mode))
        defer { try? FileManager.default.removeItem(at: out) }
        let target = out.appendingPathComponent("JPEGImages/img7.jpg").path
        let fm = FileManager.default
        if mode == .none {
            #expect(!fm.fileExists(atPath: out.appendingPathComponent("JPEGImages").path))
            return
        }
        #expect(fm.contents(atPath: target) == fm.contents(atPath: source))
        let attributes = try fm.attributesOfItem(atPath: target)
        let sourceAttributes = try fm.attributesOfItem(atPath: source)
        switch mode {
        case .hardlink: #expect(attributes[.systemFileNumber] as? Int == sourceAttributes[.systemFileNumber] as? Int)
        case .copy: #expect(attributes[.systemFileNumber] as? Int != sourceAttributes[.systemFileNumber] as? Int)
        case .symlink:
            // Relative to the link's directory (Datumaro refuses links leading out of the dataset; a relative
            // link keeps a tree and its images movable together), and leading to the source.
            let link = try fm.destinationOfSymbolicLink(atPath: target)
            #expect(!link.hasPrefix("/"))
            #expect(URL(fileURLWithPath: target).resolvingSymlinksInPath().path == URL(fileURLWithPath: source).resolvingSymlinksInPath().path)
        case .none: break
        }
        // The XML's depth comes from the JPEG frame header (Pillow wrote an RGB JPEG).
        let xml = try VOCAnnotation(parsing: try Fixtures.bytes(out.appendingPathComponent("Annotations/img7.xml")), file: "x")
        #expect(xml.depth == 3 && xml.filename == "img7.jpg")
    }

    @Test func convertingATreeInPlaceKeepsItsImages() throws {
        let source = Fixtures.voc.appendingPathComponent("plain/JPEGImages/2007_000001.jpg").path
        let (out, _) = try Self.write([Self.sample([Self.square(1, 1, 3, id: 1)], width: 12, height: 8, image: .file(source))],
                                      options: VOCWriterOptions(imageMode: .copy))
        defer { try? FileManager.default.removeItem(at: out) }
        for mode in [ImageMode.hardlink, .copy, .symlink] {
            let skips = SkipReport(policy: .fail)
            let reader = try VOCReader(path: out.path, skips: skips)
            let writer = VOCWriter(output: out.path, options: VOCWriterOptions(imageMode: mode, split: "val"), skips: skips)
            _ = try Conversion(jobs: 1).run(reader: reader, writer: writer, skips: skips)
            let image = out.appendingPathComponent("JPEGImages/img7.jpg").path
            #expect(FileManager.default.contents(atPath: image) == FileManager.default.contents(atPath: source), "\(mode)")
            #expect(try FileManager.default.attributesOfItem(atPath: image)[.type] as? FileAttributeType == .typeRegular)
            #expect(try FileManager.default.subpathsOfDirectory(atPath: out.path).filter { $0.contains(".tmp") }.isEmpty)
        }
    }

    @Test(arguments: [ImageMode.hardlink, .symlink, .copy])
    func rewritingAnOutputReplacesItsImages(mode: ImageMode) throws {
        // Links go straight to their final names; an existing, different file is replaced whole.
        let first = Fixtures.voc.appendingPathComponent("plain/JPEGImages/2007_000001.jpg").path
        let second = Fixtures.voc.appendingPathComponent("plain/JPEGImages/2007_000002.jpg").path
        #expect(FileManager.default.contents(atPath: first) != FileManager.default.contents(atPath: second))
        let (out, _) = try Self.write([Self.sample([], width: 12, height: 8, image: .file(first))],
                                      options: VOCWriterOptions(imageMode: mode))
        defer { try? FileManager.default.removeItem(at: out) }
        let writer = VOCWriter(output: out.path, options: VOCWriterOptions(imageMode: mode), skips: SkipReport(policy: .fail))
        let (renderer, firstSink) = try writer.begin(Self.header)
        var sink = firstSink
        try sink.commit(try renderer.render(Self.sample([], width: 12, height: 8, image: .file(second))))
        _ = try sink.finish()
        let image = out.appendingPathComponent("JPEGImages/img7.jpg").path
        #expect(FileManager.default.contents(atPath: image) == FileManager.default.contents(atPath: second))
        #expect(FileManager.default.contents(atPath: first) != FileManager.default.contents(atPath: second), "the first source is untouched")
        #expect(try FileManager.default.subpathsOfDirectory(atPath: out.path).filter { $0.contains(".tmp") }.isEmpty)
    }

    @Test func jpegSizeDisagreeingWithTheAnnotationIsNoted() throws {
        let source = Fixtures.voc.appendingPathComponent("plain/JPEGImages/2007_000001.jpg").path  // 12 × 8
        let (out, summary) = try Self.write([Self.sample([], image: .file(source))], options: VOCWriterOptions(imageMode: .copy))
        defer { try? FileManager.default.removeItem(at: out) }
        #expect(summary.notes.contains { $0.contains("1 images have a JPEG size different") })
    }

    static func objectAndClass(_ instances: [Instance], options: VOCWriterOptions) throws -> ([UInt16], [UInt16], VOCAnnotation) {
        let (out, _) = try write([sample(instances)], options: options)
        defer { try? FileManager.default.removeItem(at: out) }
        return (try pixels(out.appendingPathComponent("SegmentationObject/img7.png")).samples,
                try pixels(out.appendingPathComponent("SegmentationClass/img7.png")).samples,
                try VOCAnnotation(parsing: try Fixtures.bytes(out.appendingPathComponent("Annotations/img7.xml")), file: "x"))
    }

    @Test func overlapPolicies() throws {
        // A big square (annotation 1, person) under a small one (annotation 2, airplane) overlapping at (4...5, 4...5);
        // in the "smaller" case the small one comes first in the file.
        let big = Self.square(0, 0, 6, id: 1), small = Self.square(4, 4, 4, category: 5, id: 2)
        let at = 5 * 20 + 5
        var (obj, cls, xml) = try Self.objectAndClass([big, small], options: Self.options(overlap: .later))
        #expect(obj[at] == 2 && cls[at] == 2)
        #expect(xml.objects.map(\.occluded) == [true, false])
        (obj, cls, _) = try Self.objectAndClass([big, small], options: Self.options(overlap: .ignore))
        #expect(obj[at] == 255 && cls[at] == 255 && obj[0] == 1 && obj[7 * 20 + 7] == 2)
        (obj, cls, _) = try Self.objectAndClass([small, big], options: Self.options(overlap: .smaller))
        #expect(obj[at] == 1 && cls[at] == 2)  // index 1 is the small square (file order), painted last
        // Two persons overlapping: void in the object map, still person in the class map (as the PNG writer paints it).
        let twin = Self.square(4, 4, 4, category: 1, id: 3)
        (obj, cls, _) = try Self.objectAndClass([big, twin], options: Self.options(overlap: .ignore))
        #expect(obj[at] == 255 && cls[at] == 1)
        #expect(throws: ConversionError.self) {
            _ = try Self.objectAndClass([big, small], options: Self.options(overlap: .error))
        }
    }

    @Test func crowdPolicies() throws {
        // The crowd (airplane, annotation 2) overlaps the person (annotation 1) at (4...5, 4...5).
        let person = Self.square(0, 0, 6, id: 1), crowd = Self.square(4, 4, 4, category: 5, id: 2, crowd: true)
        let at = 5 * 20 + 5, crowdOnly = 7 * 20 + 7
        // ignore: void beneath the objects.
        var (obj, cls, xml) = try Self.objectAndClass([person, crowd], options: Self.options(crowd: .ignore))
        #expect(obj[at] == 1 && cls[at] == 1 && obj[crowdOnly] == 255 && cls[crowdOnly] == 255)
        #expect(xml.objects.count == 2)
        #expect(xml.objects[1].name == "airplane" && xml.objects[1].difficult && xml.objects[1].attribute("is_crowd") == "1")
        #expect(!xml.objects[0].occluded)
        (obj, cls, xml) = try Self.objectAndClass([person, crowd], options: Self.options(crowd: .skip))
        #expect(obj[at] == 1 && obj[crowdOnly] == 0 && cls[crowdOnly] == 0 && xml.objects.count == 2)
        (obj, cls, xml) = try Self.objectAndClass([person, crowd], options: Self.options(crowd: .include))
        #expect(obj[at] == 2 && cls[at] == 2 && xml.objects[0].occluded)
        #expect(!xml.objects[1].difficult && xml.objects[1].attribute("is_crowd") == "1")
    }

    @Test func voc21MapsCOCOCategoriesToVOCClasses() throws {
        let instances = [Self.square(0, 0, 3, category: 13, id: 1), Self.square(5, 5, 3, category: 5, id: 2), Self.square(10, 0, 3, category: 1, id: 3)]
        let (out, _) = try Self.write([Self.sample(instances)], options: Self.options(schema: .voc21, unmapped: .ignore))
        defer { try? FileManager.default.removeItem(at: out) }
        let labelmap = try VOCLabelMap(parsing: try Fixtures.bytes(out.appendingPathComponent("labelmap.txt")), file: "x")
        // Datumaro's default VOC labelmap: the 21 classes, then its void label `ignored`.
        #expect(labelmap.labels.map(\.name) == VOCReader.defaultClasses + ["ignored"])
        #expect(labelmap.labels.indices.allSatisfy { labelmap.labels[$0].color == Palette.voc[$0 == 21 ? 255 : $0] })
        let cls = try Self.pixels(out.appendingPathComponent("SegmentationClass/img7.png")).samples
        #expect(cls[0] == 0 && cls[6 * 20 + 6] == 1 && cls[10] == 15)  // stop sign dropped
        let obj = try Self.pixels(out.appendingPathComponent("SegmentationObject/img7.png")).samples
        #expect(obj[0] == 0 && obj[6 * 20 + 6] == 1 && obj[10] == 2)
        let xml = try VOCAnnotation(parsing: try Fixtures.bytes(out.appendingPathComponent("Annotations/img7.xml")), file: "x")
        #expect(xml.objects.map(\.name) == ["aeroplane", "person"])
        // Read back: the VOC classes.
        let reader = try VOCReader(path: out.path, skips: SkipReport(policy: .fail))
        #expect(reader.header.categories.map(\.name) == Array(VOCReader.defaultClasses.dropFirst()))
        #expect(try reader.next()?.instances.map(\.categoryID) == [1, 15])
    }

    @Test func categoryColoursBecomeThePaletteWhenDistinct() throws {
        let coloured = DatasetHeader(kind: .panoptic, categories: [Category(id: 1, name: "a", color: RGB(10, 20, 30)),
                                                                   Category(id: 2, name: "b", color: RGB(40, 50, 60))])
        let (out, summary) = try Self.write([Self.sample([Self.square(0, 0, 2, id: 1)])], header: coloured)
        defer { try? FileManager.default.removeItem(at: out) }
        #expect(summary.notes.isEmpty)
        let cls = try Self.pixels(out.appendingPathComponent("SegmentationClass/img7.png"))
        #expect(cls.palette?[1] == RGB(10, 20, 30) && cls.palette?[2] == RGB(40, 50, 60) && cls.palette?[255] == Palette.voc[255])
        let clash = DatasetHeader(kind: .panoptic, categories: [Category(id: 1, name: "a", color: RGB(10, 20, 30)),
                                                                Category(id: 2, name: "a", color: RGB(10, 20, 30))])
        let (out2, summary2) = try Self.write([Self.sample([])], header: clash)
        defer { try? FileManager.default.removeItem(at: out2) }
        #expect(summary2.notes.count == 2)  // colours fall back to VOC, the duplicate name gets a suffix
        let labelmap = try String(contentsOf: out2.appendingPathComponent("labelmap.txt"), encoding: .utf8)
        #expect(labelmap.contains("a:128,0,0::\na_2:0,128,0::\n"))
    }

    @Test func namesAreEscapedInXML() throws {
        let header = DatasetHeader(kind: .instances, categories: [Category(id: 1, name: "<fish & \"chips\">")])
        let (out, _) = try Self.write([Self.sample([Self.square(0, 0, 2, id: 1)], fileName: "a&b.jpg")], header: header)
        defer { try? FileManager.default.removeItem(at: out) }
        let raw = try String(contentsOf: out.appendingPathComponent("Annotations/a&b.xml"), encoding: .utf8)
        #expect(raw.contains("<name>&lt;fish &amp; &quot;chips&quot;&gt;</name>"))
        #expect(raw.contains("<filename>a&amp;b.jpg</filename>"))
    }

    @Test func duplicateItemNamesAreReported() throws {
        let skips = SkipReport(policy: .skip)
        let (out, summary) = try Self.write([Self.sample([], fileName: "a/x.jpg"), Self.sample([], id: 8, fileName: "b/x.png")], skips: skips)
        defer { try? FileManager.default.removeItem(at: out) }
        #expect(summary.samples == 1 && skips.count == 1)
        #expect(skips.jsonLines.first?.contains("duplicate-id") == true)
        #expect(throws: ConversionError.self) {
            _ = try Self.write([Self.sample([], fileName: "a/x.jpg"), Self.sample([], id: 8, fileName: "b/x.png")])
        }
    }

    @Test(arguments: [LabelSchema.cocoIDs([Category(id: 300, name: "x")]),
                      LabelSchema.contiguous([Category(id: 1, name: "x")], background: 255, ignoreIndex: 255),
                      LabelSchema.cocoStuff171])
    func refusesMappingsVOCCannotHold(schema: LabelSchema) {
        let header = DatasetHeader(kind: .instances, categories: [Category(id: 300, name: "x")])
        #expect(throws: ConversionError.self) { _ = try Self.write([], options: Self.options(schema: schema), header: header) }
    }

    @Test func refusesUnwritableNames() {
        let unwritable = DatasetHeader(kind: .instances, categories: [Category(id: 1, name: "a:b")])
        #expect(throws: ConversionError.self) { _ = try Self.write([], header: unwritable) }
    }

    @Test(arguments: [("val2017", "val"), ("train2014", "train"), ("minival2014", "minival"), ("custom", "custom"),
                      ("2017", "2017"), ("v12017", "v12017")])
    func splitNamesDropTheYear(split: String, voc: String) {
        #expect(VOCWriter.vocSplitName(split) == voc)
    }
}
