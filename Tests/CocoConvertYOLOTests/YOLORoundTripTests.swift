import CocoConvertCOCO
import CocoConvertCore
import Foundation
import Testing
@testable import CocoConvertYOLO

/// coco → yolo → coco on the bundled real subset: every non-crowd instance comes back with its
/// category id and exactly its mask (the rings are traced on pixel corners and written on the
/// rasteriser's steps).
@Suite struct YOLORoundTripTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let mini = root.appendingPathComponent("examples/coco-mini/annotations/instances_val2017.json").path

    @Test(arguments: [YOLOTask.segment, .detect])
    func roundTrip(task: YOLOTask) throws {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("yolo-rt-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: output) }
        var options = YOLOWriterOptions()
        options.task = task
        options.imageMode = .none
        let skips = SkipReport(policy: .fail)
        _ = try Conversion(jobs: 2).run(reader: try COCOReader(path: Self.mini, skips: skips),
                                        writer: YOLOWriter(output: output, options: options, skips: skips), skips: skips)
        let source = try COCOReader(path: Self.mini, skips: skips)
        let back = try YOLOReader(path: output, split: nil, skips: skips)
        #expect(back.header.categories.map(\.id) == source.header.categories.map(\.id))
        var compared = 0
        // Without images (--image-mode none) the reader has nothing to list; read the labels by stem.
        while let sample = try source.next() {
            let labelPath = back.labelsDirectory + "/" + YOLOLayout.labelName(forImageName: sample.fileName)
            let text = try String(contentsOfFile: labelPath, encoding: .utf8)
            let lines = text.split(separator: "\n")
            let kept = sample.instances.filter { !$0.isCrowd }
            try #require(lines.count == kept.count, "image \(sample.id): \(lines.count) lines for \(kept.count) objects")
            for (line, instance) in zip(lines, kept) {
                guard let parsed = try YOLOLabelLine.parse(ArraySlice(Array(line.utf8)), classCount: back.header.categories.count) else { continue }
                let expected = try instance.geometry.rle(height: sample.height, width: sample.width)
                switch parsed {
                case .polygon(let classIndex, var points):
                    #expect(task == .segment)
                    #expect(back.header.categories[classIndex].id == instance.categoryID)
                    for i in points.indices { points[i] *= Double(i % 2 == 0 ? sample.width : sample.height) }
                    let got = try RLE(polygons: [points], height: sample.height, width: sample.width)
                    #expect(got == expected, "image \(sample.id), annotation \(instance.id ?? -1)")
                case .box(let classIndex, let cx, let cy, let w, let h):
                    #expect(task == .detect)
                    #expect(back.header.categories[classIndex].id == instance.categoryID)
                    let box = expected.boundingBox
                    #expect(abs(cx * Double(sample.width) - (box.x + box.width / 2)) < 1e-3)
                    #expect(abs(cy * Double(sample.height) - (box.y + box.height / 2)) < 1e-3)
                    #expect(abs(w * Double(sample.width) - box.width) < 1e-3 && abs(h * Double(sample.height) - box.height) < 1e-3)
                }
                compared += 1
            }
        }
        #expect(compared > 100)
    }
}
