import CocoConvertCore
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Small file reads of the VOC reader (image placement is Core's ``ImageFiles``).
enum FileOutput {

    /// Reads a whole small file (labelmap.txt, an ImageSets list, an annotation XML); files larger
    /// than `maxBytes` are refused before reading.
    static func readFile(_ path: String, maxBytes: Int = 256 << 20) throws -> [UInt8] {
        var info = stat()
        if stat(path, &info) == 0, Int(info.st_size) > maxBytes {
            throw ConversionError(.limitExceeded, "file is \(info.st_size) bytes, more than the \(maxBytes) this VOC file may have",
                                  context: ErrorContext(file: path), hint: "the file is not a VOC annotation, list or label map")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConversionError(.io, "cannot read file", context: ErrorContext(file: path),
                                  hint: "check that it exists and is readable")
        }
        return [UInt8](data)
    }
}

