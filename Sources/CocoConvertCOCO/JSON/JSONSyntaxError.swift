/// A problem found while scanning JSON bytes: where (an index into the scanned buffer) and what.
///
/// Scanners throw this; the caller turns it into a `ConversionError` with the file name and the
/// absolute byte offset.
struct JSONSyntaxError: Error {
    /// Index into the buffer being scanned.
    var position: Int
    var message: String
    /// True when the problem is a wrong value type rather than broken JSON.
    var isTypeError: Bool = false
    /// True when the buffer ended inside a token: more input might complete it.
    var isIncomplete: Bool = false
    /// True when the value is well-typed but is not a usable mask (RLE sum, odd polygon).
    var isMaskError: Bool = false

    /// The buffer ended inside `what`.
    static func incomplete(at position: Int, _ what: String) -> JSONSyntaxError {
        JSONSyntaxError(position: position, message: "the JSON ends inside \(what) (truncated file?)", isIncomplete: true)
    }
}
