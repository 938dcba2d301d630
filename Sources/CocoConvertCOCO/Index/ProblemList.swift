import CocoConvertCore

/// Problems collected during a scan: all of them up to a cap, and how many there were.
struct ProblemList {
    /// How many problems are kept (`nil`: all).
    let cap: Int?
    private(set) var items: [ConversionError] = []
    private(set) var count = 0

    init(cap: Int?) {
        self.cap = cap
    }

    mutating func append(_ problem: ConversionError) {
        count += 1
        if let cap, items.count >= cap { return }
        items.append(problem)
    }

    /// The kept problems in file order (by byte offset, stable).
    var sortedItems: [ConversionError] {
        items.enumerated().sorted {
            let a = $0.element.context.byteOffset ?? Int.max
            let b = $1.element.context.byteOffset ?? Int.max
            return a != b ? a < b : $0.offset < $1.offset
        }.map(\.element)
    }
}
