import CocoConvertCore

/// SA-1B, the Segment Anything 1-billion-mask dataset, read straight from its tar files (formats/sa1b.md).
public enum SA1BFormat {
    public static let plugin = FormatPlugin(
        name: "sa1b",
        aliases: ["sa-1b"],
        summary: "SA-1B (Segment Anything): sa_*.tar files or unpacked sa_*.jpg + sa_*.json, one class-agnostic category (read only)",
        reader: ReaderPlugin(
            accepts: "a directory of sa_*.tar files, one sa_*.tar, or an unpacked directory of sa_*.jpg + sa_*.json; read without unpacking",
            options: [],
            detect: detect,
            configure: { _ in
                { input, skips in try SA1BReader(path: input, skips: skips) }
            }),
        writer: nil)

    /// SA-1B's own names: `sa_*.tar` (a file or a directory of them), or `sa_*.json` in a directory.
    static func detect(_ probe: InputProbe) -> Detection? {
        if probe.isDirectory {
            if probe.entries.contains(where: { $0.hasPrefix("sa_") && $0.hasSuffix(".tar") }) {
                return Detection(confidence: 96, "a directory of SA-1B tar files")
            }
            if probe.entries.contains(where: { $0.hasPrefix("sa_") && $0.hasSuffix(".json") }) {
                return Detection(confidence: 92, "an unpacked SA-1B directory")
            }
            return nil
        }
        let name = probe.path.split(separator: "/").last.map(String.init) ?? probe.path
        guard name.hasPrefix("sa_"), name.hasSuffix(".tar"), probe.head.count >= 512,
              probe.head[257..<262].elementsEqual(Array("ustar".utf8)) else { return nil }
        return Detection(confidence: 96, "an SA-1B tar file")
    }
}
