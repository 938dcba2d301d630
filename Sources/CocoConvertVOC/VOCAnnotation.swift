import CocoConvertCore

/// A name/value pair under an object's `<attributes>` (the Datumaro/CVAT extension).
public struct VOCAttribute: Hashable, Sendable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// One `<object>` of a VOC annotation file.
public struct VOCObject: Hashable, Sendable {
    public var name: String
    public var pose: String
    public var truncated: Bool
    public var difficult: Bool
    public var occluded: Bool
    /// `nil` when the file has no (parsable) `bndbox`.
    public var box: VOCBox?
    public var attributes: [VOCAttribute]

    public init(name: String, pose: String = "Unspecified", truncated: Bool = false, difficult: Bool = false,
                occluded: Bool = false, box: VOCBox?, attributes: [VOCAttribute] = []) {
        self.name = name
        self.pose = pose
        self.truncated = truncated
        self.difficult = difficult
        self.occluded = occluded
        self.box = box
        self.attributes = attributes
    }

    /// The value of attribute `name`, if present.
    public func attribute(_ name: String) -> String? {
        attributes.first { $0.name == name }?.value
    }
}

/// A VOC `Annotations/<id>.xml` file: image facts and one object per instance.
///
/// Object `k` (1-based, document order) is instance `k` of the item's `SegmentationObject` PNG,
/// as in the VOC devkit.
public struct VOCAnnotation: Hashable, Sendable {
    public var folder: String
    public var filename: String
    /// `source/database`.
    public var database: String?
    public var width: Int?
    public var height: Int?
    public var depth: Int?
    public var segmented: Bool
    public var objects: [VOCObject]

    public init(folder: String, filename: String, database: String? = nil, width: Int?, height: Int?,
                depth: Int?, segmented: Bool, objects: [VOCObject]) {
        self.folder = folder
        self.filename = filename
        self.database = database
        self.width = width
        self.height = height
        self.depth = depth
        self.segmented = segmented
        self.objects = objects
    }

    /// The XML document, tab-indented like the VOC devkit's files, every text escaped.
    public func xmlText() -> String {
        var out = "<annotation>\n"
        func element(_ name: String, _ value: String, _ indent: Int) {
            out += String(repeating: "\t", count: indent)
            out += "<\(name)>\(VOCXMLElement.escape(value))</\(name)>\n"
        }
        func number(_ v: Double) -> String {
            v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : String(v)
        }
        element("folder", folder, 1)
        element("filename", filename, 1)
        if let database {
            out += "\t<source>\n"
            element("database", database, 2)
            out += "\t</source>\n"
        }
        out += "\t<size>\n"
        element("width", width.map(String.init) ?? "", 2)
        element("height", height.map(String.init) ?? "", 2)
        element("depth", depth.map(String.init) ?? "", 2)
        out += "\t</size>\n"
        element("segmented", segmented ? "1" : "0", 1)
        for object in objects {
            out += "\t<object>\n"
            element("name", object.name, 2)
            element("pose", object.pose, 2)
            element("truncated", object.truncated ? "1" : "0", 2)
            element("difficult", object.difficult ? "1" : "0", 2)
            element("occluded", object.occluded ? "1" : "0", 2)
            if let box = object.box {
                out += "\t\t<bndbox>\n"
                element("xmin", number(box.xmin), 3)
                element("ymin", number(box.ymin), 3)
                element("xmax", number(box.xmax), 3)
                element("ymax", number(box.ymax), 3)
                out += "\t\t</bndbox>\n"
            }
            if !object.attributes.isEmpty {
                out += "\t\t<attributes>\n"
                for attribute in object.attributes {
                    out += "\t\t\t<attribute>\n"
                    element("name", attribute.name, 4)
                    element("value", attribute.value, 4)
                    out += "\t\t\t</attribute>\n"
                }
                out += "\t\t</attributes>\n"
            }
            out += "\t</object>\n"
        }
        out += "</annotation>\n"
        return out
    }

    /// Parses an annotation file.
    ///
    /// Missing optional fields are tolerated (`pose` defaults to Unspecified, flags to 0, sizes to
    /// `nil`); an object without `name` or with a bad number is an error.
    /// - Throws: ``ConversionError`` (`malformedInput`/`invalidValue`) naming `file`.
    public init(parsing bytes: [UInt8], file: String) throws {
        let root = try VOCXMLElement.parse(bytes, file: file)
        func bad(_ field: String, _ what: String) -> ConversionError {
            ConversionError(.invalidValue, what, context: ErrorContext(file: file, field: field),
                            hint: "fix the annotation file or remove it (masks are read without it)")
        }
        guard root.name == "annotation" else {
            throw ConversionError(.malformedInput, "root element is <\(root.name)>, not <annotation>",
                                  context: ErrorContext(file: file), hint: "not a VOC annotation file")
        }
        func integer(_ path: String, in element: VOCXMLElement) throws -> Int? {
            guard let text = element.value(at: path), !text.isEmpty else { return nil }
            if let v = Int(text) { return v }
            // Some tools write sizes as "480.0".
            if let d = Double(text), d.isFinite, d == d.rounded(), abs(d) < 1e12 { return Int(d) }
            throw bad(path, "\(path) is \"\(text)\", not an integer")
        }
        func flag(_ path: String, in element: VOCXMLElement) throws -> Bool {
            guard let text = element.value(at: path), !text.isEmpty else { return false }
            switch text {
            case "0": return false
            case "1": return true
            default:
                // Datumaro accepts only 0/1; some tools write true/false.
                if text.lowercased() == "true" { return true }
                if text.lowercased() == "false" { return false }
                throw bad(path, "\(path) is \"\(text)\", not 0 or 1")
            }
        }
        folder = root.value(at: "folder") ?? ""
        filename = root.value(at: "filename") ?? ""
        database = root.value(at: "source/database")
        width = try integer("size/width", in: root)
        height = try integer("size/height", in: root)
        depth = try integer("size/depth", in: root)
        segmented = try flag("segmented", in: root)
        var objects: [VOCObject] = []
        for (k, element) in root.children(named: "object").enumerated() {
            let field = "object \(k + 1)"
            guard let name = element.value(at: "name"), !name.isEmpty else { throw bad(field, "\(field) has no name") }
            var box: VOCBox?
            if let bndbox = element.child("bndbox") {
                var v: [Double] = []
                for key in ["xmin", "ymin", "xmax", "ymax"] {
                    guard let text = bndbox.value(at: key), let d = Double(text), d.isFinite else {
                        throw bad("\(field)/bndbox/\(key)", "\(field): bndbox/\(key) is missing or not a number")
                    }
                    v.append(d)
                }
                box = VOCBox(xmin: v[0], ymin: v[1], xmax: v[2], ymax: v[3])
            }
            var attributes: [VOCAttribute] = []
            for attribute in element.child("attributes")?.children(named: "attribute") ?? [] {
                if let n = attribute.value(at: "name") {
                    attributes.append(VOCAttribute(name: n, value: attribute.value(at: "value") ?? ""))
                }
            }
            let pose = element.value(at: "pose").flatMap { $0.isEmpty ? nil : $0 } ?? "Unspecified"
            objects.append(VOCObject(name: name, pose: pose,
                                     truncated: try flag("truncated", in: element),
                                     difficult: try flag("difficult", in: element),
                                     occluded: try flag("occluded", in: element),
                                     box: box, attributes: attributes))
        }
        self.objects = objects
    }
}
