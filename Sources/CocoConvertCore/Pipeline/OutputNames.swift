/// The file names a sink has written, so that two samples never write the same file: the second
/// is an item problem naming both images (`--on-error skip` leaves it out; the pipeline reports
/// item problems a sink throws).
public struct OutputNames {
    private var owners: [String: Int64] = [:]

    public init() {}

    /// Claims `name` for image `imageID`.
    /// - Throws: `ConversionError` (.duplicateID) when another image already has it.
    public mutating func claim(_ name: String, imageID: Int64) throws {
        if let other = owners[name] {
            throw ConversionError(.duplicateID, "images \(other) and \(imageID) would both be written as \(name)",
                                  context: ErrorContext(imageID: imageID),
                                  hint: "image file names must have distinct stems; rename one of them")
        }
        owners[name] = imageID
    }

    /// Gives a name back (its sample was not written after all).
    public mutating func release(_ name: String) {
        owners[name] = nil
    }
}
