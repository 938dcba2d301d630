import CocoConvertCore
import Foundation
import Testing
@testable import CocoConvertTar

@Suite("Tar archives: members written and read back, damage detected")
struct TarFormatTests {
    func write(_ members: [(String, [UInt8])], to path: String) throws {
        var bytes: [UInt8] = []
        for (name, contents) in members { TarMemberWriter.append(name: name, contents: contents, to: &bytes) }
        bytes += TarMemberWriter.endOfArchive
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    @Test func longAndNonASCIINamesGoThroughPaxAndComeBack() throws {
        let dir = try Paths.temporaryDirectory("tar")
        let long = String(repeating: "d", count: 150) + ".json"
        let members: [(String, [UInt8])] = [("a.jpg", [1, 2, 3]), (long, Array("{}".utf8)), ("élan.png", []),
                                            ("big.bin", [UInt8](repeating: 7, count: 1000))]
        try write(members, to: dir + "/x.tar")
        let reader = try TarReader(path: dir + "/x.tar")
        for (name, contents) in members {
            let m = try #require(try reader.next())
            #expect(m.name == name)
            #expect(try reader.contents(of: m, maxBytes: 1 << 20) == contents)
        }
        #expect(try reader.next() == nil)
    }

    @Test func headerChecksumIsPOSIXs() {
        // An independent value: GNU tar's header for "a.txt", size 0, mode 0644, uid/gid 0, mtime 0, ustar "00".
        let block = TarHeader.block(name: Array("a.txt".utf8), size: 0)
        #expect(block.count == 512)
        let stored = String(decoding: block[148..<154], as: UTF8.self)
        let sum = block.enumerated().reduce(0) { $0 + ((148..<156).contains($1.offset) ? 32 : Int($1.element)) }
        #expect(stored == String(format: "%06o", sum))
        #expect(Array(block[257..<263]) == Array("ustar\0".utf8))
    }

    @Test func paxRecordLengthCountsItself() {
        #expect(TarMemberWriter.paxRecord("path", "abc") == "12 path=abc\n")
        // 95 bytes of body + "98" fits only with a 3-digit length after the jump to 100.
        let value = String(repeating: "x", count: 93)
        let record = TarMemberWriter.paxRecord("path", value)
        #expect(record.utf8.count == Int(record.split(separator: " ")[0])!)
    }

    @Test func truncatedArchiveNamesMemberAndOffset() throws {
        let dir = try Paths.temporaryDirectory("tar-trunc")
        try write([("a.jpg", [UInt8](repeating: 9, count: 2000)), ("a.json", [1])], to: dir + "/x.tar")
        let whole = try Data(contentsOf: URL(fileURLWithPath: dir + "/x.tar"))
        try whole.prefix(512 + 1000).write(to: URL(fileURLWithPath: dir + "/cut.tar"))
        let reader = try TarReader(path: dir + "/cut.tar")
        let error = #expect(throws: ConversionError.self) { try reader.next() }
        #expect(error?.code == .malformedInput)
        #expect(error?.context.byteOffset == 0)
        #expect(error?.message.contains("truncated inside member 'a.jpg'") == true)
    }

    @Test func cutInsideAHeaderIsTruncation() throws {
        let dir = try Paths.temporaryDirectory("tar-hcut")
        try write([("a.jpg", [1])], to: dir + "/x.tar")
        let whole = try Data(contentsOf: URL(fileURLWithPath: dir + "/x.tar"))
        try (whole.prefix(1024) + Data([0x61, 0x2E])).write(to: URL(fileURLWithPath: dir + "/cut.tar"))
        let reader = try TarReader(path: dir + "/cut.tar")
        _ = try reader.next()
        let error = #expect(throws: ConversionError.self) { try reader.next() }
        #expect(error?.code == .malformedInput && error?.context.byteOffset == 1024)
    }

    @Test func sampleKeysSplitAtTheFirstDotOfTheFileName() {
        #expect(SampleKey.split("a/b.seg.png")! == ("a/b", "seg.png"))
        #expect(SampleKey.split("./x.y/z.jpg")! == ("x.y/z", "jpg"))
        #expect(SampleKey.split("noext") == nil)
        #expect(SampleKey.split(".hidden") == nil)
    }
}
