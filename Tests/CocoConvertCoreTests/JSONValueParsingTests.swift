import Testing
@testable import CocoConvertCore

@Suite("JSONValue: parsing small documents")
struct JSONValueParsingTests {
    @Test("A document parses to values with members in order, and writes back to the same compact text")
    func roundTrip() throws {
        let text = #"{"b":1,"a":[true,false,null,-2.5,"x\"y\u00e9"],"c":{},"d":[],"e":1e-07,"f":12345678901234567}"#
        let value = try JSONValue(parsing: text)
        #expect(value["b"]?.int64Value == 1)
        #expect(value["a"]?.arrayValue?.count == 5)
        #expect(value["a"]?.arrayValue?[4].stringValue == "x\"yé")
        #expect(value["a"]?.arrayValue?[3].doubleValue == -2.5)
        #expect(value["f"]?.int64Value == 12345678901234567)
        #expect(value.objectMembers?.map(\.0) == ["b", "a", "c", "d", "e", "f"])
        let again = try JSONValue(parsing: value.text())
        #expect(again == value)
        #expect(try JSONValue(parsing: value.text(pretty: true)) == value)
    }

    @Test("Doubles written by JSONValue parse back to the same Double")
    func doubles() throws {
        let values: [Double] = [0.1, 1e-7, 3.3333333333333335, 640, -0.0, 1e300, .leastNonzeroMagnitude, 123456789.123456789]
        let back = try JSONValue(parsing: JSONValue.array(values.map(JSONValue.double)).text())
        #expect(back.arrayValue?.compactMap(\.doubleValue) == values)
    }

    @Test("Invalid or hostile input is a ConversionError, never a crash", arguments: [
        "", " ", "{", "[1,]", "{\"a\" 1}", "{\"a\":1,}", "[1] [2]", "01", "1.", "-", "tru", "nul", "\"abc", "\"\\x\"",
        "\"\\u12\"", "\"\\udc00\"", "[\"\\ud800x\"]", "1e999", String(repeating: "[", count: 200_000),
        String(repeating: "{\"a\":", count: 100_000), "[" + String(repeating: "1,", count: 10) + "]",
    ])
    func invalid(text: String) {
        let error = #expect(throws: ConversionError.self) { _ = try JSONValue(parsing: text, context: ErrorContext(file: "f.json")) }
        #expect(error?.context.file == "f.json")
    }

    @Test("The depth and size bounds are enforced")
    func bounds() throws {
        let nested = String(repeating: "[", count: 10) + String(repeating: "]", count: 10)
        _ = try JSONValue(parsing: nested, limits: .init(maxDepth: 10))
        #expect(throws: ConversionError.self) { _ = try JSONValue(parsing: nested, limits: .init(maxDepth: 9)) }
        let error = #expect(throws: ConversionError.self) { _ = try JSONValue(parsing: "[1,2,3]", limits: .init(maxBytes: 4)) }
        #expect(error?.code == .limitExceeded)
    }

    @Test("Raw members and elements keep their source text")
    func raw() throws {
        let members = try JSONValue.rawMembers(parsing: #"{ "x" : [1, 2.50, null] , "a\"b":"\u00e9"}"#)
        #expect(members.map(\.key) == ["x", "a\"b"])
        #expect(members.map(\.rawJSON) == ["[1, 2.50, null]", #""\u00e9""#])
        #expect(try JSONValue.rawElements(parsing: #"[ {"a": 1.0}, 2 ]"#) == [#"{"a": 1.0}"#, "2"])
        #expect(throws: ConversionError.self) { _ = try JSONValue.rawMembers(parsing: "[1]") }
        #expect(throws: ConversionError.self) { _ = try JSONValue.rawElements(parsing: "{}") }
        let extra = [ExtraField(key: "k", rawJSON: "[1, 2.50]")]
        #expect(JSONValue.object(extra).text() == #"{"k":[1, 2.50]}"#)
    }
}
