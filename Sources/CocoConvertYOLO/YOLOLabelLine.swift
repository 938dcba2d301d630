import CocoConvertCore

/// One line of a YOLO label file: a class index and either a box (`cx cy w h`) or a polygon
/// (`x1 y1 … xn yn`, n ≥ 3), all normalised to 0…1.
enum YOLOLabelLine {
    case box(classIndex: Int, cx: Double, cy: Double, width: Double, height: Double)
    case polygon(classIndex: Int, points: [Double])

    /// Parses one line (without its newline); nil for a blank line.
    /// - Throws: `ConversionError` (.invalidValue) saying what is wrong with the line.
    static func parse(_ line: ArraySlice<UInt8>, classCount: Int) throws -> YOLOLabelLine? {
        var fields: [Substring] = []
        let text = String(decoding: line, as: UTF8.self)
        for field in text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" }) { fields.append(field) }
        guard let first = fields.first else { return nil }
        guard let classIndex = Int(first), classIndex >= 0 else {
            throw ConversionError(.invalidValue, "class '\(first.prefix(20))' is not a class index")
        }
        guard classIndex < classCount else {
            throw ConversionError(.unknownCategory, "class \(classIndex) is not in data.yaml's \(classCount) names",
                                  hint: "add the class to names in data.yaml")
        }
        var numbers: [Double] = []
        numbers.reserveCapacity(fields.count - 1)
        for field in fields.dropFirst() {
            guard let value = Double(field), value.isFinite else {
                throw ConversionError(.invalidValue, "'\(field.prefix(20))' is not a number")
            }
            guard value >= 0 && value <= 1 else {
                throw ConversionError(.invalidValue, "coordinate \(value) is outside 0…1",
                                      hint: "YOLO coordinates are normalised by the image's width and height")
            }
            numbers.append(value)
        }
        switch numbers.count {
        case 4:
            return .box(classIndex: classIndex, cx: numbers[0], cy: numbers[1], width: numbers[2], height: numbers[3])
        case let n where n >= 6 && n % 2 == 0:
            return .polygon(classIndex: classIndex, points: numbers)
        default:
            throw ConversionError(.invalidValue, "\(numbers.count) numbers after the class: a box has 4, a polygon an even number ≥ 6",
                                  hint: "a polygon needs at least 3 points")
        }
    }
}
