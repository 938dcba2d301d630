/// Byte values of the JSON punctuation and letters the scanners look for.
enum ASCII {
    static let quote: UInt8 = 0x22          // "
    static let backslash: UInt8 = 0x5C      // \
    static let slash: UInt8 = 0x2F          // /
    static let comma: UInt8 = 0x2C          // ,
    static let colon: UInt8 = 0x3A          // :
    static let openBrace: UInt8 = 0x7B      // {
    static let closeBrace: UInt8 = 0x7D     // }
    static let openBracket: UInt8 = 0x5B    // [
    static let closeBracket: UInt8 = 0x5D   // ]
    static let minus: UInt8 = 0x2D          // -
    static let plus: UInt8 = 0x2B           // +
    static let dot: UInt8 = 0x2E            // .
    static let zero: UInt8 = 0x30           // 0
    static let nine: UInt8 = 0x39           // 9
    static let lowerE: UInt8 = 0x65         // e
    static let upperE: UInt8 = 0x45         // E
    static let space: UInt8 = 0x20
    static let tab: UInt8 = 0x09
    static let newline: UInt8 = 0x0A
    static let carriageReturn: UInt8 = 0x0D

    /// JSON insignificant whitespace.
    @inline(__always)
    static func isWhitespace(_ c: UInt8) -> Bool {
        c == space || c == newline || c == carriageReturn || c == tab
    }

    /// `0`...`9`.
    @inline(__always)
    static func isDigit(_ c: UInt8) -> Bool {
        c &- zero < 10
    }

    /// A printable name for a byte in error messages: `'x'` or `0x1F`.
    static func describe(_ c: UInt8) -> String {
        if c >= 0x21 && c < 0x7F { return "'\(Character(Unicode.Scalar(c)))'" }
        let hex = String(c, radix: 16, uppercase: true)
        return "0x" + (hex.count < 2 ? "0" + hex : hex)
    }
}
