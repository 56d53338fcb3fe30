// swift-tools-version: 6.1
import PackageDescription

/// The engine benchmarks: a separate package so that the main build stays lean.
///
/// `swift run -c release EngineBenchmark [--cases N] [--events N] [--definitions DIR]` replays a
/// simulated cohort through the shipped definitions with every rule on and prints events per
/// second end to end, peak resident memory per open case, and the cost of advancing one day.
/// `swift run -c release AdvanceBenchmark [--cases N,N,...]` builds engines of several sizes, the
/// largest with over 100,000 open cases, and prints the cost of advancing a day per timer fired.

/// What both benchmarks use of Waymark, and how they are built.
let waymark: [Target.Dependency] = ["WaymarkEngine", "WaymarkSimulation", "WaymarkFEEL", "WaymarkModel"].map {
    .product(name: $0, package: "Waymark")
}
let fast: [SwiftSetting] = [.unsafeFlags(["-Ounchecked"])]

let package = Package(
    name: "EngineBenchmark",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "Waymark", path: "../..")],
    targets: [
        .executableTarget(
            name: "EngineBenchmark",
            dependencies: waymark + [.product(name: "WaymarkSpill", package: "Waymark"), "BenchmarkSupport"],
            swiftSettings: fast
        ),
        .executableTarget(name: "AdvanceBenchmark", dependencies: waymark + ["BenchmarkSupport"], swiftSettings: fast),
        .target(
            name: "BenchmarkSupport",
            dependencies: [
                .product(name: "WaymarkDefinitions", package: "Waymark"),
                .product(name: "WaymarkModel", package: "Waymark"), "MallocInfo",
            ]
        ),
        .target(name: "MallocInfo"),
    ]
)
