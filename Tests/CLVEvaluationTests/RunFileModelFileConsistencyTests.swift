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
}
