import ArgumentParser
import CocoConvertCore
import Foundation

/// `cococonvert merge OUT`: the last step of a partitioned conversion.
struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Join the index files of a partitioned conversion (--partitions N) into what one run writes.",
        discussion: """
            Each partition writes its per-sample files (PNGs, XMLs, label files, shards) under their final
            names and the files that cover the whole dataset (COCO JSON, labels.json, ImageSets lists,
            label maps, data.yaml) as parts in OUT/.cococonvert-parts (or <file>.cococonvert-parts beside
            a one-file output). Once every partition has finished, merge checks that all N are there, complete
            and made from the same input with the same options, joins the parts in partition order into
            exactly the files one run would have written, and removes the parts. It changes nothing when a
            check fails, and names the partitions to run again.

              cococonvert coco2png instances.json labels/ --partitions 4 --partition 0   (… 1, 2, 3 anywhere)
              cococonvert merge labels/
            """)

    @Argument(help: "The output the partitions were given (a directory, or the output file of a one-file format).")
    var output: String

    func run() throws {
        let console = Console()
        let started = Date()
        do {
            let merge = try PartitionMerge(output: output)
            let lock = try OutputLock(path: OutputLock.path(forOutput: merge.output, isDirectory: !merge.outputIsFile))
            defer { lock.release() }
            let outcome = try merge.run()
            // Temporaries of partition attempts that were killed and then run again elsewhere.
            let stale = merge.outputIsFile
                ? TemporaryFiles.removeStale(under: PathText.parent(of: merge.output), recursive: false, only: PathText.lastComponent(of: merge.output))
                : TemporaryFiles.removeStale(under: merge.output, recursive: true)
            let seconds = Date().timeIntervalSince(started)
            console.say("merged \(outcome.partitions) partitions (\(outcome.route)): \(Console.count(outcome.samples, "sample")), "
                        + "\(Console.count(outcome.files.count, "index file")) written in \(String(format: "%.2f", seconds)) s"
                        + (stale.isEmpty ? "" : "; removed \(stale.count) temporary files of killed attempts"))
        } catch let error as ConversionError {
            console.error(error)
            throw ExitCode(error.code == .usage ? ExitStatus.usage : ExitStatus.failure)
        }
    }
}
