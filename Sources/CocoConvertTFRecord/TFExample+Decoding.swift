extension TFExample {
    /// Decodes a serialized `tf.train.Example` with protobuf's parsing rules.
    ///
    /// Accepted, as TensorFlow's own parser accepts them: map entries in any order; a key given twice
    /// (the later value wins); packed or unpacked `float_list`/`int64_list` values; a sub-message
    /// given in several pieces (merged); a `Feature` whose later `kind` replaces an earlier one;
    /// unknown fields of every wire type (skipped); missing map keys (`""`) or values (``TFFeature/unset``).
    ///
    /// - Throws: ``TFExampleDecodingError`` with the payload offset for anything malformed
    ///   (truncated varints or lengths, invalid wire types, a packed float list whose length is not a
    ///   multiple of 4, a key that is not UTF-8). Never traps, whatever the bytes.
    public init(serialized bytes: [UInt8]) throws {
        self.init()
        try bytes.withUnsafeBytes { raw in
            try self.decodeExample(raw)
        }
    }

    /// Decodes a serialized `tf.train.Example` from raw bytes; see ``init(serialized:)-(_)``.
    public init(serialized raw: UnsafeRawBufferPointer) throws {
        self.init()
        try decodeExample(raw)
    }

    private mutating func decodeExample(_ raw: UnsafeRawBufferPointer) throws {
        var reader = ProtoWireReader(raw, range: 0..<raw.count)
        while let (field, wireType) = try reader.readTag() {
            if field == 1 && wireType == ProtoWire.lengthDelimited {
                // Example.features; several occurrences merge into one map.
                let range = try reader.readLengthDelimited()
                try decodeFeatures(raw, range)
            } else {
                try reader.skip(wireType: wireType, field: field)
            }
        }
    }

    private mutating func decodeFeatures(_ raw: UnsafeRawBufferPointer, _ range: Range<Int>) throws {
        var reader = ProtoWireReader(raw, range: range)
        while let (field, wireType) = try reader.readTag() {
            if field == 1 && wireType == ProtoWire.lengthDelimited {
                let entry = try reader.readLengthDelimited()
                let (key, feature) = try Self.decodeEntry(raw, entry)
                // A repeated map key: the last entry wins (protobuf map semantics).
                self[key] = feature
            } else {
                try reader.skip(wireType: wireType, field: field)
            }
        }
    }

    private static func decodeEntry(_ raw: UnsafeRawBufferPointer, _ range: Range<Int>) throws -> (String, TFFeature) {
        var reader = ProtoWireReader(raw, range: range)
        var key = ""
        var feature = TFFeature.unset
        while let (field, wireType) = try reader.readTag() {
            switch (field, wireType) {
            case (1, ProtoWire.lengthDelimited):
                let start = reader.position
                let bytes = try reader.readLengthDelimited()
                guard let text = String(validating: UnsafeRawBufferPointer(rebasing: raw[bytes]), as: UTF8.self) else {
                    throw reader.fail("feature key is not valid UTF-8", at: start)
                }
                key = text
            case (2, ProtoWire.lengthDelimited):
                let bytes = try reader.readLengthDelimited()
                try decodeFeature(raw, bytes, into: &feature)
            default:
                try reader.skip(wireType: wireType, field: field)
            }
        }
        return (key, feature)
    }

    /// Decodes a `Feature` message, merging into `feature` (a repeated `value` field merges).
    private static func decodeFeature(_ raw: UnsafeRawBufferPointer, _ range: Range<Int>, into feature: inout TFFeature) throws {
        var reader = ProtoWireReader(raw, range: range)
        while let (field, wireType) = try reader.readTag() {
            guard wireType == ProtoWire.lengthDelimited, (1...3).contains(field) else {
                try reader.skip(wireType: wireType, field: field)
                continue
            }
            let list = try reader.readLengthDelimited()
            switch field {
            case 1:
                var values: [[UInt8]] = []
                if case .bytes(let existing) = feature { values = existing }
                feature = .unset  // release the old storage so appends do not copy
                try decodeBytesList(raw, list, into: &values)
                feature = .bytes(values)
            case 2:
                var values: [Float] = []
                if case .floats(let existing) = feature { values = existing }
                feature = .unset
                try decodeFloatList(raw, list, into: &values)
                feature = .floats(values)
            default:
                var values: [Int64] = []
                if case .int64s(let existing) = feature { values = existing }
                feature = .unset
                try decodeInt64List(raw, list, into: &values)
                feature = .int64s(values)
            }
        }
    }

    private static func decodeBytesList(_ raw: UnsafeRawBufferPointer, _ range: Range<Int>, into values: inout [[UInt8]]) throws {
        var reader = ProtoWireReader(raw, range: range)
        while let (field, wireType) = try reader.readTag() {
            if field == 1 && wireType == ProtoWire.lengthDelimited {
                let bytes = try reader.readLengthDelimited()
                values.append(Array(UnsafeRawBufferPointer(rebasing: raw[bytes])))
            } else {
                try reader.skip(wireType: wireType, field: field)
            }
        }
    }

    private static func decodeFloatList(_ raw: UnsafeRawBufferPointer, _ range: Range<Int>, into values: inout [Float]) throws {
        var reader = ProtoWireReader(raw, range: range)
        while let (field, wireType) = try reader.readTag() {
            switch (field, wireType) {
            case (1, ProtoWire.lengthDelimited):
                let start = reader.position
                let packed = try reader.readLengthDelimited()
                guard packed.count % 4 == 0 else {
                    throw reader.fail("packed float list of \(packed.count) bytes is not a multiple of 4", at: start)
                }
                values.reserveCapacity(values.count + packed.count / 4)
                var p = packed.lowerBound
                while p < packed.upperBound {
                    values.append(Float(bitPattern: raw.loadUnaligned(fromByteOffset: p, as: UInt32.self).littleEndian))
                    p += 4
                }
            case (1, ProtoWire.fixed32):
                values.append(Float(bitPattern: try reader.readFixed32()))
            default:
                try reader.skip(wireType: wireType, field: field)
            }
        }
    }

    private static func decodeInt64List(_ raw: UnsafeRawBufferPointer, _ range: Range<Int>, into values: inout [Int64]) throws {
        var reader = ProtoWireReader(raw, range: range)
        while let (field, wireType) = try reader.readTag() {
            switch (field, wireType) {
            case (1, ProtoWire.lengthDelimited):
                let packed = try reader.readLengthDelimited()
                var inner = ProtoWireReader(raw, range: packed)
                while !inner.isAtEnd {
                    values.append(Int64(bitPattern: try inner.readVarint()))
                }
            case (1, ProtoWire.varint):
                values.append(Int64(bitPattern: try reader.readVarint()))
            default:
                try reader.skip(wireType: wireType, field: field)
            }
        }
    }
}
