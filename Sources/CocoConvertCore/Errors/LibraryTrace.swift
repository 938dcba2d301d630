/// A C library's own account of a failure, frame by frame (libhdf5's error stack): kept as the
/// ``ConversionError/cause`` of the short message users see, and printed whole with `--verbose`.
public struct LibraryTrace: Error, Sendable, CustomStringConvertible {
    /// The library's name (`libhdf5`).
    public var library: String
    /// One line per frame, outermost first.
    public var frames: [String]

    public init(library: String, frames: [String]) {
        self.library = library
        self.frames = frames
    }

    public var description: String {
        "\(library) error stack:" + frames.enumerated().map { "\n    #\($0.offset) \($0.element)" }.joined()
    }
}
