import CocoConvertCore

/// Appending JSON text to a byte buffer without building strings.
extension Array where Element == UInt8 {
    /// Appends ASCII/UTF-8 text verbatim.
    @inline(__always)
    mutating func appendText(_ text: StaticString) {
        append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// Appends verbatim UTF-8 (raw JSON of an ``ExtraField``, `info`, `licenses`).
    @inline(__always)
    mutating func appendRaw(_ text: String) {
        var text = text
        text.withUTF8 { append(contentsOf: $0) }
    }

    /// Appends `value` in decimal.
    @inline(__always)
    mutating func appendInteger(_ value: Int64) {
        if value < 0 {
            append(ASCII.minus)
            if value == Int64.min {
                appendRaw("9223372036854775808")
                return
            }
        }
        var v = value.magnitude
        let start = count
        repeat {
            append(UInt8(truncatingIfNeeded: v % 10) &+ ASCII.zero)
            v /= 10
        } while v != 0
        self[start...].reverse()
    }

    /// Appends a number: integral values within ±10¹⁵ as integers (`61`), others in the shortest form
    /// that reads back to the same double (`238.37`, `1e-05`). Non-finite values become `null`.
    @inline(__always)
    mutating func appendNumber(_ value: Double) {
        if value.rounded(.towardZero) == value && abs(value) < 1e15 {
            appendInteger(Int64(value))
        } else if appendShortDecimal(value, scale: 100, digits: 2) || appendShortDecimal(value, scale: 10_000, digits: 4)
                    || appendShortDecimal(value, scale: 1_000_000, digits: 6) {
            return
        } else if value.isFinite {
            appendRaw(value.description)
        } else {
            appendText("null")
        }
    }

    /// Appends `value` with at most `digits` decimals when that reads back exactly, e.g. COCO's
    /// two-decimal polygon coordinates; false (nothing appended) otherwise.
    ///
    /// If `r = round(value · scale)` is below 10¹⁵ and `r / scale == value`, then the decimal `r / scale`
    /// parses to `value` (both are the correctly rounded double of the same rational), and no shorter
    /// decimal does (doubles are closer together than `1 / scale` in this range), so this is the shortest
    /// round-trip form, as `description` would give, without its cost.
    @inline(__always)
    private mutating func appendShortDecimal(_ value: Double, scale: Double, digits: Int) -> Bool {
        // Below 0.001 the exponent form (`1e-05`) is shorter; leave those to `description`.
        let scaled = (value * scale).rounded()
        guard abs(scaled) < 1e15, abs(value) >= 0.001, scaled / scale == value else { return false }
        var units = Int64(scaled)
        if units < 0 {
            append(ASCII.minus)
            units = -units
        }
        let divisor = Int64(scale)
        appendInteger(units / divisor)
        var fraction = units % divisor
        var width = digits
        while fraction % 10 == 0 && width > 0 {
            fraction /= 10
            width -= 1
        }
        guard width > 0 else { return true }
        append(ASCII.dot)
        let start = count
        for _ in 0..<width {
            append(UInt8(truncatingIfNeeded: fraction % 10) &+ ASCII.zero)
            fraction /= 10
        }
        self[start...].reverse()
        return true
    }

    /// Appends `text` as a JSON string literal (quotes, backslashes and control characters escaped).
    mutating func appendString(_ text: String) {
        append(ASCII.quote)
        for byte in text.utf8 {
            switch byte {
            case ASCII.quote: appendText("\\\"")
            case ASCII.backslash: appendText("\\\\")
            case 0x0A: appendText("\\n")
            case 0x0D: appendText("\\r")
            case 0x09: appendText("\\t")
            case 0..<0x20:
                appendText("\\u00")
                let hex: [UInt8] = Array("0123456789abcdef".utf8)
                append(hex[Int(byte >> 4)])
                append(hex[Int(byte & 0xF)])
            default: append(byte)
            }
        }
        append(ASCII.quote)
    }

    /// Appends bytes that need no escaping (a compressed RLE string is ASCII 48...111 except `\`)
    /// as a JSON string literal.
    mutating func appendRLEString(_ bytes: [UInt8]) {
        append(ASCII.quote)
        for byte in bytes {
            if byte == ASCII.backslash { append(ASCII.backslash) }
            append(byte)
        }
        append(ASCII.quote)
    }

    /// Appends `"key":` (key escaped).
    @inline(__always)
    mutating func appendKey(_ key: StaticString) {
        append(ASCII.quote)
        appendText(key)
        appendText("\":")
    }

    /// Appends `,"key":raw` for each extra member.
    mutating func appendExtras(_ extras: [ExtraField]) {
        for field in extras {
            append(ASCII.comma)
            appendString(field.key)
            append(ASCII.colon)
            appendRaw(field.rawJSON)
        }
    }

    /// Appends `,"area":…` and `,"bbox":[…]` for the values that are known.
    mutating func appendAreaAndBox(area: Double?, box: BoundingBox?) {
        if let area {
            appendText(",\"area\":")
            appendNumber(area)
        }
        if let box {
            appendText(",\"bbox\":")
            appendBox(box)
        }
    }

    /// Appends `[x,y,w,h]`.
    mutating func appendBox(_ box: BoundingBox) {
        append(ASCII.openBracket)
        appendNumber(box.x)
        append(ASCII.comma)
        appendNumber(box.y)
        append(ASCII.comma)
        appendNumber(box.width)
        append(ASCII.comma)
        appendNumber(box.height)
        append(ASCII.closeBracket)
    }
}
