// swift-tools-version: 6.1
import PackageDescription

/// The daemon benchmark: a separate package so that the main build stays lean.
///
/// `swift run -c release ServerBenchmark [--cases N] [--connections N] [--queries N]` runs the
/// daemon in this process on a loopback port with a real SQLite file (WAL, synchronous=FULL) and
/// prints: durable ingestion in batches of 100 from concurrent HTTP posters, `GET /v1/tasks?role=`
/// latency with that many open tasks, and start-up time over the stored cases.
let package = Package(
    name: "ServerBenchmark",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "Waymark", path: "../.."),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        .executableTarget(
            name: "ServerBenchmark",
            dependencies: [
                .product(name: "WaymarkServer", package: "Waymark"),
                .product(name: "WaymarkDefinitions", package: "Waymark"),
                .product(name: "WaymarkEngine", package: "Waymark"),
                .product(name: "WaymarkModel", package: "Waymark"),
                .product(name: "Logging", package: "swift-log"),
            ]
        )
    ]
)
