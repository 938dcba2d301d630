import ArgumentParser
import CocoConvertCore
import CocoConvertHDF5

/// Options of the HDF5 shard reader and writer.
struct HDF5Options: ParsableArguments {
    @Option(name: .customLong("compression"), help: "HDF5: gzip (default: cococonvert's label-map deflate, fast and small), gzip:1 … gzip:9 (classic deflate levels), or none.")
    var compression: String = "gzip"

    @Option(name: .customLong("pad-to"), help: "HDF5: pad every label map to HxW in every shard (default: each shard's largest sample).")
    var padTo: String?

    @Option(name: .customLong("chunk"), help: "HDF5: labels chunk tile HxW (default: --pad-to, else 640x640 = one COCO image per chunk).")
    var chunk: String?

    @Flag(name: .customLong("embed-images"), help: "HDF5: store each image file's encoded bytes in the shard (never decoded).")
    var embedImages = false

    init() {}

    func validate() throws {
        do {
            _ = try HDF5Compression(parsing: compression)
            _ = try padTo.map(HDF5Size.init(parsing:))
            _ = try chunk.map(HDF5Size.init(parsing:))
        } catch {
            throw ValidationError("\(error)")
        }
    }

    /// The writer settings these options ask for; `--shard` is common to sharded writers (ConvertOptions).
    func writerOptions(shard: Int?, split: String?) throws -> HDF5WriterOptions {
        HDF5WriterOptions(shardSize: shard ?? 1000, compression: try HDF5Compression(parsing: compression),
                          padTo: try padTo.map(HDF5Size.init(parsing:)), chunk: try chunk.map(HDF5Size.init(parsing:)),
                          embedImages: embedImages, split: split)
    }
}
