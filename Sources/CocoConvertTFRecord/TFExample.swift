/// A `tf.train.Example`: named feature lists, encoded and decoded without TensorFlow or protoc.
///
/// Keys keep the order they were first set in; encoding writes them in that order, so output is
/// deterministic. Decoding accepts any map order, packed or unpacked numeric lists, repeated
/// (merged) sub-messages and unknown fields, as protobuf does; see `TFExample+Decoding.swift`.
///
/// ```swift
/// var example = TFExample()
/// example["a"] = .int64s([1])
/// example.serialized()   // 0a0c 0a0a 0a0161 1205 1a03 0a0101
/// ```
public struct TFExample: Sendable, Hashable {
    /// Feature keys in first-set order.
    public private(set) var keys: [String] = []
    private var values: [String: TFFeature] = [:]

    /// An example with no features.
    public init() {}

    /// Two examples are equal when they hold the same features, in whatever order.
    public static func == (lhs: TFExample, rhs: TFExample) -> Bool {
        lhs.values == rhs.values
    }

    /// Hashes the features, not their order.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(values)
    }

    /// The feature under `key`; setting `nil` removes it.
    public subscript(key: String) -> TFFeature? {
        get { values[key] }
        set {
            if let newValue {
                if values.updateValue(newValue, forKey: key) == nil { keys.append(key) }
            } else if values.removeValue(forKey: key) != nil {
                keys.removeAll { $0 == key }
            }
        }
    }

    /// Number of features.
    public var count: Int { keys.count }

    // MARK: Typed accessors (nil when absent or of another kind; an `unset` feature reads as empty)

    /// The `bytes_list` under `key`.
    public func bytesList(_ key: String) -> [[UInt8]]? {
        switch values[key] {
        case .bytes(let v): v
        case .unset: []
        default: nil
        }
    }

    /// The `float_list` under `key`.
    public func floatList(_ key: String) -> [Float]? {
        switch values[key] {
        case .floats(let v): v
        case .unset: []
        default: nil
        }
    }

    /// The `int64_list` under `key`.
    public func int64List(_ key: String) -> [Int64]? {
        switch values[key] {
        case .int64s(let v): v
        case .unset: []
        default: nil
        }
    }

    /// The only element of the `bytes_list` under `key`, or nil.
    public func singleBytes(_ key: String) -> [UInt8]? {
        guard let list = bytesList(key), list.count == 1 else { return nil }
        return list[0]
    }

    /// The only element of the `bytes_list` under `key` as UTF-8 text (invalid UTF-8 is repaired), or nil.
    public func string(_ key: String) -> String? {
        singleBytes(key).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The only element of the `int64_list` under `key`, or nil.
    public func int64(_ key: String) -> Int64? {
        guard let list = int64List(key), list.count == 1 else { return nil }
        return list[0]
    }

    // MARK: Encoding

    /// The protobuf wire bytes of this example (a serialized `tf.train.Example`).
    public func serialized() -> [UInt8] {
        var out: [UInt8] = []
        appendSerialized(to: &out)
        return out
    }

    /// Appends the protobuf wire bytes of this example to `out`, sizing the buffer once.
    public func appendSerialized(to out: inout [UInt8]) {
        // Sizes are computed bottom-up first so every length prefix is known before writing.
        var entrySizes: [Int] = []
        entrySizes.reserveCapacity(keys.count)
        var featuresSize = 0
        for key in keys {
            let feature = values[key] ?? .unset
            let fSize = Self.featureSize(feature)
            let keyLength = key.utf8.count
            let entry = 1 + ProtoWire.varintSize(UInt64(keyLength)) + keyLength
                + 1 + ProtoWire.varintSize(UInt64(fSize)) + fSize
            entrySizes.append(entry)
            featuresSize += 1 + ProtoWire.varintSize(UInt64(entry)) + entry
        }
        // +16: room for a TFRecord frame's trailing CRC without reallocating.
        out.reserveCapacity(out.count + 1 + ProtoWire.varintSize(UInt64(featuresSize)) + featuresSize + 16)
        // Example.features = 1 (length-delimited)
        out.append(0x0A)
        ProtoWire.appendVarint(UInt64(featuresSize), to: &out)
        for (i, key) in keys.enumerated() {
            let feature = values[key] ?? .unset
            // Features.feature = 1: one map entry {key = 1, value = 2}
            out.append(0x0A)
            ProtoWire.appendVarint(UInt64(entrySizes[i]), to: &out)
            out.append(0x0A)
            ProtoWire.appendVarint(UInt64(key.utf8.count), to: &out)
            out.append(contentsOf: key.utf8)
            out.append(0x12)
            ProtoWire.appendVarint(UInt64(Self.featureSize(feature)), to: &out)
            Self.appendFeatureBody(feature, to: &out)
        }
    }

    /// Size of the packed list payload inside `BytesList`/`FloatList`/`Int64List`.
    private static func listSize(_ feature: TFFeature) -> Int {
        switch feature {
        case .bytes(let list):
            var size = 0
            for element in list { size += 1 + ProtoWire.varintSize(UInt64(element.count)) + element.count }
            return size
        case .floats(let list):
            guard !list.isEmpty else { return 0 }
            let data = 4 * list.count
            return 1 + ProtoWire.varintSize(UInt64(data)) + data
        case .int64s(let list):
            guard !list.isEmpty else { return 0 }
            var data = 0
            for v in list { data += ProtoWire.varintSize(UInt64(bitPattern: v)) }
            return 1 + ProtoWire.varintSize(UInt64(data)) + data
        case .unset:
            return 0
        }
    }

    /// Size of a `Feature` message body.
    private static func featureSize(_ feature: TFFeature) -> Int {
        if case .unset = feature { return 0 }
        let list = listSize(feature)
        return 1 + ProtoWire.varintSize(UInt64(list)) + list
    }

    private static func appendFeatureBody(_ feature: TFFeature, to out: inout [UInt8]) {
        let list = listSize(feature)
        switch feature {
        case .bytes(let values):
            out.append(0x0A)  // Feature.bytes_list = 1
            ProtoWire.appendVarint(UInt64(list), to: &out)
            for element in values {
                out.append(0x0A)  // BytesList.value = 1
                ProtoWire.appendVarint(UInt64(element.count), to: &out)
                out.append(contentsOf: element)
            }
        case .floats(let values):
            out.append(0x12)  // Feature.float_list = 2
            ProtoWire.appendVarint(UInt64(list), to: &out)
            guard !values.isEmpty else { return }
            out.append(0x0A)  // FloatList.value = 1, packed
            ProtoWire.appendVarint(UInt64(4 * values.count), to: &out)
            for v in values {
                TFRecordFraming.appendLittleEndian(v.bitPattern, to: &out)
            }
        case .int64s(let values):
            out.append(0x1A)  // Feature.int64_list = 3
            ProtoWire.appendVarint(UInt64(list), to: &out)
            guard !values.isEmpty else { return }
            var data = 0
            for v in values { data += ProtoWire.varintSize(UInt64(bitPattern: v)) }
            out.append(0x0A)  // Int64List.value = 1, packed
            ProtoWire.appendVarint(UInt64(data), to: &out)
            for v in values { ProtoWire.appendVarint(UInt64(bitPattern: v), to: &out) }
        case .unset:
            break
        }
    }
}
