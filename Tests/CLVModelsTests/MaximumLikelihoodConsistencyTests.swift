import CLVData
import CLVModels
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The shared estimator: row collapsing, input checks, degenerate fits.
@Suite struct MaximumLikelihoodConsistencyTests {
  /// Every fit has an evaluation and a time budget: reaching either ends it with
  /// `budgetExhausted` (exit 70) naming the best point so far, and the progress callback
  /// reports a fit running past 2 s.
  @Test func fitsStopAtTheirBudget() throws {
    let summary = try ReferenceData.cdnowSummary()
    #expect {
      try BGNBD.fit(summary, options: FitOptions(maxEvaluations: 5))
    } throws: { error in
      guard case .budgetExhausted(let model, _, let evaluations, let best)? = error as? ModelError
      else { return false }
      return model == "BG/NBD" && evaluations == 5 && best?.hasPrefix("r = ") == true
        && (error as? ModelError)?.exitCode == 70
    }
    #expect {
      try ParetoNBD.fit(summary, options: FitOptions(timeLimit: 0.001))
    } throws: { error in
      guard case .budgetExhausted? = error as? ModelError else { return false }
      return true
    }
    // Progress: a fit slowed past 2 s by an evaluation budget that never ends it.
    final class Lines: @unchecked Sendable { var text: [String] = [] }
    let lines = Lines()
    var options = FitOptions(timeLimit: 2.5)
    options.progress = { lines.text.append($0.description) }
    let slow = MaximumLikelihood.Problem(
      modelName: "slow", parameterNames: ["theta"], customers: 1, distinctRows: 1
    ) { theta, gradient in
      usleep(20_000)
      gradient = [1 / theta[0] - 1]
      return Double.log(theta[0]) - theta[0] - 1e-9 * theta[0] * theta[0]
    }
    #expect(throws: ModelError.self) {
      // Converges quickly unless slowed: keep starting far away until the budget ends it.
      _ = try MaximumLikelihood.fit(
        slow, starts: (0..<400).map { [Double($0 + 2) * 1e6] }, options: options)
    }
    #expect(lines.text.first?.hasPrefix("slow: fitting for 2 s") == true, "\(lines.text)")
  }

  @Test func identicalRowsAreCollapsedWithWeights() throws {
    let rows = (0..<1000).map { i in
      RFMSummary.Row(customerID: "\(i)", frequency: i % 3, recency: i % 3 == 0 ? 0 : 5, age: 10)
    }
    let data = try CollapsedRFM(rows, model: "test")
    #expect(data.count == 3)
    #expect(data.customers == 1000)
    #expect(data.weights.sorted() == [333, 333, 334])
    // Fitting the collapsed rows or the same rows with explicit weights gives one estimate.
    let summary = try ReferenceData.cdnowSummary()
    let plain = try BGNBD.fit(summary)
    let doubled = try BGNBD.fit(summary, weights: Array(repeating: 2, count: summary.rows.count))
    for (x, y) in zip(plain.parameterValues, doubled.parameterValues) {
      assertClose(x, y, relative: 1e-5, source: "weights ×2 leave the MLE unchanged")
    }
    assertClose(
      doubled.fitReport!.logLikelihood, 2 * plain.fitReport!.logLikelihood, relative: 1e-9,
      source: "weights ×2 double the log-likelihood")
  }

  @Test(arguments: [
    RFMSummary.Row(customerID: "neg", frequency: -1, recency: 0, age: 5),
    RFMSummary.Row(customerID: "late", frequency: 2, recency: 6, age: 5),
    RFMSummary.Row(customerID: "zero", frequency: 0, recency: 1, age: 5),
    RFMSummary.Row(customerID: "age", frequency: 1, recency: 0, age: 0),
    RFMSummary.Row(customerID: "nan", frequency: 1, recency: .nan, age: 5),
  ])
  func invalidRowsAreRejectedByName(row: RFMSummary.Row) {
    do {
      _ = try CollapsedRFM([row], model: "BG/NBD")
      Issue.record("accepted \(row)")
    } catch let error as ModelError {
      #expect(error.description.contains("customer '\(row.customerID)'"))
      #expect(error.exitCode == 65)
    } catch {
      Issue.record("unexpected \(error)")
    }
  }

  /// Nobody ever drops out (every customer bought at the end of observation, many times):
  /// a → 0 is the likelihood's supremum, the fit is degenerate; it is an error unless
  /// allowDegenerate, which keeps it flagged.
  @Test func noDropoutIsADegenerateFit() throws {
    var rows: [RFMSummary.Row] = []
    for i in 0..<400 {
      let x = 5 + i % 20
      rows.append(RFMSummary.Row(customerID: "\(i)", frequency: x, recency: 52, age: 52))
    }
    let summary = RFMSummary(rows: rows, unit: .week)
    #expect(throws: ModelError.self) { try BGNBD.fit(summary) }
    let kept = try BGNBD.fit(summary, options: FitOptions(allowDegenerate: true))
    let report = try #require(kept.fitReport)
    #expect(report.degenerate)
    #expect(report.reason != nil)
    #expect(kept.parameterValues.allSatisfy { $0.isFinite && $0 > 0 })
  }
}
