import CocoConvertCore

/// Sample keys from image file names. WebDataset splits a member name at the first `.` of its file
/// name, so a key must hold no dot; a key is also one path component. The mapping: the file name's
/// last component without its extension (``Sample/stem``), with every `.`, `/`, `\` and control
/// character turned into `_`; the image id when nothing is left. `000000000139.jpg` → `000000000139`,
/// `frame.0001.png` → `frame_0001`. Distinct names can meet (`a.b.jpg`, `a_b.jpg`): the writer
/// refuses the second sample with a key collision.
public enum WebDatasetKey {
    public static func key(for sample: Sample) throws -> String {
        var key = String(String.UnicodeScalarView(sample.stem.unicodeScalars.map { scalar -> Unicode.Scalar in
            scalar == "." || scalar == "/" || scalar == "\\" || scalar.value < 0x20 || scalar.value == 0x7F ? "_" : scalar
        }))
        if key.isEmpty { key = String(sample.id) }
        guard key.utf8.count <= SafePath.maximumStemBytes else {
            throw ConversionError(.invalidValue, "file name '\(sample.fileName.prefix(40))…' gives a key of \(key.utf8.count) bytes; keys hold at most \(SafePath.maximumStemBytes)",
                                  context: ErrorContext(imageID: sample.id, field: "file_name"),
                                  hint: "shorten the image's file_name in the source, or --on-error skip leaves it out")
        }
        return key
    }
}
