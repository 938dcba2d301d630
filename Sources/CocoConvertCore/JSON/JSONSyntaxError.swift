/// A problem found while scanning JSON bytes: where (an index into the scanned buffer) and what.
///
/// Scanners throw this; the caller turns it into a `ConversionError` with the file name and the
/// absolute byte offset.
public struct JSONSyntaxError: Error {
    /// Index into the buffer being scanned.
    public var position: Int
    public var message: String
    /// True when the problem is a wrong value type rather than broken JSON.
    public var isTypeError: Bool = false
    /// True when the buffer ended inside a token: more input might complete it.
    public var isIncomplete: Bool = false
    /// True when the value is well-typed but is not a usable mask (a caller's own semantic check).
    public var isMaskError: Bool = false

    @inlinable
    public init(position: Int, message: String, isTypeError: Bool = false, isIncomplete: Bool = false, isMaskError: Bool = false) {
        self.position = position
        self.message = message
        self.isTypeError = isTypeError
        self.isIncomplete = isIncomplete
        self.isMaskError = isMaskError
    }

    /// The buffer ended inside `what`.
    public static func incomplete(at position: Int, _ what: String) -> JSONSyntaxError {
        JSONSyntaxError(position: position, message: "the JSON ends inside \(what) (truncated file?)", isIncomplete: true)
    }
}
