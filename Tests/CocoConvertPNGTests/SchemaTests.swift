import CocoConvertCore
import CocoConvertLabels
import Foundation
import Testing

@Suite("Label schemas")
struct SchemaTests {
    @Test("cocoStuff171: 171 classes, train ids 0...170 in id order, unused thing ids left out, 255 unlabeled")
    func cocoStuff171() {
        let s = LabelSchema.cocoStuff171
        #expect(s.entries.count == 171)
        #expect(s.entries.map(\.value) == (0..<171).map(UInt32.init))
        #expect(s.value(forCategory: 1) == 0)
        #expect(s.value(forCategory: 11) == 10)
        #expect(s.value(forCategory: 12) == nil)
        #expect(s.value(forCategory: 13) == 11)
        // mmseg clsID_to_trID is keyed by stuffthingmaps values (id − 1): 26 → 24, 27 → 25, 30 → 26.
        #expect(s.value(forCategory: 27) == 24)
        #expect(s.value(forCategory: 28) == 25)
        #expect(s.value(forCategory: 29) == nil)
        #expect(s.value(forCategory: 31) == 26)
        #expect(s.value(forCategory: 92) == 80)  // first stuff class, banner
        #expect(s.value(forCategory: 182) == 170)
        #expect(s.value(forCategory: 183) == nil)
        #expect(s.entry(forValue: 80)?.name == "banner")
        #expect(s.background == 255 && s.ignoreIndex == 255)
    }

    @Test("voc21: torchvision's CAT_LIST")
    func voc21() {
        let s = LabelSchema.voc21
        #expect(s.entries.count == 20)
        #expect(s.value(forCategory: 5) == 1)    // airplane → aeroplane
        #expect(s.value(forCategory: 1) == 15)   // person
        #expect(s.value(forCategory: 72) == 20)  // tv → tvmonitor
        #expect(s.value(forCategory: 27) == nil) // backpack: not VOC
        #expect(s.entry(forValue: 15)?.name == "person")
        #expect(s.background == 0 && s.ignoreIndex == 255)
    }

    @Test("contiguous skips background and ignore values; cocoIDs keeps ids")
    func builders() {
        let many = (1...300).map { Category(id: Int64($0 * 2), name: "c\($0)") }
        let c = LabelSchema.contiguous(many)
        #expect(c.entries[0].value == 1)
        #expect(c.entries[253].value == 254)
        #expect(c.entries[254].value == 256)
        #expect(!c.entries.contains { $0.value == 255 || $0.value == 0 })
        #expect(LabelSchema.cocoIDs(many).value(forCategory: 600) == 600)
    }

    @Test("mapping files: JSON object, JSON array, text")
    func files() throws {
        let dir = try TestData.temporaryDirectory("schema")
        defer { try? FileManager.default.removeItem(at: dir) }
        let cats = [Category(id: 1, name: "person"), Category(id: 3, name: "car")]
        let a = dir.appendingPathComponent("a.json")
        try Data(#"{"1": 7, "3": {"value": 8, "name": "auto"}, "ignore_index": 99}"#.utf8).write(to: a)
        let sa = try LabelSchema.load(file: a.path, categories: cats)
        #expect(sa.value(forCategory: 1) == 7 && sa.entry(forValue: 7)?.name == "person")
        #expect(sa.entry(forValue: 8)?.name == "auto")
        #expect(sa.ignoreIndex == 99)
        let b = dir.appendingPathComponent("b.json")
        try Data(#"[{"id": 3, "value": 2}]"#.utf8).write(to: b)
        #expect(try LabelSchema.load(file: b.path, categories: cats).value(forCategory: 3) == 2)
        let t = dir.appendingPathComponent("map.txt")
        try Data("# id value name\n1 1 person\n3 2 motor car\n\n".utf8).write(to: t)
        let st = try LabelSchema.load(file: t.path, categories: cats)
        #expect(st.entry(forValue: 2)?.name == "motor car")
        let bad = dir.appendingPathComponent("bad.txt")
        try Data("1 x\n".utf8).write(to: bad)
        #expect(throws: ConversionError.self) { try LabelSchema.load(file: bad.path, categories: cats) }
        let dup = dir.appendingPathComponent("dup.txt")
        try Data("1 1\n1 2\n".utf8).write(to: dup)
        #expect(throws: ConversionError.self) { try LabelSchema.load(file: dup.path, categories: cats) }
    }
}
