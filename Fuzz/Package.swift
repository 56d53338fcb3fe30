// swift-tools-version: 6.1
import PackageDescription

/// A fuzz target: an executable that hands its entry point to libFuzzer's driver; with `support`,
/// it also runs batches both ways through `FuzzSupport`.
func fuzzTarget(_ name: String, _ products: [String], support: Bool = false) -> Target {
    .executableTarget(
        name: name,
        dependencies: (support ? ["FuzzDriver", "FuzzSupport"] : ["FuzzDriver"])
            + products.map { .product(name: $0, package: "Waymark") }
    )
}

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
        .target(
            name: "FuzzSupport",
            dependencies: [
                .product(name: "WaymarkEngine", package: "Waymark"),
                .product(name: "WaymarkModel", package: "Waymark"),
            ]
        ),
        fuzzTarget("FuzzEvents", ["WaymarkEngine", "WaymarkDefinitions", "WaymarkModel"], support: true),
        fuzzTarget("FuzzFEEL", ["WaymarkFEEL", "WaymarkModel"]),
        fuzzTarget("FuzzDefinitions", ["WaymarkEngine", "WaymarkDefinitions", "WaymarkModel"], support: true),
        fuzzTarget("FuzzScenarios", ["WaymarkScenario"]),
    ]
)
