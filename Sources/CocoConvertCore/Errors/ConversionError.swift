/// Where in the input a problem was found: as much as is known, all of it shown to the user.
public struct ErrorContext: Sendable, Hashable {
    public var file: String?
    public var byteOffset: Int?
    public var imageID: Int64?
    public var annotationID: Int64?
    /// The JSON member, dataset or record the problem is in (`segmentation`, `labels`, `record 17`).
    public var field: String?

    public init(file: String? = nil, byteOffset: Int? = nil, imageID: Int64? = nil,
                annotationID: Int64? = nil, field: String? = nil) {
        self.file = file
        self.byteOffset = byteOffset
        self.imageID = imageID
        self.annotationID = annotationID
        self.field = field
    }

    /// Fills in whatever `self` does not know from `outer`.
    public func merged(with outer: ErrorContext) -> ErrorContext {
        ErrorContext(file: file ?? outer.file, byteOffset: byteOffset ?? outer.byteOffset,
                     imageID: imageID ?? outer.imageID, annotationID: annotationID ?? outer.annotationID,
                     field: field ?? outer.field)
    }
}

/// The one error type users see: what went wrong, where, and what to do about it.
///
/// Data problems throw this; programmer errors (misuse of an API) are preconditions.
public struct ConversionError: Error, Sendable, CustomStringConvertible {
    /// A stable, open set of error kinds; the CLI maps them to exit codes and report lines.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let name: String
        private init(_ name: String) { self.name = name }
        public var description: String { name }

        /// The input is not well-formed (truncated JSON, bad PNG, bad CRC).
        public static let malformedInput = Code("malformed-input")
        /// A field has the wrong type or an impossible value.
        public static let invalidValue = Code("invalid-value")
        /// A mask that cannot be decoded or rasterised (bad RLE, degenerate polygon).
        public static let invalidMask = Code("invalid-mask")
        /// An annotation names an image id that is not in the file.
        public static let unknownImage = Code("unknown-image")
        /// An annotation names a category id that is not in the file or not in the mapping.
        public static let unknownCategory = Code("unknown-category")
        /// Two records share an id.
        public static let duplicateID = Code("duplicate-id")
        /// A mask's size disagrees with its image.
        public static let sizeMismatch = Code("size-mismatch")
        /// Annotations overlap and `--overlap error` was asked for.
        public static let overlap = Code("overlap")
        /// An image exceeds a configured limit (pixels, instances).
        public static let limitExceeded = Code("limit-exceeded")
        /// The target format cannot express the data (more than 254 VOC instances).
        public static let unsupported = Code("unsupported")
        /// A file the input refers to (an image, a panoptic PNG) does not exist; a sample problem.
        public static let missingFile = Code("missing-file")
        /// A file could not be read or written.
        public static let io = Code("io")
        /// libpng or libhdf5 reported a failure.
        public static let library = Code("library")
        /// The command line asks for something impossible.
        public static let usage = Code("usage")
    }

    public var code: Code
    /// What is wrong, in one sentence.
    public var message: String
    public var context: ErrorContext
    /// What the user can do about it.
    public var hint: String?
    /// The error underneath, when this one explains another (a library's own error, a system
    /// call's); shown in full with `--verbose`.
    public var cause: (any Error)?

    public init(_ code: Code, _ message: String, context: ErrorContext = ErrorContext(), hint: String? = nil,
                cause: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.context = context
        self.hint = hint
        self.cause = cause
    }

    /// True for a problem with one sample or annotation, which `--on-error skip` may leave out;
    /// false for failures of the machine or the command (I/O, libraries, usage), which always stop.
    public var isItemProblem: Bool {
        code != .io && code != .library && code != .usage
    }

    /// The same error with missing context filled in from `outer`.
    public func adding(_ outer: ErrorContext) -> ConversionError {
        var copy = self
        copy.context = context.merged(with: outer)
        return copy
    }

    /// One line for the terminal: `file:offset: image 42, annotation 7: message (hint)`.
    public var description: String {
        var parts: [String] = []
        if let file = context.file {
            parts.append(context.byteOffset.map { "\(file) at byte \($0)" } ?? file)
        } else if let offset = context.byteOffset {
            parts.append("byte \(offset)")
        }
        var subject: [String] = []
        if let image = context.imageID { subject.append("image \(image)") }
        if let annotation = context.annotationID { subject.append("annotation \(annotation)") }
        if let field = context.field { subject.append(field) }
        if !subject.isEmpty { parts.append(subject.joined(separator: ", ")) }
        var line = parts.isEmpty ? message : parts.joined(separator: ": ") + ": " + message
        if let hint { line += " (\(hint))" }
        return line
    }
}
