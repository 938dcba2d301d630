/// Small COCO files written out as text, so tests know every byte (and so every byte offset).
enum COCOFixture {
    /// One image record.
    static func image(_ id: Int, _ fileName: String = "", width: Int = 4, height: Int = 4) -> String {
        let name = fileName.isEmpty ? "\(id).jpg" : fileName
        return "{\"id\":\(id),\"file_name\":\(jsonLiteral(name)),\"width\":\(width),\"height\":\(height)}"
    }

    /// A 2×2 square polygon annotation.
    static func polygon(_ id: Int, image: Int, category: Int = 1) -> String {
        "{\"id\":\(id),\"image_id\":\(image),\"category_id\":\(category),"
            + "\"segmentation\":[[0,0,2,0,2,2,0,2]],\"area\":4,\"bbox\":[0,0,2,2],\"iscrowd\":0}"
    }

    /// A crowd annotation with uncompressed RLE `counts` on a `height`×`width` image.
    static func crowdRLE(_ id: Int, image: Int, counts: [Int], height: Int = 4, width: Int = 4, category: Int = 1) -> String {
        "{\"id\":\(id),\"image_id\":\(image),\"category_id\":\(category),"
            + "\"segmentation\":{\"size\":[\(height),\(width)],\"counts\":[\(counts.map(String.init).joined(separator: ","))]},"
            + "\"area\":4,\"bbox\":[0,0,2,2],\"iscrowd\":1}"
    }

    /// Category `id`.
    static func category(_ id: Int, _ name: String = "thing") -> String {
        "{\"id\":\(id),\"name\":\(jsonLiteral(name)),\"supercategory\":\"x\"}"
    }

    /// An instances file.
    static func file(images: [String], annotations: [String], categories: [String] = [category(1)]) -> String {
        "{\"images\":[\n" + images.joined(separator: ",\n") + "\n],\n\"annotations\":[\n"
            + annotations.joined(separator: ",\n") + "\n],\n\"categories\":[\n"
            + categories.joined(separator: ",\n") + "\n]}\n"
    }

    /// Three images with one polygon each; all valid.
    static var threeGoodImages: String {
        file(images: [image(1), image(2), image(3)],
             annotations: [polygon(10, image: 1), polygon(20, image: 2), polygon(30, image: 3)])
    }

    /// `s` as a JSON string literal.
    static func jsonLiteral(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
