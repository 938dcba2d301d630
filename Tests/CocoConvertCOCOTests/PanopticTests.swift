import Foundation
import Testing
import CocoConvertCore
import CocoConvertPNG
@testable import CocoConvertCOCO

/// Panoptic: segments_info + RGB segment PNGs (id = R + 256·G + 256²·B).
@Suite struct PanopticTests {
    static let path = TestData.cocoReal + "/panoptic/annotations/panoptic_val2017.json"

    @Test func segmentsBecomeInstancesCutFromTheIDPlane() throws {
        let (header, samples, skips) = try TestData.readAll(Self.path)
        #expect(skips.count == 0)
        #expect(header.kind == .panoptic)
        #expect(header.categories.count == 133)
        #expect(header.category(id: 1)?.isThing == true)
        #expect(header.category(id: 1)?.color == RGB(220, 20, 60))
        let sample = try #require(samples.first)
        #expect(samples.count == 1)
        #expect(sample.panoptic?.fileName == "000000439180.png")
        #expect(sample.instances.count == 32)
        for instance in sample.instances {
            guard case .labelValue(let plane, let value) = instance.geometry else {
                Issue.record("label plane expected")
                continue
            }
            #expect(Int64(value) == instance.id)
            #expect(plane.width == sample.width && plane.height == sample.height)
            // The segment's pixel count is the area segments_info gives.
            let rle = try instance.geometry.rle(height: sample.height, width: sample.width)
            #expect(Double(rle.area) == instance.area)
        }
    }

    @Test func keepWritesPanopticJSONAndTheSamePNG() throws {
        let directory = try TestData.temporaryDirectory()
        let output = directory + "/panoptic_out.json"
        try RoundTripTests.convert(Self.path, to: output)
        let a = try #require(try TestData.foundationJSON(Self.path) as? [String: Any])
        let b = try #require(try TestData.foundationJSON(output) as? [String: Any])
        #expect(SemanticJSON.difference(a, b) == nil, "\(SemanticJSON.difference(a, b) ?? "")")
        let original = try PNGDecoder.decode(file: TestData.cocoReal + "/panoptic/annotations/panoptic_val2017/000000439180.png")
        let written = try PNGDecoder.decode(file: directory + "/panoptic_out/000000439180.png")
        #expect(written.width == original.width && written.height == original.height)
        #expect(written.samples == original.samples)
    }

    @Test func missingPNGIsReportedWithTheImage() throws {
        let directory = try TestData.temporaryDirectory()
        let copy = directory + "/panoptic_val2017.json"
        try FileManager.default.copyItem(atPath: Self.path, toPath: copy)
        let error = try #require(throws: ConversionError.self) { _ = try TestData.readAll(copy) }
        #expect(error.context.imageID == 439180)
        #expect(error.context.file?.hasSuffix("panoptic_val2017/000000439180.png") == true)
        let (_, samples, skips) = try TestData.readAll(copy, policy: .skip)
        #expect(samples.isEmpty)
        #expect(skips.count == 1)
    }
}
