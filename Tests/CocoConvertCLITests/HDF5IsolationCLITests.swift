import Foundation
import CocoConvertCore
import Testing

/// libhdf5 trusts the files it reads: a changed byte in a shard's global heap (variable-length
/// strings) or fractal heap (the group's link table) can make it segfault or abort. Through the
/// command line every shard is first read by a child process (`IsolatedCheck`), so such a shard is
/// an error naming it, never a crash of the conversion.
@Suite struct HDF5IsolationCLITests {
    /// One shard of the coco-mini example (8 images, 172 annotations), written by the binary.
    static func shard(in directory: URL) throws -> URL {
        let out = directory.appendingPathComponent("shards")
        let run = try runCococonvert(["coco2hdf5", CLI.cocoMini.path, out.path, "--shard", "8", "-q"])
        try #require(run.status == 0, "\(run)")
        let name = try #require(try FileManager.default.contentsOfDirectory(atPath: out.path).first { $0.hasSuffix(".h5") })
        return out.appendingPathComponent(name)
    }

    /// The byte ranges libhdf5 reads without a checksum: global heap collections ("GCOL", the
    /// strings) and fractal heap direct blocks ("FHDB", the links of groups with many members).
    static func uncheckedRegions(_ bytes: [UInt8]) -> [Range<Int>] {
        var regions: [Range<Int>] = []
        for signature in ["GCOL", "FHDB"].map({ Array($0.utf8) }) {
            var i = 0
            while i + 16 <= bytes.count {
                if bytes[i] == signature[0] && Array(bytes[i..<(i + 4)]) == signature {
                    var length = 512
                    if signature[0] == UInt8(ascii: "G") {
                        length = Int(bytes[(i + 8)..<(i + 16)].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) } & 0xFFFF_FFFF)
                        length = max(16, min(length, 1 << 20))
                    }
                    regions.append(i..<min(bytes.count, i + length))
                }
                i += 1
            }
        }
        return regions
    }

    static func crc32(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        var table = [UInt32](repeating: 0, count: 256)
        for n in 0..<256 {
            var c = UInt32(n)
            for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
            table[n] = c
        }
        var crc: UInt32 = 0xFFFF_FFFF
        for b in bytes { crc = table[Int((crc ^ UInt32(b)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }

    /// `bytes` with one or two bytes changed in an unchecked region, and the seal recomputed (a
    /// change the seal cannot see) or blanked (the documented way to accept a hand edit).
    static func mutate(_ bytes: [UInt8], regions: [Range<Int>], using g: inout SplitMix64) -> [UInt8] {
        var m = bytes
        for _ in 0..<(Int.random(in: 0..<3, using: &g) == 0 ? 2 : 1) {
            let region = regions.randomElement(using: &g)!
            let p = Int.random(in: region, using: &g)
            m[p] = Bool.random(using: &g) ? UInt8.random(in: 0...255, using: &g) : m[p] ^ (1 << UInt8.random(in: 0..<8, using: &g))
        }
        var seal = [UInt8](repeating: 0, count: 512)
        if Bool.random(using: &g) {
            let hex = String(crc32(m[512...]), radix: 16)
            let line = Array("cococonvert-hdf5 seal 1 size=\(m.count - 512) crc32=\(String(repeating: "0", count: 8 - hex.count) + hex)\n".utf8)
            seal.replaceSubrange(0..<line.count, with: line)
        }
        m.replaceSubrange(0..<512, with: seal)
        return m
    }

    @Test("hdf52coco on shards with bytes changed in the global heap or link table exits 0 or 65, never by a signal; corrupt shards are named",
          arguments: 0..<4)
    func mutatedShards(part: Int) throws {
        try withTemporaryDirectory { directory in
            let shard = try Self.shard(in: directory)
            let original = [UInt8](try Data(contentsOf: shard))
            let regions = Self.uncheckedRegions(original)
            try #require(!regions.isEmpty, "no global heap in the shard")
            var g = SplitMix64(seed: 0xC0C0_0015 &+ UInt64(part))
            let input = directory.appendingPathComponent("in")
            try FileManager.default.createDirectory(at: input, withIntermediateDirectories: true)
            let target = input.appendingPathComponent(shard.lastPathComponent)
            var counts: [Int32: Int] = [:]
            var crashesCaught = 0
            for k in 0..<75 {
                try Data(Self.mutate(original, regions: regions, using: &g)).write(to: target)
                let output = directory.appendingPathComponent("out-\(k).json").path
                let run = try runCococonvert(["hdf52coco", input.path, output, "-q"], timeout: 120)
                counts[run.status, default: 0] += 1
                #expect(run.status == 0 || run.status == 65, "mutation \(part)/\(k): \(run)")
                if run.status == 65 {
                    #expect(run.stderr.contains(shard.lastPathComponent), "mutation \(part)/\(k) does not name the shard: \(run)")
                }
                if run.stderr.contains("shard is corrupt") { crashesCaught += 1 }
                try? FileManager.default.removeItem(atPath: output)
            }
            print("HDF5 mutations part \(part): exit statuses \(counts.sorted { $0.key < $1.key }), corrupt shards refused (heap check or libhdf5 crash in the child): \(crashesCaught)")
        }
    }

    @Test("A damaged global heap is refused before libhdf5 sees it, with a message naming the shard and the offset")
    func namesTheDamage() throws {
        try withTemporaryDirectory { directory in
            let shard = try Self.shard(in: directory)
            let original = [UInt8](try Data(contentsOf: shard))
            let regions = Self.uncheckedRegions(original).filter { original[$0.lowerBound] == UInt8(ascii: "G") }
            var g = SplitMix64(seed: 7)
            let input = directory.appendingPathComponent("in")
            try FileManager.default.createDirectory(at: input, withIntermediateDirectories: true)
            let target = input.appendingPathComponent(shard.lastPathComponent)
            for k in 0..<200 {
                try Data(Self.mutate(original, regions: regions, using: &g)).write(to: target)
                let run = try runCococonvert(["hdf52coco", target.path, directory.appendingPathComponent("o.json").path, "-q", "--overwrite"])
                #expect(run.status == 0 || run.status == 65, "\(k): \(run)")
                if run.stderr.contains("shard is corrupt") {
                    #expect(run.status == 65)
                    #expect(run.stderr.contains(target.lastPathComponent), "\(run)")
                    #expect(run.stderr.contains("global heap collection at byte") || run.stderr.contains("libhdf5 crashed reading it"), "\(run)")
                    return
                }
            }
            Issue.record("no mutation of the global heap was found corrupt")
        }
    }

    @Test("coco2hdf5 onto a full file system exits 1 with the error, not in libhdf5's exit handler (needs mount; skipped without it)")
    func fullDisk() throws {
        try withTemporaryDirectory { directory in
            let mountPoint = directory.appendingPathComponent("small")
            try FileManager.default.createDirectory(at: mountPoint, withIntermediateDirectories: true)
            let mount = try runTool("/bin/mount", ["-t", "tmpfs", "-o", "size=48k", "tmpfs", mountPoint.path])
            guard mount == 0 else {
                print("fullDisk: mount not permitted here (status \(mount)); skipped")
                return
            }
            defer { _ = try? runTool("/bin/umount", [mountPoint.path]) }
            for embed in [false, true] {
                let out = mountPoint.appendingPathComponent("out")
                let run = try runCococonvert(["coco2hdf5", CLI.cocoMini.path, out.path, "--shard", "4", "--compression", "none", "-q"]
                                                 + (embed ? ["--embed-images"] : []))
                #expect(run.status == 1, "\(run)")
                #expect(run.stderr.contains("No space left") || run.stderr.lowercased().contains("space"), "\(run)")
                #expect(tree(mountPoint).isEmpty, "left behind: \(tree(mountPoint))")
            }
        }
    }

    private func runTool(_ path: String, _ arguments: [String]) throws -> Int32 {
        guard FileManager.default.isExecutableFile(atPath: path) else { return -1 }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }
}
