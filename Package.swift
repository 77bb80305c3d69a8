// swift-tools-version: 6.0
import PackageDescription

let package = Package(
  name: "clvkit",
  platforms: [.macOS(.v13)],
  products: [
    .executable(name: "clv", targets: ["clv"]),
    .library(name: "CLVModels", targets: ["CLVModels"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/apple/swift-numerics", from: "1.1.1"),
  ],
  targets: [
    // MARK: Public

    .executableTarget(
      name: "clv",
      dependencies: [
        "CLVData", "CLVModels", "CLVScoring",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    .target(
      name: "CLVModels",
      dependencies: ["CLVData", "CLVNumerics", .product(name: "RealModule", package: "swift-numerics")]
    ),

    // MARK: Internal

    // Release-mode benchmark of the churn fit (not part of the test suite).
    .executableTarget(
      name: "churn-benchmark", dependencies: ["CLVModels", "CLVNumerics"],
      path: "Benchmarks/ChurnBenchmark"),
    // Segments, lifecycle stages, win-back and replenishment lists (pure rules; no I/O but
    // reading scores files).
    .target(name: "CLVScoring", dependencies: ["CLVData"]),
    .target(
      name: "CLVData",
      dependencies: []
    ),
    .target(
      name: "CLVNumerics",
      dependencies: ["CLAPACK", .product(name: "RealModule", package: "swift-numerics")]
    ),
    // The only C boundary: CBLAS + LAPACKE (Debian libopenblas-dev, liblapacke-dev).
    // Only Sources/CLVNumerics/LinearAlgebra may import it (checked by a test and by .ci/run).
    .systemLibrary(name: "CLAPACK", path: "Sources/CLAPACK"),

    // MARK: Test support

    .target(name: "TestSupport", path: "Tests/_TestSupport"),

    // MARK: Tests

    .testTarget(
      name: "CLVNumericsTests", dependencies: ["CLVNumerics", "TestSupport"],
      exclude: ["Reference"]),
    .testTarget(name: "CLVDataTests", dependencies: ["CLVData", "TestSupport"]),
    .testTarget(
      name: "CLVModelsTests", dependencies: ["CLVModels", "CLVData", "CLVNumerics", "TestSupport"]),
    .testTarget(name: "CLVScoringTests", dependencies: ["CLVScoring", "CLVData", "TestSupport"]),
    .testTarget(name: "CLVCommandTests", dependencies: ["clv", "TestSupport"]),
  ]
)
