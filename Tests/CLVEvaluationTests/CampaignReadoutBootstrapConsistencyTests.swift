import CLVData
import CLVEvaluation
import CLVModels
import CLVNumerics
import CLVScoring
import Foundation
import TestSupport
import Testing

/// The readout with `--interval bootstrap-t`: the same bootstrap as `StudentizedBootstrap`
/// (customers resampled with their orders and revenue), carried to the incremental revenue
/// and profit, recorded in the JSON and read back.
@Suite struct CampaignReadoutBootstrapConsistencyTests {
  /// 4,000 treatment and 1,000 control customers, 10% buyers with 1 to 3 orders and
  /// Gamma-distributed spend per order (shape 2, mean 40): seeded, the same in both groups.
  static func outcomes(seed: UInt64) -> [(group: CampaignGroup, outcome: CampaignOutcome)] {
    var g = SeededGenerator(seed: seed)
    return (0..<5000).map { i in
      var outcome = CampaignOutcome()
      if g.uniform() < 0.1 {
        outcome.orders = 1 + Int(g.uniform() * 3)
        for _ in 0..<outcome.orders { outcome.revenue += g.gamma(shape: 2, rate: 0.05) }
      }
      return (i % 5 == 0 ? .control : .treatment, outcome)
    }
  }

  @Test func usesTheStudentizedBootstrapOfEachMeasure() throws {
    let outcomes = Self.outcomes(seed: 5)
    let readout = try CampaignReadout(
      outcomes: outcomes, offerCost: 1, margin: 0.5,
      intervals: .bootstrapT(resamples: 999, seed: 17))
    let pairs: [(CampaignGroup, Double, Double)] = outcomes.map {
      ($0.group, Double($0.outcome.orders), $0.outcome.revenue)
    }
    let treated = pairs.filter { $0.0 == .treatment }.flatMap { [$0.1, $0.2] }
    let held = pairs.filter { $0.0 == .control }.flatMap { [$0.1, $0.2] }
    let direct = StudentizedBootstrap.compare(
      treated, held, measures: 2, resamples: 999, seed: 17)
    #expect(readout.ordersPerCustomer.interval == direct[0].interval)
    #expect(readout.revenuePerCustomer.interval == direct[1].interval)
    #expect(readout.revenuePerCustomer.relativeInterval == direct[1].relativeInterval)
    #expect(readout.revenuePerCustomer.pValue == direct[1].pValue)
    #expect(readout.revenuePerCustomer.method.hasPrefix("studentized bootstrap (bootstrap-t"))
    // Incremental revenue and profit take the bootstrap's revenue interval.
    let n = Double(readout.treatment.customers)
    let r = try #require(direct[1].interval)
    assertClose(
      readout.incrementalRevenue.interval.lower, n * r.lower, relative: 1e-12, source: "n_t × lift")
    assertClose(
      readout.incrementalProfit.interval.upper, 0.5 * n * r.upper - n, relative: 1e-12,
      source: "margin × revenue − cost")
    // The rate's interval does not depend on the method.
    let welch = try CampaignReadout(outcomes: outcomes, offerCost: 1, margin: 0.5)
    #expect(readout.purchaseRate == welch.purchaseRate)
    #expect(welch.meanIntervals == .welch)
  }

  @Test func closeToWelchOnLargeGroups() throws {
    // 4,000 and 1,000 customers: the bootstrap-t limits differ from Welch's by the skewness
    // of the difference (a fraction of a standard error here) plus Monte Carlo error
    // (about 0.04 se for B = 1999). Band: 0.5 se per limit, far below the 3.92 se width.
    let outcomes = Self.outcomes(seed: 6)
    let boot = try CampaignReadout(outcomes: outcomes, intervals: .bootstrapT())
    let welch = try CampaignReadout(outcomes: outcomes)
    for (b, w) in [
      (boot.ordersPerCustomer, welch.ordersPerCustomer),
      (boot.revenuePerCustomer, welch.revenuePerCustomer),
    ] {
      #expect(b.difference == w.difference)
      let se = (w.interval.upper - w.interval.lower) / (2 * 1.96)
      assertClose(b.interval.lower, w.interval.lower, absolute: 0.5 * se, source: "Welch ± 0.5 se")
      assertClose(b.interval.upper, w.interval.upper, absolute: 0.5 * se, source: "Welch ± 0.5 se")
    }
  }

  @Test func theJSONRecordsTheMethodAndReadsBack() throws {
    let readout = try CampaignReadout(
      outcomes: Self.outcomes(seed: 7), intervals: .bootstrapT(resamples: 499, seed: 12345))
    let text = readout.json.prettyPrinted()
    #expect(text.contains("\"bootstrap-t\""))
    let back = try CampaignReadout(
      json: try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)), file: "readout.json")
    #expect(back.meanIntervals == .bootstrapT(resamples: 499, seed: 12345))
    #expect(back.revenuePerCustomer.method == readout.revenuePerCustomer.method)
    assertClose(
      back.revenuePerCustomer.interval.lower, readout.revenuePerCustomer.interval.lower,
      relative: 1e-15, source: "JSON round trip")
  }
}
