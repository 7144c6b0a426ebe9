// swift-tools-version:6.1
import PackageDescription

// Benchmarks of the event log and the projection fold, kept in their own package so the
// benchmark dependency (and its malloc interposer) stays out of the service's build.
// Run from this directory:
//     swift package --allow-writing-to-package-directory benchmark --target EventLogBenchmarks

// `.package(path: "../")` takes its identity from the name of the parent directory (the checkout's
// name, e.g. "main" or "metrics-service"), so the product references below use that name.
let parentPackage = String(Context.packageDirectory.split(separator: "/").dropLast().last ?? "main")

let package = Package(
    name: "metrics-service-benchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: "../"),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "EventLogBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "EventLog", package: parentPackage),
                .product(name: "Projections", package: parentPackage),
                .product(name: "Utilities", package: parentPackage),
                .product(name: "FleetServices", package: parentPackage),
            ],
            path: "Benchmarks/EventLogBenchmarks",
            plugins: [
                .plugin(name: "BenchmarkPlugin", package: "benchmark")
            ]
        ),
        .executableTarget(
            name: "ScaleBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "Projections", package: parentPackage),
                .product(name: "Utilities", package: parentPackage),
            ],
            path: "Benchmarks/ScaleBenchmarks",
            plugins: [
                .plugin(name: "BenchmarkPlugin", package: "benchmark")
            ]
        ),
        .executableTarget(
            name: "BudgetBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "Projections", package: parentPackage),
                .product(name: "APIContract", package: parentPackage),
                .product(name: "Utilities", package: parentPackage),
            ],
            path: "Benchmarks/BudgetBenchmarks",
            plugins: [
                .plugin(name: "BenchmarkPlugin", package: "benchmark")
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
