import Foundation
import Testing
@testable import CocoConvertTFRecord

@Suite struct TFExampleTests {
    @Test func singleInt64MatchesReferenceVector() {
        var example = TFExample()
        example["a"] = .int64s([1])
        #expect(example.serialized() == hexBytes("0a0c 0a0a 0a0161 1205 1a03 0a0101"))
    }

    @Test func emptyExampleEncodesAsEmptyFeatures() throws {
        #expect(TFExample().serialized() == [0x0A, 0x00])
        #expect(try TFExample(serialized: []) == TFExample())
        #expect(try TFExample(serialized: [0x0A, 0x00]).count == 0)
    }

    static func sample() -> TFExample {
        var e = TFExample()
        e["image/encoded"] = .bytes([[0xFF, 0xD8, 0xFF, 0x00], []])
        e["image/height"] = .int64(480)
        e["neg"] = .int64s([-1, Int64.min, Int64.max, 0, 127, 128])
        e["f"] = .floats([0.5, -0.0, .infinity, 1e-30, 3.25])
        e["empty/int"] = .int64s([])
        e["empty/float"] = .floats([])
        e["empty/bytes"] = .bytes([])
        e["unset"] = .unset
        e["utf8/ключ"] = .string("値")
        return e
    }

    @Test func roundTripsEveryKind() throws {
        let e = Self.sample()
        let decoded = try TFExample(serialized: e.serialized())
        #expect(decoded == e)
        #expect(decoded.keys == e.keys)
        #expect(decoded.int64List("neg") == [-1, Int64.min, Int64.max, 0, 127, 128])
        #expect(decoded.floatList("unset") == [])
    }

    @Test func negativeInt64TakesTenBytes() {
        var e = TFExample()
        e["n"] = .int64(-1)
        let bytes = e.serialized()
        // ... 1a 0c 0a 0a ff ff ff ff ff ff ff ff ff 01
        #expect(Array(bytes.suffix(10)) == [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01])
    }

    @Test func acceptsUnpackedListsAnyOrderAndMergedPieces() throws {
        // Features with two entries in "reverse" order; the int64 list unpacked (08 01 08 02) and
        // given in two Int64List pieces; the float list unpacked (0d <4 bytes>).
        var w: [UInt8] = []
        func ld(_ tag: UInt8, _ body: [UInt8]) -> [UInt8] { [tag] + varint(UInt64(body.count)) + body }
        func varint(_ v: UInt64) -> [UInt8] { var o: [UInt8] = []; ProtoWire.appendVarint(v, to: &o); return o }
        let floatPiece: [UInt8] = [0x0D] + withUnsafeBytes(of: Float(2.5).bitPattern.littleEndian, Array.init)
        let fFeature = ld(0x12, floatPiece)
        let iFeature = ld(0x1A, [0x08, 0x01, 0x08, 0x02]) + ld(0x1A, ld(0x0A, [0x03]))
        let entryF = ld(0x0A, Array("z".utf8)) + ld(0x12, fFeature)
        let entryI = ld(0x12, iFeature) + ld(0x0A, Array("a".utf8))  // value before key
        w = ld(0x0A, ld(0x0A, entryF) + ld(0x0A, entryI))
        let e = try TFExample(serialized: w)
        #expect(e.int64List("a") == [1, 2, 3])
        #expect(e.floatList("z") == [2.5])
    }

    @Test func laterKeyAndLaterKindWin() throws {
        var first = TFExample()
        first["k"] = .int64(1)
        var second = TFExample()
        second["k"] = .string("x")
        // Two Example.features fields: protobuf merges them; the repeated map key takes the later value.
        let merged = try TFExample(serialized: first.serialized() + second.serialized())
        #expect(merged.string("k") == "x")
        #expect(merged.count == 1)
    }

    @Test func skipsUnknownFieldsOfEveryWireType() throws {
        var e = TFExample()
        e["k"] = .int64(5)
        // Unknown Example fields: varint (field 2), fixed64 (3), fixed32 (4), group (5) with a nested varint.
        let unknown: [UInt8] = [0x10, 0x96, 0x01, 0x19, 1, 2, 3, 4, 5, 6, 7, 8, 0x25, 1, 2, 3, 4, 0x2B, 0x08, 0x01, 0x2C]
        let decoded = try TFExample(serialized: unknown + e.serialized() + unknown)
        #expect(decoded == e)
    }

    @Test(arguments: [
        ([0x0A, 0x05, 0x0A], "past the end"),                          // features length beyond the data
        ([0x0A], "past the end"),                                       // truncated length varint
        ([0x0F], "invalid wire type"),                                  // wire type 7
        ([0x02, 0x00], "field number 0"),
        ([0x08] + [UInt8](repeating: 0xFF, count: 10) + [0x01], "longer than 10"),
        ([0x0C], "end-group"),
        ([0x0B, 0x08, 0x01], "not closed"),
    ] as [([UInt8], String)])
    func rejectsMalformedBytes(bytes: [UInt8], reason: String) {
        let error = #expect(throws: TFExampleDecodingError.self) { try TFExample(serialized: bytes) }
        #expect(error?.reason.contains(reason) == true, "\(String(describing: error))")
    }

    @Test func rejectsPackedFloatsNotMultipleOfFour() {
        // {"f": float_list packed with 3 bytes}
        let bytes: [UInt8] = [0x0A, 0x0C, 0x0A, 0x0A, 0x0A, 0x01, 0x66, 0x12, 0x05, 0x12, 0x03, 0x0A, 0x01, 0x00]
        let error = #expect(throws: TFExampleDecodingError.self) { try TFExample(serialized: bytes) }
        #expect(error?.reason.contains("multiple of 4") == true)
    }

    @Test func rejectsNonUTF8Key() {
        let bytes: [UInt8] = [0x0A, 0x07, 0x0A, 0x05, 0x0A, 0x01, 0xFF, 0x12, 0x00]
        #expect(throws: TFExampleDecodingError.self) { try TFExample(serialized: bytes) }
    }

    /// Random bytes, truncations and bit flips of a valid example: decoding must throw or succeed,
    /// never trap, and a successful decode must re-encode and decode to the same value.
    @Test func fuzzNeverTraps() throws {
        var rng = SeededGenerator(seed: 0xC0C0)
        let valid = Self.sample().serialized()
        var parsed = 0, rejected = 0
        func attempt(_ bytes: [UInt8]) {
            do {
                let e = try TFExample(serialized: bytes)
                parsed += 1
                // Compared as bytes: a flipped bit can make a float NaN, and NaN != NaN.
                #expect((try? TFExample(serialized: e.serialized()))?.serialized() == e.serialized())
            } catch is TFExampleDecodingError {
                rejected += 1
            } catch {
                Issue.record("unexpected error type \(error)")
            }
        }
        for cut in 0..<valid.count { attempt(Array(valid[0..<cut])) }
        for _ in 0..<20_000 {
            var m = valid
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                let i = Int.random(in: 0..<m.count, using: &rng)
                m[i] ^= UInt8(1) << UInt8.random(in: 0...7, using: &rng)
            }
            attempt(m)
        }
        for _ in 0..<20_000 {
            let n = Int.random(in: 0...64, using: &rng)
            attempt((0..<n).map { _ in UInt8.random(in: 0...255, using: &rng) })
        }
        // Structured noise: valid-looking tags with random lengths.
        for _ in 0..<5_000 {
            var m: [UInt8] = []
            for _ in 0..<Int.random(in: 1...12, using: &rng) {
                m.append([0x0A, 0x12, 0x1A, 0x0D, 0x08][Int.random(in: 0...4, using: &rng)])
                m.append(UInt8.random(in: 0...20, using: &rng))
            }
            attempt(m)
        }
        #expect(parsed > 0 && rejected > 0)
    }

    // MARK: An Example written by TensorFlow itself

    @Test func decodesTensorFlowWrittenFixtureLikeTensorFlow() throws {
        let payloads = try TFRecordFraming.decodeRecords(try Fixtures.bytes(Fixtures.tfrecord("good/tf-written.tfrecord")))
        let json = try JSONSerialization.jsonObject(with: Data(try Fixtures.bytes(Fixtures.tfrecord("good/tf-written.expected.json"))))
        let records = try #require((json as? [String: Any])?["records"] as? [[String: [String: Any]]])
        #expect(payloads.count == records.count)
        for (payload, expected) in zip(payloads, records) {
            let e = try TFExample(serialized: payload)
            #expect(Set(e.keys) == Set(expected.keys))
            for (key, spec) in expected {
                let kind = spec["kind"] as? String
                let values = spec["values"] as? [Any] ?? []
                #expect(e[key]?.kindName == kind, "\(key)")
                switch kind {
                case "int64_list":
                    #expect(e.int64List(key) == values.compactMap { ($0 as? NSNumber)?.int64Value }, "\(key)")
                case "float_list":
                    #expect(e.floatList(key) == values.compactMap { ($0 as? NSNumber).map { Float($0.doubleValue) } }, "\(key)")
                case "bytes_list":
                    let got = e.bytesList(key) ?? []
                    #expect(got.count == values.count, "\(key)")
                    for (g, v) in zip(got, values) {
                        let d = v as? [String: Any] ?? [:]
                        #expect(g.count == (d["length"] as? Int), "\(key)")
                        #expect(SHA256.hexDigest(g) == (d["sha256"] as? String), "\(key)")
                    }
                default:
                    Issue.record("unexpected kind \(String(describing: kind))")
                }
            }
        }
    }

    @Test func reencodingTensorFlowExampleIsStable() throws {
        // Our encoding of what TF wrote decodes back to the same features (packed output of unpacked input).
        for payload in try TFRecordFraming.decodeRecords(try Fixtures.bytes(Fixtures.tfrecord("good/tf-written.tfrecord"))) {
            let e = try TFExample(serialized: payload)
            #expect(try TFExample(serialized: e.serialized()) == e)
        }
    }

    @Test func tensorFlowDefaultSerialisationIsByteIdenticalToOurs() throws {
        // Record 1 was serialised with sorted keys and packed lists: our encoder, given the keys in
        // that order, produces the same bytes as TensorFlow's protobuf.
        let payloads = try TFRecordFraming.decodeRecords(try Fixtures.bytes(Fixtures.tfrecord("good/tf-written.tfrecord")))
        let e = try TFExample(serialized: payloads[1])
        var sorted = TFExample()
        for key in e.keys.sorted() { sorted[key] = e[key] }
        #expect(sorted.serialized() == payloads[1])
    }
}

@Suite struct SHA256Tests {
    @Test func knownVectors() {
        #expect(SHA256.hexDigest([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hexDigest(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hexDigest(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(SHA256.hexDigest([UInt8](repeating: 0x61, count: 1_000_000))
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }
}
