import Testing
@testable import CocoConvertTar

@Suite struct TarTests {
    @Test func keySplitsAtFirstDot() {
        #expect(SampleKey.split("a/b.seg.png")! == ("a/b", "seg.png"))
    }
}
