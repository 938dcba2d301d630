import CocoConvertCore
@testable import CocoConvertCLI

/// A format that exists only in the tests, to prove that a format is its own files and nothing
/// else: this folder declares it, and the registry-parameterised tests (RegistryCLITests) convert
/// to and from it without naming it.
///
/// Layout: a directory with `categories.txt` (`<id> <name>` per line) and one `<stem>.toy` per
/// sample: `image <id> <width> <height> <file name, percent-escaped>`, then one
/// `object <annotation id> <category id> <crowd 0|1> <compressed RLE counts>` line per instance.
enum ToyFormat {
    static let plugin = FormatPlugin(
        name: "toy",
        summary: "test-only text format: one .toy file per sample, masks as compressed RLE",
        reader: ReaderPlugin(
            accepts: "a directory of .toy files with categories.txt",
            options: [.flag("toy-strict", help: "Refuse a directory without categories.txt."),
                      .flag("toy-uncounted", help: "Do not count the samples up front (as a streaming reader).")],
            detect: { probe in
                probe.isDirectory && probe.hasEntry(endingWith: ".toy") ? Detection(confidence: 95, "a directory of toy files") : nil
            },
            configure: { values in
                let strict = values.flag("toy-strict"), uncounted = values.flag("toy-uncounted")
                return { input, skips in try ToyReader(directory: input, strict: strict, counted: !uncounted, skips: skips) }
            }),
        writer: WriterPlugin(
            produces: "OUT/<stem>.toy per sample and OUT/categories.txt",
            output: .directory,
            options: [.value("toy-note", "TEXT", help: "A note written as the first line of categories.txt.")],
            configure: { values in
                let note = values.string("toy-note")
                return { output, skips in ToyWriter(directory: output, note: note, skips: skips) }
            }))

    /// Percent-escapes what would break a whitespace-separated line.
    static func escape(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            if byte <= 0x20 || byte == 0x25 || byte >= 0x7F {
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            } else {
                out.unicodeScalars.append(UnicodeScalar(byte))
            }
        }
        return out
    }

    static func unescape(_ text: Substring) -> String {
        var bytes: [UInt8] = []
        var index = text.utf8.startIndex
        let utf8 = text.utf8
        while index != utf8.endIndex {
            let byte = utf8[index]
            let next = utf8.index(after: index)
            if byte == 0x25, let end = utf8.index(next, offsetBy: 2, limitedBy: utf8.endIndex),
               let value = UInt8(String(decoding: utf8[next..<end], as: UTF8.self), radix: 16) {
                bytes.append(value)
                index = end
            } else {
                bytes.append(byte)
                index = next
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension FormatRegistry {
    /// The shipped formats and the test-only toy.
    static let withTestFormats = FormatRegistry.standard.adding([ToyFormat.plugin])
}

private extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
