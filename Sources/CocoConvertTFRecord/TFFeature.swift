/// One value of a `tf.train.Example`: a list of byte strings, 32-bit floats or 64-bit integers
/// (`tf.train.Feature`'s `oneof kind` in TensorFlow's `feature.proto`).
public enum TFFeature: Sendable, Hashable {
    /// `bytes_list` (field 1): encoded images, PNGs, UTF-8 strings.
    case bytes([[UInt8]])
    /// `float_list` (field 2), packed on the wire.
    case floats([Float])
    /// `int64_list` (field 3), packed on the wire; plain (not zigzag) varints.
    case int64s([Int64])
    /// A `Feature` whose `kind` is not set; TensorFlow reads it as an empty list of any type.
    case unset

    /// A single UTF-8 string as a `bytes_list`.
    public static func string(_ s: String) -> TFFeature { .bytes([Array(s.utf8)]) }

    /// A list of UTF-8 strings as a `bytes_list`.
    public static func strings(_ list: [String]) -> TFFeature { .bytes(list.map { Array($0.utf8) }) }

    /// A single integer as an `int64_list`.
    public static func int64(_ v: Int64) -> TFFeature { .int64s([v]) }

    /// A single float as a `float_list`.
    public static func float(_ v: Float) -> TFFeature { .floats([v]) }

    /// The number of values in the list (0 for ``unset``).
    public var count: Int {
        switch self {
        case .bytes(let v): v.count
        case .floats(let v): v.count
        case .int64s(let v): v.count
        case .unset: 0
        }
    }

    /// The name of the list type as `feature.proto` spells it (`bytes_list`, `float_list`, `int64_list`, `unset`).
    public var kindName: String {
        switch self {
        case .bytes: "bytes_list"
        case .floats: "float_list"
        case .int64s: "int64_list"
        case .unset: "unset"
        }
    }
}
