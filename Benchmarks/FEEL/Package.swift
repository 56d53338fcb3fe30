// swift-tools-version: 6.1
import PackageDescription

/// The FEEL benchmark: a separate package so that the main build stays lean.
///
/// `swift run -c release FEELBenchmark [--seconds S]` prints evaluations per second, single thread,
/// for the four cases of issue 3: a simple comparison, a boolean of five comparisons, the
/// re-referral condition over a 50-event history, and a 12-row, 3-input first-hit decision table.
let package = Package(
    name: "FEELBenchmark",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "Waymark", path: "../..")],
    targets: [
        .executableTarget(
            name: "FEELBenchmark",
            dependencies: [.product(name: "WaymarkFEEL", package: "Waymark")]
        )
    ]
)
