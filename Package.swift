// swift-tools-version: 6.0
import PackageDescription

let realModule = Target.Dependency.product(name: "RealModule", package: "swift-numerics")

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

    // The command line: the only target that parses arguments or touches the terminal.
    .executableTarget(
      name: "clv",
      dependencies: [
        "CLVData", "CLVModels", "CLVScoring", "CLVEvaluation", "CLVReport",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    // BG/NBD, MBG/NBD, Pareto/NBD, BG/BB, Gamma-Gamma, churn-logit; model files.
    .target(name: "CLVModels", dependencies: ["CLVData", "CLVNumerics", realModule]),

    // MARK: Internal

    // Run files of `clv evaluate` (self-contained Codable types); the targeting backtest of the
    // CLVScoring lists.
    .target(
      name: "CLVEvaluation", dependencies: ["CLVData", "CLVModels", "CLVNumerics", "CLVScoring"]),
    // SVG charts and the HTML/Markdown comparison report of `clv report`.
    .target(name: "CLVReport", dependencies: ["CLVEvaluation"]),
    // Segments, lifecycle stages, win-back and replenishment lists (pure rules; no I/O but
    // reading scores files).
    .target(name: "CLVScoring", dependencies: ["CLVData"]),
    // Order logs, summaries, dates, atomic output files.
    .target(name: "CLVData", dependencies: []),
    // Special functions, optimizers, linear algebra.
    .target(name: "CLVNumerics", dependencies: ["CLAPACK", realModule]),
    // The only C boundary: CBLAS + LAPACKE (Debian libopenblas-dev, liblapacke-dev).
    // Only Sources/CLVNumerics/LinearAlgebra may import it (checked by a test and by .ci/run).
    .systemLibrary(name: "CLAPACK", path: "Sources/CLAPACK"),

    // MARK: Benchmarks (release-mode executables, not part of the test suite)

    // `make bench`: the whole pipeline at 10k, 100k and 1M simulated customers.
    .executableTarget(
      name: "clv-bench", dependencies: ["CLVData", "CLVModels", "CLVScoring"],
      path: "Benchmarks/clv-bench"),
    .executableTarget(
      name: "churn-benchmark", dependencies: ["CLVModels", "CLVNumerics"],
      path: "Benchmarks/ChurnBenchmark"),

    // MARK: Fuzzing

    // `clv-fuzz --seconds N --seed S`: a seeded mutation loop over every file reader (make fuzz).
    .executableTarget(
      name: "clv-fuzz",
      dependencies: ["CLVData", "CLVModels", "CLVScoring", "CLVEvaluation"],
      path: "Fuzz/clv-fuzz"),

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
    .testTarget(
      name: "CLVReportTests",
      // CLVModels only to check that a model file's content is a valid run-file entry.
      dependencies: ["CLVReport", "CLVEvaluation", "CLVData", "CLVModels", "TestSupport"],
      exclude: ["Fixtures"]),
    .testTarget(
      name: "CLVEvaluationTests",
      dependencies: ["CLVEvaluation", "CLVModels", "CLVData", "CLVScoring", "TestSupport"]),
    .testTarget(
      name: "CLVCommandTests",
      // CLVModels for the seeded simulator behind the export-shape battery's ground truth.
      dependencies: ["clv", "clv-fuzz", "CLVData", "CLVModels", "TestSupport"]),
  ]
)
