// Union and intersection of masks (maskApi.c `rleMerge`).

extension RLE {
    /// The union (`intersect == false`) or intersection of `rles`, as pycocotools `merge`.
    ///
    /// Linear in the total number of runs. Like pycocotools: no input gives an empty 0×0 RLE, one input
    /// is returned unchanged, and masks of different sizes give an empty 0×0 RLE (check sizes first if that
    /// matters). Inputs whose counts do not add up to the same total are treated like a size mismatch.
    /// The result is canonical (no zero-length runs except a leading 0); for canonical inputs the counts
    /// equal pycocotools' bit for bit.
    public static func merge(_ rles: [RLE], intersect: Bool = false) -> RLE {
        guard let first = rles.first else { return RLE(height: 0, width: 0, counts: []) }
        if rles.count == 1 { return first }
        let total = first.countSum
        for other in rles.dropFirst() {
            if other.height != first.height || other.width != first.width || other.countSum != total {
                return RLE(height: 0, width: 0, counts: [])
            }
        }
        var accumulated = first.counts
        for other in rles.dropFirst() {
            accumulated = mergeCounts(accumulated, other.counts, intersect: intersect)
        }
        return RLE(height: first.height, width: first.width, counts: accumulated)
    }

    /// Merges two run lists of equal total; the output starts with a background run (possibly 0).
    static func mergeCounts(_ a: [UInt32], _ b: [UInt32], intersect: Bool) -> [UInt32] {
        var out: [UInt32] = []
        out.reserveCapacity(a.count + b.count + 1)
        var value = false
        var run: UInt32 = 0
        walkPair(a, b) { length, va, vb in
            let v = intersect ? (va && vb) : (va || vb)
            if v == value {
                run &+= length
            } else {
                out.append(run)
                value = v
                run = length
            }
        }
        out.append(run)
        return out
    }
}
