import Foundation

/// Human-readable byte counts (decimal units, as `ls -h --si` and file managers show them).
public enum ByteCount {
    /// `1234567` → `1.2 MB`.
    public static func format(_ bytes: Int64) -> String {
        let units = ["B", "KB", "MB", "GB", "TB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1000 && unit < units.count - 1 {
            value /= 1000
            unit += 1
        }
        return unit == 0 ? "\(bytes) B" : String(format: "%.1f %@", value, units[unit])
    }
}
