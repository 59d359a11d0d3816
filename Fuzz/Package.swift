// swift-tools-version: 6.0
// libFuzzer harnesses for Kiln's readers of untrusted files. Built only by Scripts/fuzz/run.sh, with
// `-sanitize=fuzzer,address`, so the normal build and CI do not pay for them.
import PackageDescription

let package = Package(
    name: "KilnFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "Kiln", path: "..")],
    targets: [
        .executableTarget(
            name: "kiln-fuzz",
            dependencies: [.product(name: "KilnReaders", package: "Kiln")],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        ),
    ]
)
