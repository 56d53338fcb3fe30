// swift-tools-version: 6.1
import PackageDescription

/// YAML loading throughput: Waymark's libyaml binding (node tree with positions) against libyaml's bare
/// event loop in C (the physical limit) and against Yams.
///
/// Yams bundles its own copy of libyaml under the same C symbol names, so it runs in its own executable
/// (`yams-bench`) rather than beside the system libyaml; `yaml-bench` starts it on the same files.
let package = Package(
    name: "YAMLBenchmark",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "Waymark", path: "../.."),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
    ],
    targets: [
        .target(name: "CBareLoop", linkerSettings: [.linkedLibrary("yaml")]),
        .executableTarget(
            name: "yaml-bench",
            dependencies: ["CBareLoop", .product(name: "WaymarkYAML", package: "Waymark")]
        ),
        .executableTarget(name: "yams-bench", dependencies: [.product(name: "Yams", package: "Yams")]),
    ]
)
