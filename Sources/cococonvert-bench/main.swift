// Micro-benchmarks of the kernels; the end-to-end harness against the Python baselines is bench/run.
// Usage: cococonvert-bench <kernel> [...]   (run a release build: swift build -c release --product cococonvert-bench)

let kernels: [(name: String, summary: String, run: () -> Void)] = [
    ("rle-rows", "RLE → row-major rows / painting / row encoder / polygon rasteriser on 640×480 masks", RLEBench.run),
    ("png-encode", "label-map PNG encoding: label-map deflate vs libpng zlib vs Pillow (--maps=DIR --limit=N --no-python)",
     PNGEncodeBench.run),
]

let arguments = Array(CommandLine.arguments.dropFirst())
let selected = arguments.isEmpty ? [] : kernels.filter { arguments.contains($0.name) || arguments.contains("all") }
if selected.isEmpty {
    print("usage: cococonvert-bench <kernel>... | all")
    for kernel in kernels { print("  \(kernel.name)  \(kernel.summary)") }
} else {
    for kernel in selected { kernel.run() }
}
