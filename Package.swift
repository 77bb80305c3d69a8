// swift-tools-version: 6.0
import PackageDescription

let realModule = Target.Dependency.product(name: "RealModule", package: "swift-numerics")

let package = Package(
  name: "clvkit",
  platforms: [.macOS(.v13)],
  products: [
    .executable(name: "clv", targets: ["clv"]),
    // `import CLVKit` sees every public module below (Examples/QuickTour shows it in use).
    .library(name: "CLVKit", targets: ["CLVKit"]),
    .library(name: "CLVData", targets: ["CLVData"]),
    .library(name: "CLVNumerics", targets: ["CLVNumerics"]),
    .library(name: "CLVModels", targets: ["CLVModels"]),
    .library(name: "CLVEvaluation", targets: ["CLVEvaluation"]),
    .library(name: "CLVScoring", targets: ["CLVScoring"]),
    .library(name: "CLVReport", targets: ["CLVReport"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/apple/swift-numerics", from: "1.1.1"),
  ],
  targets: [
    // MARK: Public (each a library product; CLVKit re-exports them all)

    // The command line: the only target that parses arguments or touches the terminal.
    .executableTarget(
      name: "clv",
      dependencies: [
        "CLVData", "CLVModels", "CLVScoring", "CLVEvaluation", "CLVReport",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    // The umbrella: `@_exported import` of the public modules, for `import CLVKit`.
    .target(
      name: "CLVKit",
      dependencies: [
        "CLVData", "CLVNumerics", "CLVModels", "CLVEvaluation", "CLVScoring", "CLVReport",
      ]),
    // BG/NBD, MBG/NBD, Pareto/NBD, BG/BB, Gamma-Gamma, churn-logit; model files.
    .target(name: "CLVModels", dependencies: ["CLVData", "CLVNumerics", realModule]),
    // Holdout evaluation of models, the run files of `clv evaluate`, and the targeting backtest
    // of the CLVScoring lists.
    .target(
      name: "CLVEvaluation", dependencies: ["CLVData", "CLVModels", "CLVNumerics", "CLVScoring"]),
    // SVG charts and the HTML/Markdown comparison report of `clv report`.
    .target(name: "CLVReport", dependencies: ["CLVEvaluation"]),
    // Batch scoring, the score table, segments, lifecycle stages, win-back and replenishment
    // lists.
    .target(name: "CLVScoring", dependencies: ["CLVData", "CLVModels", "CLVNumerics"]),
    // Order logs, summaries, dates, CSV, hashing, atomic output files.
    .target(name: "CLVData", dependencies: []),
    // Special functions, optimizers, linear algebra, the seeded generator.
    .target(name: "CLVNumerics", dependencies: ["CLAPACK", realModule]),

    // MARK: Internal

    // The only C boundary: CBLAS + LAPACKE (Debian libopenblas-dev, liblapacke-dev).
    // Only Sources/CLVNumerics/LinearAlgebra may import it (checked by a test and by .ci/run).
    .systemLibrary(name: "CLAPACK", path: "Sources/CLAPACK"),

    // MARK: Examples (compiled with the package; they use the CLVKit umbrella only)

    // `swift run QuickTour`: the library from Swift in one page (README "Use it from Swift").
    .executableTarget(name: "QuickTour", dependencies: ["CLVKit"], path: "Examples/QuickTour"),

    // MARK: Benchmarks (release-mode executables, not part of the test suite)

    // `make bench`: the whole pipeline at 10k, 100k and 1M simulated customers.
    .executableTarget(
      name: "clv-bench", dependencies: ["CLVData", "CLVModels", "CLVScoring"],
      path: "Benchmarks/clv-bench"),
    .executableTarget(
      name: "churn-benchmark", dependencies: ["CLVModels", "CLVNumerics"],
      path: "Benchmarks/ChurnBenchmark"),
    // sBG and BdW on 1M simulated subscribers: read, fit, score.
    .executableTarget(
      name: "subscriber-benchmark", dependencies: ["CLVData", "CLVModels", "CLVScoring"],
      path: "Benchmarks/SubscriberBenchmark"),
    // `make check-intervals`: coverage of the parameter-draw intervals over many seeds, and
    // their speed at 1M customers.
    .executableTarget(
      name: "interval-check",
      dependencies: ["CLVData", "CLVModels", "CLVNumerics", "CLVScoring", "CLVEvaluation"],
      path: "Benchmarks/IntervalCheck"),

    // MARK: Fuzzing

    // `clv-fuzz --seconds N --seed S`: a seeded mutation loop over every file reader (make fuzz).
    .executableTarget(
      name: "clv-fuzz",
      dependencies: ["CLVData", "CLVModels", "CLVScoring", "CLVEvaluation"],
      path: "Fuzz/clv-fuzz"),

    // MARK: Test support

    .target(name: "TestSupport", dependencies: ["CLVNumerics"], path: "Tests/_TestSupport"),

    // MARK: Tests

    .testTarget(
      name: "CLVNumericsTests", dependencies: ["CLVNumerics", "TestSupport"],
      exclude: ["Reference"]),
    .testTarget(name: "CLVDataTests", dependencies: ["CLVData", "TestSupport"]),
    .testTarget(
      name: "CLVModelsTests", dependencies: ["CLVModels", "CLVData", "CLVNumerics", "TestSupport"]),
    .testTarget(
      name: "CLVScoringTests", dependencies: ["CLVScoring", "CLVModels", "CLVData", "TestSupport"]),
    .testTarget(
      name: "CLVReportTests",
      // CLVModels: the model-file types a run file embeds (its entries' `fit`, `data`, `unit`),
      // and a real model's calibration diagnostics for the report.
      dependencies: ["CLVReport", "CLVEvaluation", "CLVData", "CLVModels", "TestSupport"],
      exclude: ["Fixtures"]),
    .testTarget(
      name: "CLVEvaluationTests",
      dependencies: ["CLVEvaluation", "CLVModels", "CLVData", "CLVScoring", "TestSupport"],
      exclude: ["Reference"]),
    .testTarget(
      name: "CLVCommandTests",
      // QuickTour and clv-fuzz: built for QuickTourCommandTests and FuzzCommandTests, which run
      // them beside clv; CLVModels for the seeded simulator behind the export-shape battery.
      dependencies: [
        "clv", "QuickTour", "clv-fuzz", "CLVData", "CLVModels", "CLVScoring", "TestSupport",
      ]),
  ]
)
