import CocoConvertCore
import CocoConvertPNG

/// One line of a `labelmap.txt`: a class name, its colour, and the optional parts and actions.
public struct VOCLabel: Hashable, Sendable {
    public var name: String
    /// `nil` when the colour field is empty (the VOC colormap colour of the line's index applies).
    public var color: RGB?
    public var parts: [String]
    public var actions: [String]

    public init(name: String, color: RGB?, parts: [String] = [], actions: [String] = []) {
        self.name = name
        self.color = color
        self.parts = parts
        self.actions = actions
    }
}

/// The CVAT/Datumaro `labelmap.txt` of a VOC layout: one label per line, index = line order.
///
/// ```
/// # label:color_rgb:parts:actions
/// background:0,0,0::
/// aeroplane:128,0,0::
/// ```
/// Every non-comment line has exactly four `:`-separated fields (empty fields allowed); the
/// colour is `r,g,b` in decimal. Label index `i` (the pixel value of a class map) is the `i`-th
/// label line, comments and blank lines not counted. Names must be unique.
public struct VOCLabelMap: Hashable, Sendable {
    /// The header line CVAT and Datumaro write.
    public static let header = "# label:color_rgb:parts:actions"

    /// Labels in index order.
    public var labels: [VOCLabel]

    public init(labels: [VOCLabel]) {
        self.labels = labels
    }

    /// The name written for a class value no category uses (gaps under `--labels coco-ids`).
    public static func placeholderName(_ value: Int) -> String { "__unused_\(value)__" }

    /// Whether `name` is a ``placeholderName(_:)`` (readers drop those labels).
    public static func isPlaceholder(_ name: String) -> Bool {
        name.hasPrefix("__unused_") && name.hasSuffix("__") && name.count > 11
            && name.dropFirst(9).dropLast(2).allSatisfy(\.isNumber)
    }

    /// Names a label line may use for the void value 255 (Datumaro writes `ignored`).
    public static let voidNames = ["ignored", "void"]

    /// Whether label `index` stands for the void value 255 rather than a class: index 255 itself, or a
    /// line named `ignored`/`void` whose colour is the VOC void colour (224,224,192), at any index
    /// (Datumaro and cococonvert write it after the classes).
    public func isVoid(_ index: Int) -> Bool {
        if index == 255 { return true }
        guard index >= 0, index < labels.count, Self.voidNames.contains(labels[index].name.lowercased()) else { return false }
        return color(at: index) == Palette.voc[255]
    }

    /// The colour of label `index`: its own, or the VOC colormap's when the line has none.
    public func color(at index: Int) -> RGB {
        if index >= 0, index < labels.count, let c = labels[index].color { return c }
        return Palette.voc[min(max(index, 0), 255)]
    }

    /// Parses `labelmap.txt` bytes.
    ///
    /// - Throws: ``ConversionError`` (`malformedInput`) naming `file` and the line for a line without
    ///   exactly four fields, a bad colour, or a duplicate name.
    public init(parsing bytes: [UInt8], file: String) throws {
        var labels: [VOCLabel] = []
        var seen: Set<String> = []
        var lineNumber = 0
        var offset = 0
        for rawLine in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            let lineOffset = offset
            offset += rawLine.count + 1
            let text = String(decoding: rawLine, as: UTF8.self).trimmingASCIIWhitespace()
            if text.isEmpty || text.hasPrefix("#") { continue }
            func fail(_ what: String) -> ConversionError {
                ConversionError(.malformedInput, "line \(lineNumber): \(what)",
                                context: ErrorContext(file: file, byteOffset: lineOffset, field: "labelmap"),
                                hint: "each line is name:r,g,b:parts:actions (4 fields, empty ones allowed)")
            }
            let fields = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 4 else { throw fail("expected 4 ':'-separated fields, found \(fields.count)") }
            let name = fields[0]
            guard !name.isEmpty else { throw fail("empty label name") }
            guard seen.insert(name).inserted else { throw fail("duplicate label name \"\(name)\"") }
            var color: RGB?
            let colorField = fields[1].trimmingASCIIWhitespace()
            if !colorField.isEmpty {
                let parts = colorField.split(separator: ",", omittingEmptySubsequences: false)
                let values = parts.compactMap { UInt8($0.trimmingASCIIWhitespace()) }
                guard parts.count == 3, values.count == 3 else {
                    throw fail("colour \"\(colorField)\" is not r,g,b with values 0...255")
                }
                color = RGB(values[0], values[1], values[2])
            }
            labels.append(VOCLabel(name: name, color: color, parts: Self.list(fields[2]), actions: Self.list(fields[3])))
        }
        self.labels = labels
    }

    /// The file text: the header, then one line per label (colours always written).
    ///
    /// - Throws: ``ConversionError`` (`unsupported`) when a name cannot be written in this format
    ///   (empty, contains `:`, `,` in a part, a line break, or starts with `#`).
    public func text() throws -> String {
        var out = Self.header + "\n"
        for (index, label) in labels.enumerated() {
            try Self.checkWritable(label.name, what: "label name")
            for item in label.parts + label.actions {
                try Self.checkWritable(item, what: "part or action name")
                if item.contains(",") { throw Self.unwritable(item, what: "part or action name") }
            }
            let c = color(at: index)
            out += "\(label.name):\(c.r),\(c.g),\(c.b):\(label.parts.joined(separator: ",")):\(label.actions.joined(separator: ","))\n"
        }
        return out
    }

    private static func list(_ field: String) -> [String] {
        field.split(separator: ",").map { String($0).trimmingASCIIWhitespace() }.filter { !$0.isEmpty }
    }

    private static func checkWritable(_ name: String, what: String) throws {
        if name.isEmpty || name.hasPrefix("#") || name != name.trimmingASCIIWhitespace()
            || name.contains(where: { $0 == ":" || $0 == "\n" || $0 == "\r" }) {
            throw unwritable(name, what: what)
        }
    }

    private static func unwritable(_ name: String, what: String) -> ConversionError {
        ConversionError(.unsupported, "\(what) \"\(name)\" cannot be written to labelmap.txt",
                        context: ErrorContext(field: "labelmap"),
                        hint: "names must be non-empty, without ':' or line breaks, not start with '#' or have surrounding spaces; rename the category")
    }
}

extension String {
    /// The string without leading and trailing ASCII spaces, tabs, CR and LF.
    func trimmingASCIIWhitespace() -> String {
        let scalars = unicodeScalars
        func isSpace(_ s: Unicode.Scalar) -> Bool { s == " " || s == "\t" || s == "\r" || s == "\n" }
        guard let first = scalars.firstIndex(where: { !isSpace($0) }),
              let last = scalars.lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(scalars[first...last])
    }
}

extension Substring {
    func trimmingASCIIWhitespace() -> String { String(self).trimmingASCIIWhitespace() }
}
