// swift-tools-version: 6.0
// libFuzzer driver for Kiln's fuzz targets (KilnFuzzTargets). Built only by Scripts/fuzz/run.sh, with
// `-sanitize=fuzzer,address`, so the normal build and CI do not pay for it; CI replays the committed
// corpus through the same targets in the normal test suite.
import PackageDescription

let package = Package(
    name: "KilnFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "Kiln", path: "..")],
    targets: [
        .executableTarget(
            name: "kiln-fuzz",
            dependencies: [.product(name: "KilnFuzzTargets", package: "Kiln")],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        ),
    ]
)
