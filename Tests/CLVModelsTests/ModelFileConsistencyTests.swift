import CLVData
import CLVModels
import Foundation
import TestSupport
import Testing

/// Model files are reproducible: the same model gives the same bytes (apart from `createdAt`).
@Suite struct ModelFileConsistencyTests {
  @Test func decodedObjectsHaveSortedKeys() throws {
    // A decoder's key order is unspecified; JSONValue sorts keys so that re-encoded files
    // (e.g. churn-logit's `extra`) do not change from run to run.
    let value = try JSONDecoder().decode(
      JSONValue.self, from: Data(#"{"zeta": 1, "alpha": {"b": 2, "a": 3}, "mid": [1, 2]}"#.utf8))
    guard case .object(let pairs) = value else {
      Issue.record("expected an object, got \(value)")
      return
    }
    #expect(pairs.map(\.0) == ["alpha", "mid", "zeta"])
    guard case .object(let inner) = pairs[0].1 else {
      Issue.record("expected a nested object")
      return
    }
    #expect(inner.map(\.0) == ["a", "b"])
  }

  @Test func aModelFileReencodesToTheSameText() throws {
    let model = BGNBD(r: 0.243, alpha: 4.414, a: 0.793, b: 2.426)
    let file = ModelFile(
      model: model, unit: .time(.week), data: ModelFile.DataSource(file: "x.csv"),
      toolVersion: "test",
      createdAt: Date(timeIntervalSince1970: 1_767_225_600))
    let text = try file.jsonText()
    let reread = try ModelFile.decode(Data(text.utf8), path: "x.json")
    let again = try reread.jsonText()
    #expect(again == text, "\(again)")
  }
}

/// 95% intervals of positive parameters are Wald intervals on the log scale.
@Suite struct ConfidenceIntervalConsistencyTests {
  @Test func positiveParametersGetLogScaleIntervals() throws {
    let report = FitReport(
      logLikelihood: -1, standardErrors: [0.013, 6.2, 0.5], iterations: 1, functionEvaluations: 1,
      gradientNorm: 0, converged: true, seconds: 0, customers: 1, distinctRows: 1)
    let intervals = try #require(report.confidenceIntervals(for: [0.243, 11.668, -1.0]))
    // 0.243 · exp(∓1.959964 · 0.013 / 0.243) (python: math.exp), to 1e-12 relative.
    assertClose(
      intervals[0].lowerBound, 0.21881079421014682, relative: 1e-12, source: "delta method")
    assertClose(
      intervals[0].upperBound, 0.26986328628417244, relative: 1e-12, source: "delta method")
    // A flat direction (Pareto/NBD β on CDNOW, SE 6.2): positive and asymmetric, where the
    // plain θ ± 1.96·SE would reach −0.48.
    #expect(intervals[1].lowerBound > 0)
    assertClose(
      intervals[1].lowerBound * intervals[1].upperBound, 11.668 * 11.668, relative: 1e-12,
      source: "the log-scale interval is symmetric around log θ")
    // A non-positive value (a coefficient) keeps θ ± 1.96·SE.
    assertClose(
      intervals[2].lowerBound, -1 - 1.959963984540054 * 0.5, relative: 1e-15, source: "Wald")
  }
}

@Suite struct GammaGammaDataInputTests {
  @Test func nonFiniteWeightsOfDroppedRowsDoNotTrap() {
    let rows = [
      RFMSummary.Row(customerID: "a", frequency: 0, recency: 0, age: 10),
      RFMSummary.Row(customerID: "b", frequency: 2, recency: 5, age: 10, monetaryValue: 20),
      RFMSummary.Row(customerID: "c", frequency: 1, recency: 3, age: 10, monetaryValue: 0),
    ]
    let data = GammaGamma.Data(rows, weights: [.nan, 2, .infinity])
    #expect(data.dropped == 0)
    #expect(data.customers == 2)
  }
}
