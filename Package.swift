// swift-tools-version:6.1
// Territory: sales territory design (balanced, compact, contiguous territories) in Swift.
// Licensed GPL-3.0-or-later (GLPK, which the exact path links, is GPL-3).
import PackageDescription

let optimize: [SwiftSetting] = [
    .unsafeFlags(["-cross-module-optimization"], .when(configuration: .release)),
]

let package = Package(
    name: "Territory",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "TerritoryDesign", targets: ["TerritoryDesign"]),
        .executable(name: "territory", targets: ["TerritoryCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // MARK: Public library modules
        .target(name: "TerritoryCore", swiftSettings: optimize),
        .target(name: "TerritoryEvaluation", dependencies: ["TerritoryCore"], swiftSettings: optimize),
        .target(name: "TerritoryIO", dependencies: ["TerritoryCore", "TerritoryEvaluation"], swiftSettings: optimize),
        .target(name: "TerritorySolving", dependencies: ["TerritoryCore", "TerritoryEvaluation"], swiftSettings: optimize),
        .target(
            name: "TerritoryHeuristics", dependencies: ["TerritoryCore", "TerritoryEvaluation", "TerritorySolving"],
            swiftSettings: optimize),
        .target(name: "MILP", dependencies: ["CGLPK", "CGLPKGuard"], swiftSettings: optimize),
        .target(
            name: "TerritoryMIP",
            dependencies: ["MILP", "TerritoryCore", "TerritoryEvaluation", "TerritorySolving", "TerritoryHeuristics"],
            swiftSettings: optimize),
        .target(
            name: "TerritoryBenchmarking",
            dependencies: ["TerritoryCore", "TerritoryEvaluation", "TerritoryIO", "TerritorySolving", "TerritoryHeuristics", "TerritoryMIP"],
            swiftSettings: optimize),
        .target(name: "TerritoryReports", dependencies: ["TerritoryCore", "TerritoryEvaluation"], swiftSettings: optimize),
        .target(
            name: "TerritoryPlanning",
            dependencies: ["TerritoryCore", "TerritoryEvaluation", "TerritoryIO", "TerritorySolving", "TerritoryHeuristics", "TerritoryMIP"],
            swiftSettings: optimize),
        .target(
            name: "TerritoryDesign",
            dependencies: [
                "TerritoryCore", "TerritoryEvaluation", "TerritoryIO", "TerritorySolving", "TerritoryHeuristics",
                "TerritoryBenchmarking", "TerritoryMIP", "TerritoryPlanning", "TerritoryReports", "MILP",
            ],
            swiftSettings: optimize),

        // MARK: The command-line tool (the only target that sees ArgumentParser)
        .executableTarget(
            name: "TerritoryCLI",
            dependencies: [
                "TerritoryDesign",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: optimize),

        // MARK: The C boundary (GLPK)
        .systemLibrary(name: "CGLPK", providers: [.apt(["libglpk-dev"])]),
        .target(name: "CGLPKGuard", dependencies: ["CGLPK"]),

        // MARK: Tests
        .testTarget(name: "TerritoryCoreTests", dependencies: ["TerritoryCore"]),
        .testTarget(name: "TerritoryEvaluationTests", dependencies: ["TerritoryCore", "TerritoryEvaluation", "TerritoryIO"]),
        .testTarget(
            name: "TerritoryIOTests",
            dependencies: ["TerritoryCore", "TerritoryEvaluation", "TerritoryIO"],
            resources: []),
        .testTarget(name: "MILPTests", dependencies: ["MILP"]),
        .testTarget(
            name: "TerritoryMIPTests",
            dependencies: ["TerritoryMIP", "MILP", "TerritoryCore", "TerritoryEvaluation", "TerritoryIO", "TerritorySolving", "TerritoryHeuristics"]),
        .testTarget(
            name: "TerritoryHeuristicsTests",
            dependencies: ["TerritoryCore", "TerritoryEvaluation", "TerritoryIO", "TerritorySolving", "TerritoryHeuristics"]),
        .testTarget(name: "TerritoryCLITests", dependencies: ["TerritoryCLI"]),
        .testTarget(name: "TerritoryReportsTests", dependencies: ["TerritoryReports", "TerritoryCore", "TerritoryEvaluation", "TerritoryIO"]),
        .testTarget(
            name: "TerritoryPlanningTests",
            dependencies: ["TerritoryPlanning", "TerritoryCore", "TerritoryEvaluation", "TerritoryIO", "TerritorySolving", "TerritoryHeuristics"]),
        .testTarget(
            name: "TerritoryBenchmarkingTests",
            dependencies: ["TerritoryBenchmarking", "TerritoryIO", "TerritoryCore"]),
    ],
    swiftLanguageModes: [.v6]
)
