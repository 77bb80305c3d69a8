import CLVData
import CLVEvaluation
import CLVModels
import Foundation
import TestSupport
import Testing

/// A run file's model entry embeds the model file as it is: building the entry from the
/// ``ModelFile`` value gives what reading the file's JSON text as an entry gives.
@Suite struct RunFileModelFileConsistencyTests {
  func entryFromText(_ file: ModelFile) throws -> RunFile.ModelResult {
    try JSONDecoder().decode(RunFile.ModelResult.self, from: Data(try file.jsonText().utf8))
  }

  @Test func purchaseModelEntryEqualsItsFileText() throws {
    let report = FitReport(
      logLikelihood: -9582.43, standardErrors: [0.0125, 0.378, 0.186, 0.704], iterations: 31,
      functionEvaluations: 40, gradientNorm: 2.5e-9, converged: true, seconds: 0.03,
      customers: 2357, distinctRows: 1141, penalizer: 0.001, reason: "gradientTolerance",
      cpuSeconds: 0.02)
    let model = BGNBD(r: 0.243, alpha: 4.414, a: 0.793, b: 2.426, fitReport: report)
    let file = ModelFile(
      model: model, unit: .time(.week),
      data: .init(file: "cdnow.csv", sha256: "ab", calibrationEnd: "1997-09-30"),
      toolVersion: "0.1.0")
    var expected = try entryFromText(file)
    expected.name = "BG/NBD"
    expected.parameterNames = ["r", "alpha", "a", "b"]
    #expect(RunFile.ModelResult(modelFile: file) == expected)
  }

  /// Model-specific fields (`extra`, here with an embedded purchase model file) come out with
  /// sorted keys, as decoding gives them.
  @Test func churnModelEntryEqualsItsFileText() throws {
    let embedded = ModelFile(
      model: BGNBD(r: 0.243, alpha: 4.414, a: 0.793, b: 2.426), unit: .time(.week),
      data: .init(file: "orders.csv", observationEnd: "2024-06-30"), toolVersion: "0.1.0")
    let churn = LogisticChurn(
      featureNames: ["frequency", "p_alive"], intercept: -0.5, coefficients: [-0.8, 0.02],
      scaling: [
        .init(mean: 1.2, standardDeviation: 2.1), .init(mean: 0.6, standardDeviation: 0.3),
      ],
      l2: 0,
      specification: ChurnFeatureSpecification(
        features: ["frequency", "p_alive"], transactionModel: embedded))
    let file = ModelFile(model: churn, unit: .time(.week), data: nil, toolVersion: "0.1.0")
    var expected = try entryFromText(file)
    expected.name = LogisticChurn.modelName
    expected.parameterNames = churn.parameterNames
    let entry = RunFile.ModelResult(modelFile: file)
    #expect(entry == expected)
    #expect(entry.extra?["specification"]?["transactionModel"]?["model"] == .string("bgnbd"))
  }

  /// An entry written before entries embedded whole model files (no `schema`, `createdAt` or
  /// `tool`; a `fit` with only some fields, as in the report's example run) still reads, with
  /// what it has; its partial fit gives no ``FitReport``.
  @Test func anOlderEntryWithAPartialFitStillReads() throws {
    let text = """
      {"model": "churn-logit", "name": "Churn logit", "parameters": {"intercept": 1.21},
       "logLikelihood": -1290.6, "customers": 2357, "unit": "week",
       "fit": {"converged": true, "iterations": 9},
       "data": {"calibrationEnd": "1997-09-30"}}
      """
    let entry = try JSONDecoder().decode(RunFile.ModelResult.self, from: Data(text.utf8))
    #expect(entry.schema == nil && entry.tool == nil && entry.createdAt == nil)
    #expect(entry.unit == .time(.week))
    #expect(entry.fit == FitReport.Optimizer(iterations: 9, converged: true))
    #expect(entry.data == ModelFile.DataSource(calibrationEnd: "1997-09-30"))
    var file = ModelFile(
      model: BGNBD(r: 0.243, alpha: 4.414, a: 0.793, b: 2.426), unit: .time(.week), data: nil,
      toolVersion: "0")
    file.logLikelihood = entry.logLikelihood
    file.fit = entry.fit
    #expect(file.fitReport(parameterNames: BGNBD.parameterNames) == nil)
  }

  /// The units of the run and of its entries are typed; a run file with another unit fails
  /// naming the value, and each unit survives writing and reading.
  @Test func runFileUnitsAreTypedAndRoundTrip() throws {
    for unit in [TimeUnit.day, .week, .month] {
      let run = RunFile(
        run: "r", createdAt: "2026-12-07T00:00:00Z", tool: RunFile.Tool(name: "clv", version: "0"),
        data: RunFile.DataInfo(
          file: "o.csv", sha256: String(repeating: "0", count: 64), calibrationEnd: "2024-06-30",
          observationEnd: "2024-12-30", unit: .time(unit), customers: 3),
        models: [
          RunFile.ModelResult(model: "bgbb", parameters: [:], unit: .opportunity),
          RunFile.ModelResult(model: "bgnbd", parameters: [:], unit: .time(unit)),
        ],
        ranking: RunFile.Ranking(byMAE: [], byAUC: []))
      let text = try run.encoded()
      #expect(try RunFile.decode(Data(text.utf8), file: "run.json") == run)
      let bad = text.replacingOccurrences(
        of: "\"unit\" : \"\(unit.rawValue)\"", with: "\"unit\" : \"fortnight\"")
      #expect(bad != text)
      #expect {
        try RunFile.decode(Data(bad.utf8), file: "run.json")
      } throws: { error in
        "\(error)".hasPrefix("run.json") && "\(error)".contains("'fortnight'")
      }
    }
  }
}
