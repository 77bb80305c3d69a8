import CLVData
import CLVModels
import Foundation
import TestSupport
import Testing

/// A fit on the distinct rows with their weights equals the fit on one row per customer, for
/// every model fitted on summaries (issue 18): the likelihood is a sum over customers of terms
/// in (x, tₓ, T) (Gamma-Gamma: (x, z̄)), so Σᵢ log Lᵢ = Σⱼ wⱼ log Lⱼ.
///
/// Tolerance: both fits collapse to the same distinct rows in the same order (first
/// appearance) with the same whole-number weights, so the optimiser sees the same objective;
/// relative 1e-9 on parameters and log-likelihood leaves room only for summation order.
@Suite struct WeightedFitConsistencyTests {
  /// The first 1,500 customers of the demo orders (with amounts), summarized as
  /// `clv summarize` does (a prefix keeps the debug-build Pareto/NBD fits short).
  static let demo: Result<CustomerSummaries, Error> = Result {
    let path = Fixtures.repositoryRoot.appendingPathComponent("datasets/demo-orders.csv").path
    let all = try CustomerSummaries.read(
      path: path, format: OrderLogFormat(), period: SummaryPeriod())
    let rows = Array(all.summary.rows.prefix(1500))
    return CustomerSummaries(
      summary: RFMSummary(rows: rows, unit: all.unit), hasMonetaryValue: true,
      layout: .summary, report: IngestReport(file: path))
  }

  /// The models `clv train` fits on summaries in calendar time (BG/BB: see below).
  /// Not the models that need litt ((M)BG/CNBD-k): distinct rows cannot carry it (customers
  /// sharing a row have different gaps).
  static let calendarModels = ModelRegistry.all.filter {
    $0.fitsSummaries && !$0.needs.contains(.wholePeriods)
      && !$0.needs.contains(.interPurchaseTimes)
  }.map(\.id)

  @Test(arguments: calendarModels)
  func distinctRowsFitEqualsFullFit(model id: String) throws {
    let summaries = try Self.demo.get()
    let descriptor = try #require(ModelRegistry.descriptor(for: id))
    let distinct = DistinctSummaryRows(summaries)
    #expect(distinct.count < summaries.count)
    #expect(distinct.customers == Double(summaries.count))
    let full = try descriptor.fit(summaries.summary)
    let collapsed = try descriptor.fit(
      RFMSummary(rows: distinct.rows, unit: distinct.unit), weights: distinct.weights)
    expectSameFit(collapsed, full, model: id)
  }

  /// BG/BB on the donations data ([FHS2010]): its 22 weighted rows against the same histories
  /// expanded to one row per donor (11,104).
  @Test func bgbbWeightedRowsEqualExpandedRows() throws {
    let path = try Fixtures.sharedDataset("donations.csv").path
    let donations = try SummaryCSVReader.read(path: path, unit: .week)
    let weights = try #require(donations.weights)
    var expanded: [RFMSummary.Row] = []
    for (row, weight) in zip(donations.summary.rows, weights) {
      expanded += Array(repeating: row, count: Int(weight))
    }
    #expect(expanded.count == 11104)
    let descriptor = try #require(ModelRegistry.descriptor(for: "bgbb"))
    let collapsed = try descriptor.fit(donations.summary, weights: weights)
    let full = try descriptor.fit(RFMSummary(rows: expanded, unit: .week))
    expectSameFit(collapsed, full, model: "bgbb")
  }

  private func expectSameFit(
    _ collapsed: any ModelFileConvertible, _ full: any ModelFileConvertible, model: String,
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    let source = "\(model): fit on distinct rows with weights vs one row per customer"
    for (a, b) in zip(collapsed.parameterValues, full.parameterValues) {
      assertClose(a, b, relative: 1e-9, source: source, sourceLocation: sourceLocation)
    }
    guard let c = collapsed.fitReport, let f = full.fitReport else {
      Issue.record("\(model): no fit report", sourceLocation: sourceLocation)
      return
    }
    assertClose(
      c.logLikelihood, f.logLikelihood, relative: 1e-9, source: source,
      sourceLocation: sourceLocation)
    #expect(c.customers == f.customers, sourceLocation: sourceLocation)
    #expect(c.distinctRows == f.distinctRows, sourceLocation: sourceLocation)
    #expect(c.dropped == f.dropped, sourceLocation: sourceLocation)
  }
}
