import CocoConvertCore

/// Throughput of the RLE kernels on realistic masks: COCO-like polygons (star-shaped, 8–64 vertices,
/// radius 10–200 px) rasterised on a 640×480 image.
enum RLEBench {
    static func polygons(count: Int, width: Int, height: Int) -> [[Double]] {
        var rng = SplitMix64(seed: 42)
        return (0..<count).map { _ in
            let cx = Double.random(in: 0...Double(width), using: &rng)
            let cy = Double.random(in: 0...Double(height), using: &rng)
            let radius = Double.random(in: 10...200, using: &rng)
            let n = Int.random(in: 8...64, using: &rng)
            var xy: [Double] = []
            for i in 0..<n {
                let angle = Double(i) / Double(n) * 2 * Double.pi
                let r = radius * Double.random(in: 0.5...1, using: &rng)
                xy.append((cx + r * cosine(angle) * 100).rounded() / 100)
                xy.append((cy + r * sine(angle) * 100).rounded() / 100)
            }
            return xy
        }
    }

    // Taylor-free trig via the standard library's Float functions is not available without Foundation;
    // a short series is plenty for generating test shapes.
    static func sine(_ x: Double) -> Double {
        var a = x.truncatingRemainder(dividingBy: 2 * Double.pi)
        if a > Double.pi { a -= 2 * Double.pi }
        var term = a, sum = a
        for k in 1..<12 {
            term *= -a * a / Double((2 * k) * (2 * k + 1))
            sum += term
        }
        return sum
    }
    static func cosine(_ x: Double) -> Double { sine(x + Double.pi / 2) }

    /// Best of three runs (the machine is shared; the minimum is the least disturbed).
    static func best(_ clock: ContinuousClock, _ body: () -> Void) -> Duration {
        var result = clock.measure(body)
        for _ in 0..<2 { result = min(result, clock.measure(body)) }
        return result
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }

    static func report(_ name: String, _ d: Duration, pixels: Int, items: Int, unit: String) {
        let s = seconds(d)
        let mb = Double(pixels) / 1e6 / s
        let rate = Double(items) / s
        print("\(name.padding(30)) \(fmt(mb, 1)) MB of mask pixels/s   \(fmt(rate, 0)) \(unit)/s   (\(fmt(s * 1000, 1)) ms)")
    }

    static func fmt(_ v: Double, _ digits: Int) -> String {
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let r = (v * scale).rounded() / scale
        return digits == 0 ? String(Int(r)) : String(r)
    }

    static func run() {
        let width = 640, height = 480, count = 2000
        let clock = ContinuousClock()
        let polys = polygons(count: count, width: width, height: height)

        var rles: [RLE] = []
        rles.reserveCapacity(count)
        let tRaster = best(clock) {
            rles.removeAll(keepingCapacity: true)
            for p in polys {
                if let rle = try? RLE(polygons: [p], height: height, width: width) { rles.append(rle) }
            }
        }
        let pixels = rles.count * width * height
        let runs = rles.reduce(0) { $0 + $1.counts.count }
        let area = rles.reduce(0) { $0 + $1.area }
        print("rle-rows: \(rles.count) polygon masks on \(width)×\(height), \(runs / max(rles.count, 1)) counts and "
              + "\(area / max(rles.count, 1)) px of foreground per mask on average")
        report("polygon → RLE (frPoly)", tRaster, pixels: pixels, items: rles.count, unit: "polygons")

        let strings = rles.map(\.compressedString)
        var checksum = 0
        let tDecode = best(clock) {
            for (s, r) in zip(strings, rles) {
                if let d = try? RLE(compressed: s, height: r.height, width: r.width) { checksum &+= d.counts.count }
            }
        }
        report("string → RLE", tDecode, pixels: pixels, items: rles.count, unit: "masks")

        let tEncode = best(clock) { for r in rles { checksum &+= r.compressedString.utf8.count } }
        report("RLE → string", tEncode, pixels: pixels, items: rles.count, unit: "masks")

        var row = [UInt8](repeating: 0, count: width)
        let tRows = best(clock) {
            row.withUnsafeMutableBufferPointer { buffer in
                for r in rles {
                    var stream = RLERowStream(r)
                    while stream.nextRow(into: buffer) { checksum &+= Int(buffer[width / 2]) }
                }
            }
        }
        report("RLE → rows (nextRow 0/1)", tRows, pixels: pixels, items: rles.count, unit: "masks")

        var labels = [UInt16](repeating: 0, count: width)
        let tPaint = best(clock) {
            labels.withUnsafeMutableBufferPointer { buffer in
                for (i, r) in rles.enumerated() {
                    var stream = RLERowStream(r)
                    while stream.paintNextRow(buffer, value: UInt16(truncatingIfNeeded: i)) {}
                    checksum &+= Int(buffer[width / 3])
                }
            }
        }
        report("RLE → paint UInt16 rows", tPaint, pixels: pixels, items: rles.count, unit: "masks")

        var map = [UInt16](repeating: 0, count: width * height)
        let tPaintMap = best(clock) {
            map.withUnsafeMutableBufferPointer { buffer in
                for (i, r) in rles.enumerated() { r.paint(into: buffer, value: UInt16(truncatingIfNeeded: i)) }
            }
        }
        checksum &+= Int(map[width * height / 2])
        report("RLE → paint dense UInt16 map", tPaintMap, pixels: pixels, items: rles.count, unit: "masks")

        let tDense = best(clock) { for r in rles { checksum &+= r.decodeColumnMajor().count } }
        report("RLE → dense column-major", tDense, pixels: pixels, items: rles.count, unit: "masks")

        // rows → RLE, from label rows (pixels equal to a value).
        let sample = Array(rles.prefix(500))
        let rowsOf: [[UInt16]] = sample.map { r in
            var stream = RLERowStream(r)
            var all = [UInt16](repeating: 0, count: width * height)
            var y = 0
            all.withUnsafeMutableBufferPointer { b in
                while stream.paintNextRow(UnsafeMutableBufferPointer(rebasing: b[(y * width)..<((y + 1) * width)]),
                                          value: 5) { y += 1; if y == height { break } }
            }
            return all
        }
        var matches = 0
        let tRowEncode = best(clock) {
            matches = 0
            for (k, plane) in rowsOf.enumerated() {
                var encoder = RLERowEncoder(height: height, width: width)
                plane.withUnsafeBufferPointer { b in
                    for y in 0..<height {
                        encoder.appendRow(UnsafeBufferPointer(rebasing: b[(y * width)..<((y + 1) * width)]), equalTo: 5)
                    }
                }
                if encoder.finish() == sample[k] { matches += 1 }
            }
        }
        report("UInt16 rows → RLE (encoder)", tRowEncode, pixels: sample.count * width * height, items: sample.count,
               unit: "masks")
        // A label map of 10 instances each → per-value RLEs in one pass.
        let maps: [[UInt16]] = (0..<100).map { m in
            var map = [UInt16](repeating: 0, count: width * height)
            map.withUnsafeMutableBufferPointer { b in
                for k in 0..<10 { rles[(m * 10 + k) % rles.count].paint(into: b, value: UInt16(k + 1)) }
            }
            return map
        }
        var regions = 0
        let tLabelEncode = best(clock) {
            regions = 0
            for map in maps {
                var encoder = RLELabelEncoder(height: height, width: width)
                map.withUnsafeBufferPointer { b in
                    for y in 0..<height { encoder.appendRow(UnsafeBufferPointer(rebasing: b[(y * width)..<((y + 1) * width)])) }
                }
                regions += encoder.finish().count
            }
        }
        report("label map → RLE per value", tLabelEncode, pixels: maps.count * width * height, items: maps.count,
               unit: "maps")
        print("checks: encoder round trip \(matches)/\(sample.count), \(regions) regions, checksum \(checksum)")
    }
}

extension String {
    func padding(_ n: Int) -> String { count >= n ? self : self + String(repeating: " ", count: n - count) }
}
