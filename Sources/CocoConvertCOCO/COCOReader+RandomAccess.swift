import CocoConvertCore

/// A COCO file is indexed before the first sample is read, so any image can be read by its position:
/// merged inputs (`coco2png instances.json stuff.json OUT`) use this to follow a later file in any order.
extension COCOReader: RandomAccessDatasetReader {
    public var sampleIDs: [Int64] {
        (0..<index.imageCount).map { index.imageIDs[$0] }
    }

    public func sample(at position: Int) throws -> Sample? {
        guard position >= 0 && position < index.imageCount else { return nil }
        do {
            return try makeSample(position)
        } catch let error as ConversionError {
            try report(error)
            return nil
        }
    }
}
