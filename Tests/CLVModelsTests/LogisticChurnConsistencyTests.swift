import CLVData
import CLVModels
import CLVNumerics
import Foundation
import TestSupport
import Testing

/// Invariants of the churn fit: unit invariance (the penalty acts on standardized
/// coefficients), recovery of simulated coefficients, bounded probabilities, file round trip.
@Suite struct LogisticChurnConsistencyTests {
  /// n customers, 3 features on very different scales, churn from known coefficients.
  static func simulated(n: Int, seed: UInt64) -> (x: Matrix, churned: [Bool], truth: [Double]) {
    let a = LogisticChurnInputTests.normals(n, seed: seed)
    let b = LogisticChurnInputTests.normals(n, seed: seed + 1)
    let c = LogisticChurnInputTests.normals(n, seed: seed + 2)
    var generator = SeededGenerator(seed: seed + 3)
    let truth = [-0.4, 0.8, -0.002, 3.0]  // intercept, then x1 (scale 1), x2 (scale 500), x3 (0.1)
    var rows: [[Double]] = []
    var churned: [Bool] = []
    for i in 0..<n {
      let row = [a[i], 500 * b[i] + 1000, 0.1 * c[i]]
      let eta = truth[0] + truth[1] * row[0] + truth[2] * row[1] + truth[3] * row[2]
      rows.append(row)
      churned.append(Double.random(in: 0..<1, using: &generator) < 1 / (1 + Double.exp(-eta)))
    }
    return (Matrix(rows), churned, truth)
  }

  @Test(arguments: [0.0, 5.0])
  func rescalingAFeatureRescalesOnlyItsCoefficient(l2: Double) throws {
    let (x, churned, _) = Self.simulated(n: 2000, seed: 11)
    var scaled = x
    for i in 0..<x.rows { scaled[i, 1] = x[i, 1] / 7 }  // e.g. days → weeks
    let names = ["x1", "x2", "x3"]
    let original = try LogisticChurn.fit(
      features: x, churned: churned, featureNames: names, options: .init(l2: l2))
    let rescaled = try LogisticChurn.fit(
      features: scaled, churned: churned, featureNames: names, options: .init(l2: l2))
    let source = "invariance: z-scores do not change when a feature is rescaled"
    assertClose(
      rescaled.coefficients[1], 7 * original.coefficients[1], relative: 1e-9, source: source)
    assertClose(rescaled.coefficients[0], original.coefficients[0], relative: 1e-9, source: source)
    assertClose(rescaled.intercept, original.intercept, relative: 1e-9, source: source)
    let p = try original.churnProbabilities(x)
    let q = try rescaled.churnProbabilities(scaled)
    for i in stride(from: 0, to: x.rows, by: 97) {
      assertClose(q[i], p[i], relative: 1e-9, source: source)
    }
  }

  @Test func simulatedCoefficientsAreRecoveredWithinFourStandardErrors() throws {
    let (x, churned, truth) = Self.simulated(n: 5000, seed: 21)
    let model = try LogisticChurn.fit(
      features: x, churned: churned, featureNames: ["x1", "x2", "x3"])
    let errors = try #require(model.standardErrors)
    for j in truth.indices {
      // A 4σ band: fails by chance with probability ≈ 6e-5 per coefficient (fixed seed).
      #expect(abs(model.parameterValues[j] - truth[j]) < 4 * errors[j], "parameter \(j)")
    }
    let report = try #require(model.fitReport)
    #expect(report.converged)
    #expect(report.gradientNorm < 1e-8)
    #expect(report.iterations < 15)
  }

  @Test func penaltyShrinksStandardizedCoefficientsMonotonically() throws {
    let (x, churned, _) = Self.simulated(n: 2000, seed: 31)
    var previous = Double.infinity
    for l2 in [0.0, 10, 100, 1000, 10000] {
      let model = try LogisticChurn.fit(
        features: x, churned: churned, featureNames: ["x1", "x2", "x3"], options: .init(l2: l2))
      // ‖b‖ on the standardized scale: bⱼ = βⱼ sⱼ.
      let norm = zip(model.coefficients, model.scaling).map { $0 * $1.standardDeviation }
        .reduce(0) { $0 + $1 * $1 }.squareRoot()
      #expect(norm < previous, "λ = \(l2)")
      previous = norm
    }
  }

  @Test func probabilitiesStayInTheUnitIntervalForExtremeFeatures() throws {
    let model = LogisticChurn(featureNames: ["a"], intercept: 0.5, coefficients: [2])
    for value in [-1e300, -800, -40, 0, 40, 800, 1e300] {
      let p = model.churnProbability(for: [value])
      #expect(p.isFinite && p >= 0 && p <= 1, "x = \(value)")
    }
    assertClose(
      model.churnProbability(for: [0]), 1 / (1 + Double.exp(-0.5)), relative: 1e-15,
      source: "σ(0.5) by definition")
  }

  @Test func modelRoundTripsThroughJSON() throws {
    let (x, churned, _) = Self.simulated(n: 500, seed: 41)
    var model = try LogisticChurn.fit(
      features: x, churned: churned, featureNames: ["x1", "x2", "x3"])
    model.label = ChurnLabel(
      calibrationEnd: Day(iso: "1997-09-30")!, observationEnd: Day(iso: "1998-06-30")!,
      unit: .week)
    model.specification = ChurnFeatureSpecification(features: ["frequency", "recency", "T"])
    let data = try JSONEncoder().encode(model)
    let decoded = try JSONDecoder().decode(LogisticChurn.self, from: data)
    #expect(decoded == model)
    assertClose(decoded.label!.horizon, 39, relative: 1e-15, source: "273 days / 7")
  }

  @Test func fittedProbabilitiesSumToTheChurnersWithoutPenalty() throws {
    // The intercept's score equation Σ (yᵢ − μᵢ) = 0 ([MN1989] ch. 4): Σ μᵢ = number of churners.
    let data = try CDNOWChurn.load()
    var model = try LogisticChurnCorrectnessTests.fit(l2: 0)
    model.specification = ChurnFeatureSpecification(
      features: LogisticChurnCorrectnessTests.features)
    let p = try model.churnProbabilities(for: data.rows)
    #expect(p.allSatisfy { $0 > 0 && $0 < 1 })
    assertClose(
      p.reduce(0, +), Double(data.churned.filter { $0 }.count), relative: 1e-9,
      source: "score equation of the intercept at the maximum-likelihood estimate")
  }

  @Test func modelFileRoundTripScoresIdentically() throws {
    let data = try CDNOWChurn.load()
    var model = try LogisticChurnCorrectnessTests.fit(l2: 0)
    model.specification = ChurnFeatureSpecification(
      features: LogisticChurnCorrectnessTests.features)
    model.label = ChurnLabel(
      calibrationEnd: Day(iso: "1997-09-30")!, observationEnd: Day(iso: "1998-06-30")!,
      unit: .week)
    let text = try ModelFile(model: model, unit: .time(.week), data: nil, toolVersion: "test")
      .jsonText()
    let file = try ModelFile.decode(Data(text.utf8), path: "churn.json")
    let loaded = try #require(try file.makeModel(path: "churn.json") as? LogisticChurn)
    #expect(loaded.parameterValues == model.parameterValues)
    #expect(loaded.standardErrors == model.standardErrors)
    #expect(loaded.scaling == model.scaling)
    #expect(loaded.specification == model.specification)
    #expect(loaded.label == model.label)
    let rows = Array(data.rows.prefix(500))
    #expect(try loaded.churnProbabilities(for: rows) == model.churnProbabilities(for: rows))
  }

  @Test func modelFileWithoutChurnFieldsIsRejected() throws {
    let text = """
      {"schema": "clvkit-model/1", "model": "churn-logit", "parameters": {"intercept": 0.1},
       "createdAt": "2026-11-22T00:00:00Z", "tool": {"name": "clv", "version": "0.1.0"},
       "extra": {"features": ["a"], "l2": 0, "scaling": {"a": {"mean": 0, "standardDeviation": 1}},
                 "coefficients": {"intercept": 0.1}}}
      """
    let file = try ModelFile.decode(Data(text.utf8), path: "bad.json")
    #expect(
      throws: ModelError.invalidModelFile(
        path: "bad.json", reason: "'coefficients' has no value for 'a'")
    ) {
      try file.makeModel(path: "bad.json")
    }
  }
}
