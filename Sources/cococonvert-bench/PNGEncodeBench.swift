import CocoConvertCore
import CocoConvertPNG
import Foundation

/// Label-map PNG encoding: cococonvert's label-map deflate encoder against libpng + zlib (`Z_RLE`,
/// the previous default, and level 6 default strategy) and Pillow `compress_level=6` (Python, same
/// maps), in ms per map and bytes per map.
///
/// Maps come from the PNGs in a directory, e.g. the output of
/// `cococonvert coco2png /tmp/bench/inst_10k.json /tmp/o/png10kb --labels coco`:
/// `cococonvert-bench png-encode --maps=DIR --limit=N` (defaults: /tmp/o/png10kb if it exists,
/// else ../shared/data/coco-real/oracle_semantic; 300 maps). `--no-python` skips Pillow,
/// `--engine=TEXT` runs only the engines whose name contains TEXT (for profiling).
enum PNGEncodeBench {
    static func option(_ name: String) -> String? {
        CommandLine.arguments.first { $0.hasPrefix("--\(name)=") }.map { String($0.dropFirst(name.count + 3)) }
    }

    /// PNG files under `directory` (recursively), sorted.
    static func pngFiles(_ directory: String) -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: directory) else { return [] }
        var out: [String] = []
        while let f = walker.nextObject() as? String {
            if f.hasSuffix(".png") { out.append(directory + "/" + f) }
        }
        return out.sorted()
    }

    /// CPU time of this thread: the machine is shared, and CPU time is what other jobs do not inflate.
    static func threadCPUSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }

    /// Best of three, in thread CPU seconds.
    static func bestCPUSeconds(_ body: () -> Void) -> Double {
        var best = Double.infinity
        for _ in 0..<3 {
            let start = threadCPUSeconds()
            body()
            best = min(best, threadCPUSeconds() - start)
        }
        return best
    }

    static func defaultDirectory() -> String {
        if FileManager.default.fileExists(atPath: "/tmp/o/png10kb") { return "/tmp/o/png10kb" }
        return FileManager.default.currentDirectoryPath + "/../shared/data/coco-real/oracle_semantic"
    }

    static func run() {
        let directory = option("maps") ?? defaultDirectory()
        let limit = Int(option("limit") ?? "") ?? 300
        let files = Array(pngFiles(directory).prefix(limit))
        var maps: [LabelMap] = []
        for f in files {
            guard let png = try? PNGDecoder.decode(file: f), png.channels == 1 else { continue }
            maps.append(LabelMap(width: png.width, height: png.height, pixels: png.samples))
        }
        guard !maps.isEmpty else {
            print("png-encode: no label maps under \(directory)")
            return
        }
        let pixels = maps.reduce(0) { $0 + $1.pixels.count }
        print("png-encode: \(maps.count) label maps from \(directory), \(pixels / maps.count) px per map on average")

        let engines: [(String, PNGCompression)] = [
            ("libpng zlib Z_RLE level 6 (old default)", .zlibRLE),
            ("libpng zlib default level 6", .pillowLike),
            ("label-map deflate (new default)", .labelMap),
        ]
        let only = option("engine")
        var results = measure(maps, engines.filter { only.map($0.0.contains) ?? true })
        // Correctness spot check of the new encoder on these maps.
        var mismatches = 0
        for m in maps {
            let png = try? PNGEncoder.encode(labelMap: m, palette: nil, compression: .labelMap)
            if png.flatMap({ try? PNGDecoder.decode($0) })?.samples != m.pixels { mismatches += 1 }
        }
        if !CommandLine.arguments.contains("--no-python"), let pillow = pillow(files: files) {
            results.append(("Pillow compress_level=6 (python)", pillow.ms, pillow.bytes))
        }
        table(results)
        print("label-map deflate round trip: \(maps.count - mismatches)/\(maps.count) maps decode exactly")

        // The same shapes as 16-bit maps (every non-zero label + 300), as instance maps with many objects.
        print("16-bit gray (labels + 300):")
        let wide = maps.map { m in LabelMap(width: m.width, height: m.height, pixels: m.pixels.map { $0 == 0 ? 0 : $0 &+ 300 }) }
        table(measure(wide, engines.filter { $0.1 != .pillowLike && (only.map($0.0.contains) ?? true) }))
    }

    /// Encodes every map with every engine: (name, ms per map, bytes per map).
    static func measure(_ maps: [LabelMap], _ engines: [(String, PNGCompression)]) -> [(String, Double, Double)] {
        var results: [(String, Double, Double)] = []
        for (name, compression) in engines {
            var bytes = 0
            let seconds = bestCPUSeconds {
                bytes = 0
                for m in maps { bytes += (try? PNGEncoder.encode(labelMap: m, palette: nil, compression: compression).count) ?? 0 }
            }
            results.append((name, seconds * 1000 / Double(maps.count), Double(bytes) / Double(maps.count)))
        }
        return results
    }

    static func table(_ results: [(String, Double, Double)]) {
        guard let base = results.first?.1 else { return }
        print("engine".padding(44) + "ms/map".padding(10) + "bytes/map".padding(12) + "speed vs first row")
        for (name, ms, bytes) in results {
            print(name.padding(44) + RLEBench.fmt(ms, 3).padding(10) + RLEBench.fmt(bytes, 0).padding(12)
                  + RLEBench.fmt(base / ms, 2) + "x")
        }
    }

    /// Pillow's encode time and size on the same files (decoded once, saved to memory at level 6;
    /// best of three like the Swift side). Nil when python3/Pillow is unavailable.
    static func pillow(files: [String]) -> (ms: Double, bytes: Double)? {
        let script = """
        import io, sys, time
        from PIL import Image
        ims = []
        for f in sys.stdin.read().split("\\n"):
            if f:
                im = Image.open(f); im.load(); ims.append(im)
        best = None
        for _ in range(3):
            total = 0
            t = time.thread_time()
            for im in ims:
                b = io.BytesIO(); im.save(b, format="PNG", compress_level=6); total += b.tell()
            t = time.thread_time() - t
            best = t if best is None else min(best, t)
        print(best * 1000 / len(ims), total / len(ims))
        """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        input.fileHandleForWriting.write(Data(files.joined(separator: "\n").utf8))
        try? input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let fields = String(decoding: data, as: UTF8.self).split(separator: " ").compactMap {
            Double($0.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        guard process.terminationStatus == 0, fields.count == 2 else { return nil }
        return (fields[0], fields[1])
    }
}
