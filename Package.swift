// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "metrics-service",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "metrics-service", targets: ["MetricsService"]),
        .executable(name: "metrics-replay", targets: ["MetricsReplay"]),
        .library(name: "EventLog", targets: ["EventLog"]),
        .library(name: "PostgresLog", targets: ["PostgresLog"]),
        .library(name: "Utilities", targets: ["Utilities"]),
        .library(name: "Projections", targets: ["Projections"]),
        .library(name: "APIContract", targets: ["APIContract"]),
        .library(name: "FleetServices", targets: ["FleetServices"]),
        .library(name: "HTTPAPI", targets: ["HTTPAPI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.6.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-protobuf.git", from: "1.39.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CLMDB",
            pkgConfig: "lmdb",
            providers: [.apt(["liblmdb-dev"])]
        ),
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .target(name: "CCRC32C"),
        .target(
            name: "EventLog",
            dependencies: [
                "CLMDB",
                "CCRC32C",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The log kept in PostgreSQL (a `LogStorage`), for several nodes. Knows nothing of metrics.
        .target(
            name: "PostgresLog",
            dependencies: [
                "EventLog",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // OTLP/HTTP trace requests (protobuf, code generated once and committed; JSON) and the
        // mapping of GenAI spans to metrics. No HTTP server.
        .target(
            name: "OTLPTraces",
            dependencies: ["Utilities", "CZlib", .product(name: "SwiftProtobuf", package: "swift-protobuf")],
            exclude: ["Proto/otlp_traces.proto"]
        ),
        // JSON, UTC time and statistics: small tools with no knowledge of metrics.
        .target(
            name: "Utilities",
            dependencies: [.product(name: "OrderedCollections", package: "swift-collections")]
        ),
        // The domain: events, their codec, the pure decisions, the projection and its queries.
        .target(name: "Projections", dependencies: ["Utilities"]),
        // The contract without an HTTP server: its read endpoints over a projection, query
        // parameters, metric validation and the error envelope. `replay` answers reads with it.
        .target(
            name: "APIContract",
            dependencies: [
                "EventLog",
                "Projections",
                "Utilities",
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ]
        ),
        // The service layer, no HTTP server: the writer's state and decisions, FleetService,
        // replay and what-if, retention, the evaluation scheduler, webhook notifications.
        .target(
            name: "FleetServices",
            dependencies: [
                "EventLog",
                "PostgresLog",
                "Projections",
                "Utilities",
                "APIContract",
                "CZlib",
                "CCRC32C",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOExtras", package: "swift-nio-extras"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // The HTTP server: Hummingbird routes and controllers, the renderer, auth, metrics, dashboard.
        .target(
            name: "HTTPAPI",
            dependencies: [
                "EventLog",
                "Projections",
                "Utilities",
                "APIContract",
                "FleetServices",
                "OTLPTraces",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            resources: [.copy("Dashboard"), .copy("OpenAPI")]
        ),
        // The command-line tools beside `serve`: `replay …`, `seed-demo`, `stress-append`. No HTTP server.
        .target(
            name: "FleetCommands",
            dependencies: [
                "EventLog",
                "Projections",
                "Utilities",
                "APIContract",
                "FleetServices",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "MetricsService",
            dependencies: [
                "HTTPAPI",
                "OTLPTraces",
                "FleetCommands",
                "FleetServices",
                "EventLog",
                "Projections",
                "Utilities",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // The log tools alone (`replay …`, `seed-demo`): a binary without the HTTP server.
        .executableTarget(
            name: "MetricsReplay",
            dependencies: [
                "FleetCommands",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(
            name: "TestSupport",
            dependencies: ["EventLog", "PostgresLog", .product(name: "Logging", package: "swift-log")],
            path: "Tests/TestSupport"),
        .testTarget(
            name: "EventLogTests", dependencies: ["EventLog", "PostgresLog", "Projections", "Utilities", "TestSupport"]),
        .testTarget(
            name: "ProjectionsTests", dependencies: ["Projections", "Utilities", "APIContract", "TestSupport"],
            resources: [.copy("Fixtures")]),
        .testTarget(
            name: "HTTPAPITests",
            dependencies: [
                "HTTPAPI",
                "FleetServices",
                "APIContract",
                "EventLog",
                "Projections",
                "Utilities",
                "TestSupport",
                "OTLPTraces",
                "CZlib",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            resources: [.copy("Fixtures")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
