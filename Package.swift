// swift-tools-version:6.0
// opsim: a deterministic simulation and benchmarking harness for an index-options data platform.
// The dependency list stays empty by design: everything is built on the Swift toolchain alone.
import PackageDescription

let package = Package(
    name: "opsim",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "opsim", targets: ["opsim"]),
        .executable(name: "opsim-bench", targets: ["opsim-bench"]),
        .library(name: "MarketSim", targets: ["MarketSim"]),
        .library(name: "Platform", targets: ["Platform"]),
        .library(name: "Chaos", targets: ["Chaos"]),
    ],
    dependencies: [],
    targets: [
        .target(name: "MarketSim", path: "Sources/MarketSim"),
        .target(name: "Platform", path: "Sources/Platform"),
        .target(name: "Chaos", dependencies: ["MarketSim", "Platform"], path: "Sources/Chaos"),
        .executableTarget(
            name: "opsim", dependencies: ["Chaos", "MarketSim", "Platform"], path: "Sources/opsim"),
        .executableTarget(
            name: "opsim-bench", dependencies: ["Chaos", "MarketSim", "Platform"], path: "Benchmarks",
            exclude: ["README.md"]),
        .testTarget(name: "MarketSimTests", dependencies: ["MarketSim"], path: "Tests/MarketSimTests"),
        .testTarget(name: "PlatformTests", dependencies: ["Platform"], path: "Tests/PlatformTests"),
        .testTarget(
            name: "ChaosTests", dependencies: ["Chaos", "MarketSim", "Platform"],
            path: "Tests/ChaosTests"),
        .testTarget(
            name: "opsimTests", dependencies: ["opsim", "Chaos"], path: "Tests/opsimTests"),
    ]
)
