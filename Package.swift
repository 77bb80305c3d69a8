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
        "CLVData", "CLVModels", "CLVEvaluation", "CLVReport",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    .target(
      name: "CLVModels",
      dependencies: ["CLVData", "CLVNumerics", .product(name: "RealModule", package: "swift-numerics")]
    ),

    // MARK: Internal

    // Run files of `clv evaluate` (self-contained Codable types).
    .target(name: "CLVEvaluation", dependencies: ["CLVData"]),
    // SVG charts and the HTML/Markdown comparison report of `clv report`.
    .target(name: "CLVReport", dependencies: ["CLVEvaluation"]),

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

    .testTarget(name: "CLVNumericsTests", dependencies: ["CLVNumerics", "TestSupport"]),
    .testTarget(name: "CLVDataTests", dependencies: ["CLVData", "TestSupport"]),
    .testTarget(
      name: "CLVReportTests", dependencies: ["CLVReport", "CLVEvaluation", "CLVData", "TestSupport"],
      exclude: ["Fixtures"]
    ),
    .testTarget(name: "CLVCommandTests", dependencies: ["clv", "TestSupport"]),
  ]
)
