/// An append-only array stored in fixed blocks of 65,536 elements.
///
/// Unlike `Array`, growing past the first block never reallocates and copies what is already stored,
/// so building a large index never needs twice its size in memory.
struct BlockArray<Element> {
    private static var shift: Int { 16 }
    private static var blockSize: Int { 1 << shift }
    private static var mask: Int { blockSize - 1 }

    private var blocks: [[Element]] = []
    /// Number of elements.
    private(set) var count = 0

    init() {}

    /// Appends `element` at index `count`.
    @inline(__always)
    mutating func append(_ element: Element) {
        if count & Self.mask == 0 {
            // The first block grows as an ordinary array (a small file's index stays small); later
            // ones are allocated whole.
            var block: [Element] = []
            if count > 0 { block.reserveCapacity(Self.blockSize) }
            blocks.append(block)
        }
        blocks[blocks.count - 1].append(element)
        count += 1
    }

    /// The element at `index`. - Precondition: `0 <= index < count`.
    @inline(__always)
    subscript(index: Int) -> Element {
        get { blocks[index >> Self.shift][index & Self.mask] }
        set { blocks[index >> Self.shift][index & Self.mask] = newValue }
    }

    /// Frees every block.
    mutating func removeAll() {
        blocks = []
        count = 0
    }

    /// Bytes held by the elements (for memory accounting).
    var byteCount: Int { blocks.count * Self.blockSize * MemoryLayout<Element>.stride }
}
