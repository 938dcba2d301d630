import CocoConvertCore
import CocoConvertYOLO

/// The `yolo` target: a whole one-image YOLO dataset from one input.
///
/// Input: `data.yaml` text, a NUL byte, the image's label file, a NUL byte, the image's first bytes
/// (its size is read from the PNG IHDR or JPEG frame header; without a third part, a 640×480 PNG header).
/// The fuzzed data.yaml is read with `YOLODataFile.read`; its names and category ids are written back
/// with `YOLODataFile.text` and the one split `images/train` (so a fuzzed `train: /` never makes the
/// reader walk the whole file system). `YOLOReader` must open that dataset with the same names and
/// ids; then it reads the image's labels and every mask is encoded, as a conversion would.
extension FuzzTarget {
    /// A PNG signature and IHDR of a 640×480 image: all `ImageSize` reads.
    static let defaultImageHeader: [UInt8] = [
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52,
        0, 0, 0x02, 0x80, 0, 0, 0x01, 0xE0, 8, 0, 0, 0, 0x3A, 0x7E, 0x9B, 0x55,
    ]

    /// More classes than this are read, but not written back and read as a dataset (slow, says nothing new).
    static let maximumYOLOClasses = 4096

    static func yolo(_ bytes: [UInt8]) {
        let parts = bytes.split(separator: 0, maxSplits: 2, omittingEmptySubsequences: false)
        let yaml = Array(parts[0])
        let labels = parts.count > 1 ? Array(parts[1]) : []
        let image = parts.count > 2 ? Array(parts[2]) : defaultImageHeader

        let fuzzedPath = FuzzScratch.write(yaml, as: "yolo-fuzzed.yaml")
        guard let fuzzed = try? YOLODataFile.read(fuzzedPath), fuzzed.names.count <= maximumYOLOClasses else { return }

        // Our own text of what was read, as the dataset's data.yaml: the reader must open the
        // dataset (its layout is ours) and read back the same names and ids.
        let data = YOLODataFile(splits: ["train": ["images/train"]], names: fuzzed.names, categoryIDs: fuzzed.categoryIDs)
        _ = FuzzScratch.write(Array(data.text.utf8), as: "yolo/data.yaml")
        _ = FuzzScratch.write(image, as: "yolo/images/train/1.png")
        _ = FuzzScratch.write(labels, as: "yolo/labels/train/1.txt")
        let reader: YOLOReader
        do {
            reader = try YOLOReader(path: FuzzScratch.path("yolo"), split: nil, skips: SkipReport(policy: .skip))
        } catch {
            return check(false, "YOLODataFile.text of a data.yaml read does not open as a dataset: \(error)")
        }
        let categories = reader.header.categories
        check(categories.map(\.name) == data.names, "YOLODataFile.text does not read back the same names: \(data.names.prefix(8))")
        if let ids = data.categoryIDs {
            check(categories.map(\.id) == ids, "YOLODataFile.text does not read back the same category ids")
        }
        try? drain(reader)
    }
}
