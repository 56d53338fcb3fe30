// swift-tools-version: 6.1
import PackageDescription

/// Waymark: a workflow and rules engine for children's social care.
///
/// The layout keeps a small pure core (model, FEEL, engine) with the edges around it:
///
/// - `CYAML`, `WaymarkYAML`: the system libyaml and our position-keeping node tree over it (edge).
/// - `CMemoryHints`: a prefetch hint, which Swift cannot emit itself (used by the engine's batch run).
/// - `WaymarkFEEL`: the DMN expression language (pure).
/// - `WaymarkModel`: definitions as typed immutable values, durations, calendars, diagnostics (pure).
/// - `WaymarkDefinitions`: loading and validating a definitions folder from YAML (edge).
/// - `WaymarkEngine`: cases, stages, tasks, timers and rules (pure).
/// - `WaymarkScenario`: scenario files (`waymark test`) read and checked against the engine (edge).
/// - `WaymarkSimulation`: a seeded synthetic cohort of events (`waymark simulate`) (pure).
/// - `WaymarkStore`: the durable event log and projections: SQLite embedded, or PostgreSQL (edge).
/// - `WaymarkServer`: `waymark serve`, the daemon over HTTP (edge).
/// - `waymark`: the command line, which only parses arguments and calls the libraries.
/// - `WaymarkTestSupport`: seeded number sequences shared by the test targets; no product ships it.
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny")
]

let package = Package(
    name: "Waymark",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "waymark", targets: ["waymark"]),
        .library(name: "WaymarkFEEL", targets: ["WaymarkFEEL"]),
        .library(name: "WaymarkYAML", targets: ["WaymarkYAML"]),
        .library(name: "WaymarkModel", targets: ["WaymarkModel"]),
        .library(name: "WaymarkDefinitions", targets: ["WaymarkDefinitions"]),
        .library(name: "WaymarkEngine", targets: ["WaymarkEngine"]),
        .library(name: "WaymarkScenario", targets: ["WaymarkScenario"]),
        .library(name: "WaymarkSimulation", targets: ["WaymarkSimulation"]),
        .library(name: "WaymarkSpill", targets: ["WaymarkSpill"]),
        .library(name: "WaymarkStore", targets: ["WaymarkStore"]),
        .library(name: "WaymarkServer", targets: ["WaymarkServer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.1.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"])]
        ),
        .target(name: "WaymarkYAML", dependencies: ["CYAML"], swiftSettings: strictSettings),
        .target(name: "CMemoryHints"),
        .target(name: "WaymarkFEEL", swiftSettings: strictSettings),
        .target(name: "WaymarkModel", dependencies: ["WaymarkFEEL"], swiftSettings: strictSettings),
        .target(
            name: "WaymarkDefinitions",
            dependencies: ["WaymarkYAML", "WaymarkModel", "WaymarkFEEL"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "WaymarkEngine",
            dependencies: [
                "WaymarkModel", "WaymarkFEEL", "CMemoryHints",
                .product(name: "Collections", package: "swift-collections"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "WaymarkSimulation",
            dependencies: ["WaymarkEngine", "WaymarkModel", "WaymarkFEEL"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "WaymarkScenario",
            dependencies: ["WaymarkEngine", "WaymarkDefinitions", "WaymarkYAML", "WaymarkModel", "WaymarkFEEL"],
            swiftSettings: strictSettings
        ),
        .target(name: "WaymarkSpill", dependencies: ["WaymarkEngine"], swiftSettings: strictSettings),
        .target(
            name: "WaymarkStore",
            dependencies: [
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "WaymarkServer",
            dependencies: [
                "WaymarkStore", "WaymarkEngine", "WaymarkDefinitions", "WaymarkModel", "WaymarkFEEL",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "waymark",
            dependencies: [
                "WaymarkYAML", "WaymarkFEEL", "WaymarkModel", "WaymarkDefinitions", "WaymarkEngine",
                "WaymarkScenario", "WaymarkSimulation", "WaymarkSpill", "WaymarkStore", "WaymarkServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSettings
        ),
        .target(name: "WaymarkTestSupport", swiftSettings: strictSettings),
        .testTarget(name: "WaymarkYAMLTests", dependencies: ["WaymarkYAML"], swiftSettings: strictSettings),
        .testTarget(
            name: "WaymarkFEELTests", dependencies: ["WaymarkFEEL", "WaymarkTestSupport"],
            // The TCK cases are read from the source tree by path, not bundled.
            exclude: ["Resources"], swiftSettings: strictSettings
        ),
        .testTarget(
            name: "WaymarkModelTests", dependencies: ["WaymarkModel", "WaymarkTestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "WaymarkDefinitionsTests",
            dependencies: ["WaymarkDefinitions"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "WaymarkEngineTests",
            dependencies: ["WaymarkEngine", "WaymarkDefinitions", "WaymarkSpill", "WaymarkTestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "WaymarkScenarioTests",
            dependencies: ["WaymarkScenario", "WaymarkSimulation"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "WaymarkServerTests",
            dependencies: [
                "WaymarkServer", "WaymarkStore", "WaymarkEngine", "WaymarkModel", "waymark",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "WaymarkCLITests",
            dependencies: ["waymark"],
            swiftSettings: strictSettings
        ),
    ]
)
