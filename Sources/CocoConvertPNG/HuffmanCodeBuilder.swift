/// Length-limited canonical Huffman codes for deflate (RFC 1951 §3.2.2).
///
/// Code lengths come from the package-merge algorithm (Larmore & Hirschberg), which gives the
/// optimal prefix code under a maximum length (15 bits for literal/length and distance codes,
/// 7 for the code-length code). Codes are returned bit-reversed, ready for deflate's LSB-first
/// bit order. Scratch memory is owned by the builder and reused between calls.
struct HuffmanCodeBuilder {
    /// Symbols in use: (frequency, symbol), sorted ascending.
    private var leaves: [(weight: UInt64, symbol: Int)] = []
    /// Item weights of the current and previous package-merge lists.
    private var current: [UInt64] = []
    private var previous: [UInt64] = []
    /// Per list level, whether each merged item is a leaf (1) or a package (0); `levelStart[j]`
    /// indexes the first flag of level j.
    private var isLeaf: [UInt8] = []
    private var levelStart: [Int] = []

    init() {
        leaves.reserveCapacity(288)
        current.reserveCapacity(576)
        previous.reserveCapacity(576)
        isLeaf.reserveCapacity(16 * 576)
        levelStart.reserveCapacity(16)
    }

    /// Fills `lengths` (same count as `frequencies`) with code lengths of at most `limit` bits;
    /// symbols of frequency 0 get length 0.
    ///
    /// The caller guarantees at least two non-zero frequencies (deflate decoders expect complete
    /// codes) and fewer than 2^limit symbols; with a single symbol it gets length 1.
    mutating func lengths(frequencies: UnsafeBufferPointer<UInt32>, limit: Int,
                          into lengths: UnsafeMutableBufferPointer<UInt8>) {
        for i in lengths.indices { lengths[i] = 0 }
        leaves.removeAll(keepingCapacity: true)
        for (symbol, f) in frequencies.enumerated() where f > 0 {
            leaves.append((UInt64(f), symbol))
        }
        let n = leaves.count
        if n == 0 { return }
        if n == 1 {
            lengths[leaves[0].symbol] = 1
            return
        }
        leaves.sort { $0.weight != $1.weight ? $0.weight < $1.weight : $0.symbol < $1.symbol }

        // Level 0 is the leaves alone; level j merges the leaves with the pairs of level j − 1.
        // Each list is shorter than 2n, so nothing needs trimming.
        isLeaf.removeAll(keepingCapacity: true)
        levelStart.removeAll(keepingCapacity: true)
        previous.removeAll(keepingCapacity: true)
        levelStart.append(0)
        for leaf in leaves {
            previous.append(leaf.weight)
            isLeaf.append(1)
        }
        let levels = max(1, limit)
        for _ in 1..<levels {
            levelStart.append(isLeaf.count)
            current.removeAll(keepingCapacity: true)
            let packages = previous.count / 2
            var leafIndex = 0
            var packageIndex = 0
            while leafIndex < n || packageIndex < packages {
                let packageWeight = packageIndex < packages
                    ? previous[2 * packageIndex] &+ previous[2 * packageIndex + 1] : UInt64.max
                if leafIndex < n && leaves[leafIndex].weight <= packageWeight {
                    current.append(leaves[leafIndex].weight)
                    isLeaf.append(1)
                    leafIndex += 1
                } else {
                    current.append(packageWeight)
                    isLeaf.append(0)
                    packageIndex += 1
                }
            }
            swap(&current, &previous)
        }

        // Take the first 2n − 2 items of the last list; every leaf among the chosen items of a
        // level gains one bit, and the chosen packages choose twice as many items one level down.
        var chosen = 2 * n - 2
        var level = levels - 1
        while level >= 0 && chosen > 0 {
            let start = levelStart[level]
            let end = level + 1 < levelStart.count ? levelStart[level + 1] : isLeaf.count
            let take = min(chosen, end - start)
            var leafCount = 0
            for k in start..<(start + take) where isLeaf[k] == 1 { leafCount += 1 }
            for i in 0..<leafCount { lengths[leaves[i].symbol] &+= 1 }
            chosen = 2 * (take - leafCount)
            level -= 1
        }
    }

    /// Canonical codes for `lengths` (RFC 1951 §3.2.2), bit-reversed for LSB-first output.
    static func codes(lengths: UnsafeBufferPointer<UInt8>, into codes: UnsafeMutableBufferPointer<UInt16>) {
        var count = [UInt16](repeating: 0, count: 16)
        for l in lengths where l > 0 && l < 16 { count[Int(l)] &+= 1 }
        var next = [UInt16](repeating: 0, count: 16)
        var code: UInt16 = 0
        for bits in 1..<16 {
            code = (code &+ count[bits - 1]) << 1
            next[bits] = code
        }
        for (symbol, l) in lengths.enumerated() {
            let length = Int(l)
            guard length > 0 && length < 16 else {
                codes[symbol] = 0
                continue
            }
            codes[symbol] = reverse(next[length], bits: length)
            next[length] &+= 1
        }
    }

    /// The low `bits` bits of `value` in reverse order.
    @inline(__always)
    static func reverse(_ value: UInt16, bits: Int) -> UInt16 {
        var v = value
        var r: UInt16 = 0
        for _ in 0..<bits {
            r = (r << 1) | (v & 1)
            v >>= 1
        }
        return r
    }
}
