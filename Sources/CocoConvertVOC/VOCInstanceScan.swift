import CocoConvertCore

/// One pass over an object map (and its class map): per instance value, the pixel count, the
/// tight box and the class under it.
///
/// Instance values are every value except 0 (background) and 255 (void). The class of an instance
/// is the class value covering most of its pixels, class 0 and 255 not counted; a tie goes to the
/// smaller class value; `nil` when only 0/255 lie under it (or there is no class map).
struct VOCInstanceScan {
    struct Entry {
        var value: UInt32
        var pixels = 0
        var minX = Int.max, minY = Int.max, maxX = -1, maxY = -1
        var majorityClass: UInt32?

        /// The pycocotools `toBbox` of the instance's pixels: `[x, y, w, h]` of the tight box.
        var boundingBox: BoundingBox {
            guard pixels > 0 else { return BoundingBox(x: 0, y: 0, width: 0, height: 0) }
            return BoundingBox(x: Double(minX), y: Double(minY), width: Double(maxX - minX + 1), height: Double(maxY - minY + 1))
        }
    }

    /// Instances in ascending value order.
    private(set) var entries: [Entry] = []

    init(objects: [UInt32], classes: [UInt32]?, width: Int) {
        precondition(classes == nil || classes?.count == objects.count)
        var smallSlots = [Int32](repeating: -1, count: 256)
        var largeSlots: [UInt32: Int32] = [:]
        // Class histograms: 256 counters per instance for class values < 256, a dictionary beyond.
        var histogram: [UInt32] = []
        var largeClasses: [UInt64: UInt32] = [:]
        var found: [Entry] = []
        objects.withUnsafeBufferPointer { objects in
            var x = 0, y = 0
            for i in 0..<objects.count {
                let v = objects[i]
                if v != 0 && v != 255 {
                    var slot: Int32
                    if v < 256 {
                        slot = smallSlots[Int(v)]
                    } else {
                        slot = largeSlots[v] ?? -1
                    }
                    if slot < 0 {
                        slot = Int32(found.count)
                        found.append(Entry(value: v))
                        histogram.append(contentsOf: repeatElement(0, count: 256))
                        if v < 256 { smallSlots[Int(v)] = slot } else { largeSlots[v] = slot }
                    }
                    let s = Int(slot)
                    found[s].pixels &+= 1
                    if x < found[s].minX { found[s].minX = x }
                    if x > found[s].maxX { found[s].maxX = x }
                    if y < found[s].minY { found[s].minY = y }
                    found[s].maxY = y
                    if let classes {
                        let c = classes[i]
                        if c < 256 {
                            histogram[s &* 256 &+ Int(c)] &+= 1
                        } else {
                            largeClasses[UInt64(s) << 32 | UInt64(c), default: 0] &+= 1
                        }
                    }
                }
                x &+= 1
                if x == width {
                    x = 0
                    y &+= 1
                }
            }
        }
        if classes != nil {
            for s in found.indices {
                var best: UInt32?
                var bestCount: UInt32 = 0
                for c in 1..<255 {
                    let n = histogram[s * 256 + c]
                    if n > bestCount {
                        best = UInt32(c)
                        bestCount = n
                    }
                }
                for (key, n) in largeClasses where key >> 32 == UInt64(s) {
                    let c = UInt32(truncatingIfNeeded: key)
                    if n > bestCount || (n == bestCount && best.map { c < $0 } == true) {
                        best = c
                        bestCount = n
                    }
                }
                found[s].majorityClass = best
            }
        }
        entries = found.sorted { $0.value < $1.value }
    }
}
