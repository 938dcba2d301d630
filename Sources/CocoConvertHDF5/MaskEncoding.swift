import CocoConvertCore

/// Geometry → compressed RLE counts for the `instances/rle` column.
///
/// Interim: until the RLE codec (CocoConvertCore/RLE, helper "rle") is on main this handles only
/// `.compressedRLE` (verbatim) and `.none`; everything else throws `.unsupported`.
enum MaskEncoding {
    static func compressedCounts(of geometry: Geometry, height: Int, width: Int) throws -> String {
        switch geometry {
        case .none:
            return ""
        case .compressedRLE(let c):
            return c.counts
        default:
            throw ConversionError(.unsupported, "this build cannot encode polygons, uncompressed RLE or label-map masks for HDF5 yet",
                                  hint: "the RLE codec is not linked into CocoConvertHDF5 yet")
        }
    }
}

extension MaskEncoding {
    /// The uncompressed (`counts` list) form of a stored crowd mask.
    /// Interim: returned compressed until the RLE codec is linked.
    static func uncompressed(_ compressed: CompressedRLE) throws -> Geometry {
        .compressedRLE(compressed)
    }
}
