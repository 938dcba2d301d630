import Foundation
import Testing
@testable import CocoConvertCOCO
import CocoConvertCore

/// Numbers in and out: correctly rounded parsing, shortest round-trip writing.
@Suite struct NumberTests {
    static func parse(_ text: String) throws -> JSONNumber {
        let bytes = Array(text.utf8)
        return try bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { throw JSONSyntaxError(position: 0, message: "empty") }
            let (number, end) = try JSONNumber.parse(base, from: 0, limit: buffer.count)
            #expect(end == buffer.count)
            return number
        }
    }

    static func written(_ value: Double) -> String {
        var out: [UInt8] = []
        out.appendNumber(value)
        return String(decoding: out, as: UTF8.self)
    }

    @Test func parsingMatchesTheStandardLibrary() throws {
        let samples = ["0", "-0", "1", "167.2", "238.37", "0.1", "1e-05", "1E+3", "-12.5e-3", "123456789012345678",
                       "9007199254740993", "1.7976931348623157e308", "4.9e-324", "702.1057499999998", "905600092660",
                       "0.30000000000000004", "123456789.123456789123", "1e22", "1e23", "-9223372036854775808"]
        for text in samples {
            let n = try Self.parse(text)
            #expect(n.double == Double(text), "\(text)")
        }
        #expect(try Self.parse("905600092660").integer == 905600092660)
        #expect(try Self.parse("-9223372036854775808").integer == Int64.min)
        #expect(try Self.parse("42.0").integer == nil)
        #expect(try Self.parse("42.0").integralValue == 42)
    }

    @Test func badNumbersAreRejected() {
        for text in ["01", "1.", ".5", "-", "1e", "1e+", "--1", "1.e5"] {
            #expect(throws: JSONSyntaxError.self, "\(text)") { _ = try Self.parse(text) }
        }
    }

    @Test func writingIsShortestAndReadsBack() {
        let cases: [(Double, String)] = [(61, "61"), (-0.0, "0"), (238.37, "238.37"), (0.1, "0.1"), (-167.2, "-167.2"),
                                         (1605.7768999999985, "1605.7768999999985"), (1e-05, "1e-05"), (0.5, "0.5"),
                                         (12.3456, "12.3456"), (123.000001, "123.000001"), (1e20, "1e+20")]
        for (value, text) in cases {
            #expect(Self.written(value) == text)
        }
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let value = [Double.random(in: -1000...1000, using: &generator),
                         (Double.random(in: 0...100_000, using: &generator)).rounded() / 100,
                         Double(Int.random(in: -10_000_000...10_000_000, using: &generator)) / 10_000][Int.random(in: 0...2, using: &generator)]
            let text = Self.written(value)
            #expect(Double(text) == value, "\(value) → \(text)")
            #expect(text.count <= value.description.count, "\(value) → \(text) vs \(value.description)")
        }
    }
}
