/// Byte values of the JSON punctuation and letters the scanners look for.
public enum ASCII {
    public static let quote: UInt8 = 0x22          // "
    public static let backslash: UInt8 = 0x5C      // \
    public static let slash: UInt8 = 0x2F          // /
    public static let comma: UInt8 = 0x2C          // ,
    public static let colon: UInt8 = 0x3A          // :
    public static let openBrace: UInt8 = 0x7B      // {
    public static let closeBrace: UInt8 = 0x7D     // }
    public static let openBracket: UInt8 = 0x5B    // [
    public static let closeBracket: UInt8 = 0x5D   // ]
    public static let minus: UInt8 = 0x2D          // -
    public static let plus: UInt8 = 0x2B           // +
    public static let dot: UInt8 = 0x2E            // .
    public static let zero: UInt8 = 0x30           // 0
    public static let nine: UInt8 = 0x39           // 9
    public static let lowerE: UInt8 = 0x65         // e
    public static let upperE: UInt8 = 0x45         // E
    public static let space: UInt8 = 0x20
    public static let tab: UInt8 = 0x09
    public static let newline: UInt8 = 0x0A
    public static let carriageReturn: UInt8 = 0x0D

    /// JSON insignificant whitespace.
    @inlinable @inline(__always)
    public static func isWhitespace(_ c: UInt8) -> Bool {
        c == space || c == newline || c == carriageReturn || c == tab
    }

    /// `0`...`9`.
    @inlinable @inline(__always)
    public static func isDigit(_ c: UInt8) -> Bool {
        c &- zero < 10
    }

    /// A printable name for a byte in error messages: `'x'` or `0x1F`.
    public static func describe(_ c: UInt8) -> String {
        if c >= 0x21 && c < 0x7F { return "'\(Character(Unicode.Scalar(c)))'" }
        let hex = String(c, radix: 16, uppercase: true)
        return "0x" + (hex.count < 2 ? "0" + hex : hex)
    }
}
