// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "cococonvert",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "cococonvert", targets: ["cococonvert"]),
        .library(name: "CocoConvertCore", targets: ["CocoConvertCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
    ],
    targets: [
        // Pure Swift: canonical model, RLE kernels, painting, pipeline, errors. No C.
        .target(name: "CocoConvertCore"),

        // Pure Swift zlib-stream encoder for label data (runs and repeated rows): PNG IDAT and HDF5 chunks.
        .target(name: "CocoConvertDeflate"),

        // COCO JSON (instances, stuff, results, panoptic). Panoptic PNGs are read through CocoConvertPNG.
        .target(name: "CocoConvertCOCO", dependencies: ["CocoConvertCore", "CocoConvertPNG"]),

        // libpng: system library, a C target that owns every libpng call behind setjmp, and the Swift face.
        .systemLibrary(name: "CLibPNG", pkgConfig: "libpng", providers: [.apt(["libpng-dev"]), .brew(["libpng"])]),
        .target(name: "CPNGShim", dependencies: ["CLibPNG"]),
        .target(name: "CocoConvertPNG", dependencies: ["CocoConvertCore", "CocoConvertDeflate", "CPNGShim"]),

        // Label presets (cocostuff171, voc21, COCO names) and the label-painting options the label-map formats share.
        .target(name: "CocoConvertLabels", dependencies: ["CocoConvertCore", "CocoConvertPNG"]),

        // One label PNG per image (coco2png / png2coco).
        .target(name: "CocoConvertLabelMaps", dependencies: ["CocoConvertCore", "CocoConvertPNG", "CocoConvertLabels"]),

        // Pascal VOC layout.
        .target(name: "CocoConvertVOC", dependencies: ["CocoConvertCore", "CocoConvertPNG", "CocoConvertLabels"]),

        // HDF5: system library with static-inline accessors for the H5T_NATIVE_* / H5P_DEFAULT macros.
        .systemLibrary(name: "CHDF5", pkgConfig: "hdf5-serial", providers: [.apt(["libhdf5-dev"]), .brew(["hdf5"])]),
        .target(name: "CocoConvertHDF5", dependencies: ["CocoConvertCore", "CocoConvertDeflate", "CocoConvertLabels", "CHDF5"]),

        // TFRecord framing, CRC32C and tf.train.Example, in Swift. Label PNGs through CocoConvertPNG.
        .target(name: "CocoConvertTFRecord", dependencies: ["CocoConvertCore", "CocoConvertPNG", "CocoConvertLabels"]),

        // Ultralytics YOLO (segment/detect); data.yaml through Yams.
        .target(name: "CocoConvertYOLO", dependencies: [
            "CocoConvertCore", "CocoConvertLabels", .product(name: "Yams", package: "Yams"),
        ]),

        // Tar archives (ustar/pax) read and written in pure Swift, streaming: shared by WebDataset and SA-1B.
        .target(name: "CocoConvertTar", dependencies: ["CocoConvertCore"]),

        // WebDataset tar shards: image + .json (compressed-RLE masks) + label .png per key.
        .target(name: "CocoConvertWebDataset", dependencies: [
            "CocoConvertCore", "CocoConvertTar", "CocoConvertPNG", "CocoConvertLabels", "CocoConvertLabelMaps",
        ]),

        // SA-1B (Segment Anything 1B): sa_*.tar or unpacked sa_*.jpg + sa_*.json, read only.
        .target(name: "CocoConvertSA1B", dependencies: ["CocoConvertCore", "CocoConvertTar", "CocoConvertWebDataset"]),

        // verify: compares two datasets (any readable formats) pixel by pixel and instance by instance. No C.
        .target(name: "CocoConvertVerify", dependencies: ["CocoConvertCore"]),

        // Pictures for people: JPEG (libjpeg-turbo, behind CJPEGShim) and PNG decoding to RGB, a canvas with a
        // built-in bitmap font, preview contact sheets and verify overlays.
        .target(name: "CJPEGShim", linkerSettings: [.linkedLibrary("turbojpeg")]),
        .target(name: "CocoConvertPictures", dependencies: ["CocoConvertCore", "CocoConvertPNG", "CocoConvertVerify", "CJPEGShim"]),

        // The command line as a library (testable), and the thin executable.
        .target(name: "CocoConvertCLI", dependencies: [
            "CocoConvertCore", "CocoConvertCOCO", "CocoConvertLabelMaps",
            "CocoConvertVOC", "CocoConvertHDF5", "CocoConvertTFRecord", "CocoConvertYOLO",
            "CocoConvertVerify", "CocoConvertLabels", "CocoConvertPictures",
            "CocoConvertWebDataset", "CocoConvertSA1B",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "cococonvert", dependencies: ["CocoConvertCLI"]),
        // Kernel micro-benchmarks (RLE decode, rasterise, PNG encode, CRC32C); run in release.
        .executableTarget(name: "cococonvert-bench", dependencies: [
            "CocoConvertCore", "CocoConvertCOCO", "CocoConvertPNG", "CocoConvertTFRecord",
        ]),

        // libFuzzer targets (./dev fuzz builds them with -DFUZZING -sanitize=fuzzer,address); without
        // -DFUZZING a replayer of saved inputs, which ./dev test runs over the seed corpora and crash inputs.
        .executableTarget(name: "cococonvert-fuzz", dependencies: [
            "CocoConvertCore", "CocoConvertCOCO", "CocoConvertPNG", "CocoConvertVOC", "CocoConvertTFRecord", "CocoConvertHDF5",
            "CocoConvertYOLO",
            "CocoConvertTar", "CocoConvertWebDataset", "CocoConvertSA1B",
        ]),

        .testTarget(name: "CocoConvertCoreTests", dependencies: ["CocoConvertCore"]),
        .testTarget(name: "CocoConvertCOCOTests", dependencies: ["CocoConvertCOCO", "CocoConvertCore"]),
        .testTarget(name: "CocoConvertPNGTests", dependencies: ["CocoConvertPNG", "CocoConvertDeflate", "CocoConvertLabelMaps", "CocoConvertLabels", "CocoConvertCOCO", "CocoConvertCore"]),
        .testTarget(name: "CocoConvertVOCTests", dependencies: ["CocoConvertVOC", "CocoConvertLabels", "CocoConvertLabelMaps", "CocoConvertCOCO", "CocoConvertPNG", "CocoConvertCore"]),
        .testTarget(name: "CocoConvertHDF5Tests", dependencies: ["CocoConvertHDF5", "CocoConvertLabelMaps", "CocoConvertCOCO", "CocoConvertPNG", "CocoConvertCore"]),
        .testTarget(name: "CocoConvertTFRecordTests", dependencies: ["CocoConvertTFRecord", "CocoConvertLabelMaps", "CocoConvertCOCO", "CocoConvertPNG", "CocoConvertCore"]),
        .testTarget(name: "CocoConvertYOLOTests", dependencies: ["CocoConvertYOLO", "CocoConvertCOCO", "CocoConvertCore"]),
        .testTarget(name: "CocoConvertWebDatasetTests", dependencies: [
            "CocoConvertWebDataset", "CocoConvertSA1B", "CocoConvertTar", "CocoConvertLabelMaps", "CocoConvertCOCO", "CocoConvertPNG", "CocoConvertCore",
        ]),
        .testTarget(name: "CocoConvertVerifyTests", dependencies: ["CocoConvertVerify", "CocoConvertCore"]),
        .testTarget(name: "CocoConvertPicturesTests", dependencies: ["CocoConvertPictures", "CocoConvertPNG", "CocoConvertCore"]),
        .testTarget(name: "CocoConvertCLITests", dependencies: ["CocoConvertCLI", "CocoConvertCore", "CocoConvertPNG", "CocoConvertPictures", "cococonvert"]),
    ]
)
