/// The PNG colour types (IHDR byte 9), as the decoder reports them.
public enum PNGColorType: Sendable, Hashable {
    /// One gray sample per pixel (colour type 0).
    case gray
    /// Gray and alpha (colour type 4).
    case grayAlpha
    /// Red, green, blue (colour type 2).
    case rgb
    /// Red, green, blue, alpha (colour type 6).
    case rgba
    /// One palette index per pixel (colour type 3); indices are delivered as-is, not expanded to RGB.
    case palette

    /// Samples per pixel in ``DecodedPNG/samples``.
    public var channels: Int {
        switch self {
        case .gray, .palette: 1
        case .grayAlpha: 2
        case .rgb: 3
        case .rgba: 4
        }
    }
}
