// swift-tools-version:6.1
// Micro-benchmarks for Territory (ordo-one/benchmark). A nested package so the benchmark
// harness never enters the main package's dependency graph. Run from this folder:
//   swift package benchmark                       # all benchmarks
//   swift package benchmark --filter Evaluate     # a subset
import PackageDescription

let package = Package(
    name: "TerritoryBenchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "Territory", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "TerritoryBenchmarks",
            dependencies: [
                .product(name: "TerritoryDesign", package: "Territory"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/TerritoryBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]),
    ]
)
