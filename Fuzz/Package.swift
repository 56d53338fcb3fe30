// swift-tools-version: 6.1
import PackageDescription

/// Coverage-guided fuzzing (libFuzzer) of everything Waymark reads from outside: event batches
/// (`POST /v1/events`, `waymark run`), definition files, scenario files and FEEL texts.
///
/// A separate package, because every target here must be built with `-sanitize=fuzzer` and is of no
/// use in the main build. `scripts/fuzz.sh TARGET SECONDS` builds one and runs it; see
/// `docs/operations.md`, "Fuzzing".
let package = Package(
    name: "WaymarkFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "Waymark", path: "..")],
    targets: [
        .target(name: "FuzzDriver"),
        .executableTarget(
            name: "FuzzEvents",
            dependencies: [
                "FuzzDriver",
                .product(name: "WaymarkEngine", package: "Waymark"),
                .product(name: "WaymarkDefinitions", package: "Waymark"),
                .product(name: "WaymarkModel", package: "Waymark"),
            ]
        ),
        .executableTarget(
            name: "FuzzFEEL",
            dependencies: [
                "FuzzDriver",
                .product(name: "WaymarkFEEL", package: "Waymark"),
                .product(name: "WaymarkModel", package: "Waymark"),
            ]
        ),
        .executableTarget(
            name: "FuzzDefinitions",
            dependencies: [
                "FuzzDriver",
                .product(name: "WaymarkEngine", package: "Waymark"),
                .product(name: "WaymarkDefinitions", package: "Waymark"),
                .product(name: "WaymarkModel", package: "Waymark"),
            ]
        ),
        .executableTarget(
            name: "FuzzScenarios",
            dependencies: [
                "FuzzDriver",
                .product(name: "WaymarkScenario", package: "Waymark"),
            ]
        ),
    ]
)
