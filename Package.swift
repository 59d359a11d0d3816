// swift-tools-version: 6.0
// Kiln: safetensors checkpoints in, verified GGUF out.
//
// Modules follow the pipeline; lower modules never import higher ones:
//   KilnCore → KilnSafeTensors, KilnGGUF, KilnImages → KilnCheckpoints, KilnTokenizers → KilnTransforms, KilnQuantization → KilnRuntime, KilnConversion → KilnQuality → kiln, KilnFuzzTargets
//   (C shims below them: CImageCodecs for KilnImages, CMatrixProducts for KilnRuntime)
//
// Release builds should enable AVX2/FMA: `swift build -c release -Xcc -march=x86-64-v3`
// (see README). The flags stay on the command line so the package remains usable as a dependency.
import PackageDescription

let package = Package(
    name: "Kiln",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "kiln", targets: ["kiln"]),
        .library(name: "KilnConversion", targets: ["KilnConversion"]),
        // Every reader of untrusted files as a fuzz target, for the libFuzzer package in Fuzz/ (built only by Scripts/fuzz/run.sh).
        .library(name: "KilnFuzzTargets", targets: ["KilnFuzzTargets"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .target(name: "KilnCore"),
        .target(name: "KilnSafeTensors", dependencies: ["KilnCore"]),
        .target(name: "KilnGGUF", dependencies: ["KilnCore"]),
        .target(name: "KilnCheckpoints", dependencies: ["KilnCore", "KilnSafeTensors", "KilnGGUF", "KilnImages"]),
        .target(name: "KilnTokenizers", dependencies: ["KilnCore", "KilnGGUF"]),
        .target(name: "KilnTransforms", dependencies: ["KilnCore", "KilnCheckpoints", "KilnSafeTensors"]),
        .target(name: "KilnQuantization", dependencies: ["KilnCore", "KilnGGUF"]),
        .systemLibrary(name: "CZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"])]),
        .systemLibrary(name: "CJPEG", pkgConfig: "libjpeg", providers: [.apt(["libjpeg-dev"])]),
        .systemLibrary(name: "CPNG", pkgConfig: "libpng", providers: [.apt(["libpng-dev"])]),
        // libjpeg and libpng report errors by longjmp, which must not cross Swift frames: their calls live in C.
        .target(name: "CImageCodecs", dependencies: ["CJPEG", "CPNG"]),
        .target(name: "KilnImages", dependencies: ["KilnCore", "CImageCodecs"]),
        // Integer SIMD matrix kernels, one version per x86 ISA chosen at run time (target attributes, not -march).
        .target(name: "CMatrixProducts"),
        .target(name: "KilnQuality", dependencies: ["KilnCore", "KilnCheckpoints", "KilnConversion", "KilnRuntime", "KilnTokenizers", "KilnImages", "CZstd"]),
        .target(name: "KilnRuntime", dependencies: ["KilnCore", "KilnGGUF", "KilnCheckpoints", "KilnTokenizers", "KilnQuantization", "KilnImages", "CMatrixProducts"]),
        .target(name: "KilnConversion", dependencies: ["KilnCore", "KilnCheckpoints", "KilnGGUF", "KilnTokenizers", "KilnQuantization"]),
        .executableTarget(
            name: "kiln",
            dependencies: [
                "KilnCore", "KilnSafeTensors", "KilnGGUF", "KilnCheckpoints", "KilnTransforms", "KilnConversion", "KilnRuntime", "KilnQuality",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(name: "KilnFuzzTargets", dependencies: ["KilnCore", "KilnSafeTensors", "KilnGGUF", "KilnCheckpoints", "KilnTokenizers",
                                                        "KilnQuantization", "KilnConversion", "KilnQuality", "KilnImages"]),
        .target(name: "KilnTestSupport", dependencies: ["KilnCore", "KilnSafeTensors"]),
        .testTarget(name: "KilnCoreTests", dependencies: ["KilnCore", "KilnTestSupport"]),
        .testTarget(name: "KilnSafeTensorsTests", dependencies: ["KilnSafeTensors", "KilnTestSupport"]),
        .testTarget(name: "KilnGGUFTests", dependencies: ["KilnGGUF", "KilnTestSupport"]),
        .testTarget(name: "KilnCheckpointsTests", dependencies: ["KilnCheckpoints", "KilnTestSupport"]),
        .testTarget(name: "KilnTransformsTests", dependencies: ["KilnTransforms", "KilnConversion", "KilnRuntime", "KilnTestSupport"]),
        .testTarget(name: "KilnQuantizationTests", dependencies: ["KilnQuantization", "KilnTestSupport"]),
        .testTarget(name: "KilnTokenizersTests", dependencies: ["KilnTokenizers", "KilnTestSupport"]),
        .testTarget(name: "KilnRuntimeTests", dependencies: ["KilnRuntime", "KilnConversion", "KilnTestSupport", "CMatrixProducts"]),
        .testTarget(name: "KilnImagesTests", dependencies: ["KilnImages", "KilnTestSupport", "CZstd"]),
        .testTarget(name: "KilnQualityTests", dependencies: ["KilnQuality", "KilnTestSupport", "CZstd"]),
        .testTarget(name: "KilnConversionTests", dependencies: ["KilnConversion", "KilnTestSupport"]),
        .testTarget(name: "KilnFuzzTargetsTests", dependencies: ["KilnFuzzTargets", "KilnTestSupport"]),
        .testTarget(name: "KilnCLITests", dependencies: ["kiln", "KilnGGUF", "KilnImages", "KilnQuantization", "KilnTestSupport"]),
    ]
)
