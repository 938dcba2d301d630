import CocoConvertCore
import CocoConvertDeflate

/// The element type of the `labels` dataset.
public enum HDF5LabelType: String, Sendable, CaseIterable {
    case uint8
    case uint16

    var numeric: HDF5Numeric { self == .uint8 ? .uint8 : .uint16 }
    var maxValue: UInt16 { self == .uint8 ? 255 : .max }
    var byteCount: Int { self == .uint8 ? 1 : 2 }
}

/// One finished chunk of the `labels` dataset, ready for `H5Dwrite_chunk`.
struct EncodedChunk: Sendable {
    /// Tile row and column inside the sample (element offset = index × tile size).
    var tileRow: Int
    var tileColumn: Int
    /// The chunk after the filter pipeline.
    var data: [UInt8]
    /// Bit i set: filter i of the pipeline was not applied (deflate skipped when it did not help).
    var filterMask: UInt32
}

/// Cuts a label map into `(1, tile.height, tile.width)` chunks padded with the ignore value, and runs
/// HDF5's filter pipeline on them (shuffle, then deflate) so `commit` only hands bytes to the library.
///
/// Runs on worker threads: it holds no HDF5 state. HDF5's shuffle filter stores all first bytes of the
/// elements, then all second bytes; deflate is a zlib stream. Chunks come out exactly as the library
/// would have produced them from a hyperslab write, and read back the same way in h5py.
struct LabelChunker: Sendable {
    let tile: HDF5Size
    let type: HDF5LabelType
    /// Value of padding pixels (the ignore index).
    let fill: UInt16
    let compression: HDF5Compression

    /// Index of the deflate filter in the pipeline (shuffle is 0).
    static let deflateFilterIndex: UInt32 = 1

    /// Chunks covering a `width × height` row-major map, tile rows first; `tooLarge` is the largest
    /// pixel value when some value does not fit the element type (the chunks are then unusable).
    func chunks(pixels: [UInt16], width: Int, height: Int) -> (chunks: [EncodedChunk], tooLarge: UInt16?) {
        guard width > 0, height > 0 else { return ([], nil) }
        let tilesDown = (height + tile.height - 1) / tile.height
        let tilesAcross = (width + tile.width - 1) / tile.width
        var out: [EncodedChunk] = []
        out.reserveCapacity(tilesDown * tilesAcross)
        let elements = tile.height * tile.width
        var raw = [UInt8](repeating: 0, count: elements * type.byteCount)
        for ty in 0..<tilesDown {
            for tx in 0..<tilesAcross {
                let bits = fillTile(&raw, pixels: pixels, width: width, height: height, y0: ty * tile.height, x0: tx * tile.width)
                if type == .uint8, bits > 0xFF {
                    return ([], pixels.max())
                }
                out.append(encode(raw, tileRow: ty, tileColumn: tx))
            }
        }
        return (out, nil)
    }

    /// Copies the part of the map under tile (y0, x0) into `raw` in on-disk (shuffled when filtered) byte
    /// order; returns the bitwise OR of the values copied (above 0xFF: some value needs 16 bits).
    private func fillTile(_ raw: inout [UInt8], pixels: [UInt16], width: Int, height: Int, y0: Int, x0: Int) -> UInt16 {
        let rows = min(tile.height, height - y0)
        let columns = min(tile.width, width - x0)
        let elements = tile.height * tile.width
        let shuffled = compression != .none
        let fillLow = UInt8(truncatingIfNeeded: fill)
        var orAll: UInt16 = 0
        raw.withUnsafeMutableBufferPointer { out in
            pixels.withUnsafeBufferPointer { src in
                // Plain pointer loops (wrapping index arithmetic) so the copies vectorise; every index
                // stays inside the tile and the map by construction of rows/columns above.
                guard let outBase = out.baseAddress, let srcBase = src.baseAddress else { return }
                switch type {
                case .uint8:
                    for y in 0..<tile.height {
                        let o = outBase + y &* tile.width
                        var x = 0
                        if y < rows {
                            let r = srcBase + ((y0 &+ y) &* width &+ x0)
                            var bits: UInt16 = 0
                            while x < columns {
                                let v = r[x]
                                bits |= v
                                o[x] = UInt8(truncatingIfNeeded: v)
                                x &+= 1
                            }
                            orAll |= bits
                        }
                        if x < tile.width { (o + x).update(repeating: fillLow, count: tile.width &- x) }
                    }
                case .uint16:
                    // Shuffled: low bytes in [0, n), high bytes in [n, 2n). Plain: little-endian pairs.
                    let lowStride = shuffled ? 1 : 2
                    let high = outBase + (shuffled ? elements : 1)
                    let fillLowByte = UInt8(truncatingIfNeeded: fill), fillHighByte = UInt8(truncatingIfNeeded: fill >> 8)
                    for y in 0..<tile.height {
                        let e = y &* tile.width
                        var x = 0
                        if y < rows {
                            let r = srcBase + ((y0 &+ y) &* width &+ x0)
                            while x < columns {
                                let v = r[x]
                                outBase[(e &+ x) &* lowStride] = UInt8(truncatingIfNeeded: v)
                                high[(e &+ x) &* lowStride] = UInt8(truncatingIfNeeded: v >> 8)
                                x &+= 1
                            }
                        }
                        while x < tile.width {
                            outBase[(e &+ x) &* lowStride] = fillLowByte
                            high[(e &+ x) &* lowStride] = fillHighByte
                            x &+= 1
                        }
                    }
                }
            }
        }
        return orAll
    }

    private func encode(_ raw: [UInt8], tileRow: Int, tileColumn: Int) -> EncodedChunk {
        guard let level = compression.deflateLevel else {
            return EncodedChunk(tileRow: tileRow, tileColumn: tileColumn, data: raw, filterMask: 0)
        }
        let packed = compression.labelMapEncoder ? labelMapDeflate(raw) : HDF5Deflate.compress(raw, level: level)
        if let packed {
            return EncodedChunk(tileRow: tileRow, tileColumn: tileColumn, data: packed, filterMask: 0)
        }
        // Deflate did not help (or failed): store the shuffled bytes and mark deflate as skipped.
        return EncodedChunk(tileRow: tileRow, tileColumn: tileColumn, data: raw,
                            filterMask: 1 << Self.deflateFilterIndex)
    }

    /// The chunk through the label-map encoder: tile rows (both byte planes of a shuffled `uint16`
    /// tile are `tile.width`-byte rows) matched against the pixel to the left and the row above;
    /// `nil` when that is not smaller.
    private func labelMapDeflate(_ raw: [UInt8]) -> [UInt8]? {
        let packed = raw.withUnsafeBufferPointer { bytes in
            var adler = Adler32()
            adler.append(bytes)
            return LabelMapDeflate.compress(bytes, stride: tile.width, bytesPerPixel: 1,
                                            rowFlags: UnsafeBufferPointer(start: nil, count: 0), adler: adler.value)
        }
        return packed.count < raw.count ? packed : nil
    }
}
