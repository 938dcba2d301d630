/// Length-limited canonical Huffman codes for deflate (RFC 1951 §3.2.2).
///
/// Code lengths come from an ordinary Huffman tree when it is shallow enough, else from the
/// package-merge algorithm (Larmore & Hirschberg), which gives the optimal prefix code under a
/// maximum length (15 bits for literal/length and distance codes, 7 for the code-length code). Codes are returned bit-reversed, ready for deflate's LSB-first
/// bit order. Scratch memory is owned by the builder and reused between calls.
struct HuffmanCodeBuilder {
    /// Symbols in use as `frequency << 9 | symbol`, sorted ascending (by frequency, then symbol).
    private var leaves: [UInt64] = []
    /// Huffman tree scratch: weights of internal nodes, parent of every node, depth of every node.
    private var nodeWeight: [UInt64] = []
    private var parent: [Int32] = []
    private var depth: [UInt8] = []
    /// Package-merge scratch: item weights of the current and previous lists; per level, whether
    /// each merged item is a leaf (1) or a package (0); `levelStart[j]` indexes level j's flags.
    private var current: [UInt64] = []
    private var previous: [UInt64] = []
    private var isLeaf: [UInt8] = []
    private var levelStart: [Int] = []

    init() {
        leaves.reserveCapacity(288)
        nodeWeight = [UInt64](repeating: 0, count: 2 * 288)
        parent = [Int32](repeating: 0, count: 2 * 288)
        depth = [UInt8](repeating: 0, count: 2 * 288)
    }

    /// Fills `lengths` (same count as `frequencies`, at most 288) with code lengths of at most
    /// `limit` bits; symbols of frequency 0 get length 0.
    ///
    /// An ordinary Huffman tree first (two queues over the sorted leaves); only when it is deeper
    /// than `limit` the optimal limited code by package-merge. The caller guarantees at least two
    /// non-zero frequencies (deflate decoders expect complete codes) and fewer than 2^limit
    /// symbols; a single symbol gets length 1.
    mutating func lengths(frequencies: UnsafeBufferPointer<UInt32>, limit: Int,
                          into lengths: UnsafeMutableBufferPointer<UInt8>) {
        for i in lengths.indices { lengths[i] = 0 }
        leaves.removeAll(keepingCapacity: true)
        for (symbol, f) in frequencies.prefix(288).enumerated() where f > 0 {
            leaves.append(UInt64(f) << 9 | UInt64(symbol))
        }
        let n = leaves.count
        if n == 0 { return }
        if n == 1 {
            lengths[Int(leaves[0] & 511)] = 1
            return
        }
        leaves.sort()
        if huffmanDepths(n: n, limit: limit) {
            for i in 0..<n { lengths[Int(leaves[i] & 511)] = depth[i] }
            return
        }
        packageMerge(n: n, limit: limit, into: lengths)
    }

    /// Builds the Huffman tree of the sorted leaves (nodes 0..<n are the leaves, n..<2n−1 the
    /// internal nodes in creation order) and sets `depth`; false if a leaf is deeper than `limit`.
    private mutating func huffmanDepths(n: Int, limit: Int) -> Bool {
        leaves.withUnsafeBufferPointer { leaf in
        nodeWeight.withUnsafeMutableBufferPointer { weight in
        parent.withUnsafeMutableBufferPointer { parent in
        depth.withUnsafeMutableBufferPointer { depth in
            var nextLeaf = 0
            var nextNode = n      // oldest internal node not yet in the tree
            var created = n       // next internal node
            // Takes the lighter of the next leaf and the next internal node (leaves first on ties).
            func take() -> (Int, UInt64) {
                if nextLeaf < n && (nextNode == created || leaf[nextLeaf] >> 9 <= weight[nextNode]) {
                    nextLeaf += 1
                    return (nextLeaf - 1, leaf[nextLeaf - 1] >> 9)
                }
                nextNode += 1
                return (nextNode - 1, weight[nextNode - 1])
            }
            while created < 2 * n - 1 {
                let (a, wa) = take()
                let (b, wb) = take()
                weight[created] = wa &+ wb
                parent[a] = Int32(created)
                parent[b] = Int32(created)
                created += 1
            }
            let root = 2 * n - 2
            depth[root] = 0
            var deepest = 0
            for node in stride(from: root - 1, through: 0, by: -1) {
                let d = Int(depth[Int(parent[node])]) + 1
                depth[node] = UInt8(truncatingIfNeeded: min(d, 255))
                if node < n && d > deepest { deepest = d }
            }
            return deepest <= limit
        }}}}
    }

    /// Optimal code lengths of at most `limit` bits by package-merge (Larmore & Hirschberg).
    private mutating func packageMerge(n: Int, limit: Int, into lengths: UnsafeMutableBufferPointer<UInt8>) {
        // Level 0 is the leaves alone; level j merges the leaves with the pairs of level j − 1.
        // Each list is shorter than 2n, so nothing needs trimming.
        isLeaf.removeAll(keepingCapacity: true)
        levelStart.removeAll(keepingCapacity: true)
        previous.removeAll(keepingCapacity: true)
        levelStart.append(0)
        for leaf in leaves {
            previous.append(leaf >> 9)
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
                if leafIndex < n && leaves[leafIndex] >> 9 <= packageWeight {
                    current.append(leaves[leafIndex] >> 9)
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
            for i in 0..<leafCount { lengths[Int(leaves[i] & 511)] &+= 1 }
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
