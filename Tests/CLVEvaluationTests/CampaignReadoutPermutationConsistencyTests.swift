import CLVData
import CLVEvaluation
import CLVModels
import CLVNumerics
import CLVScoring
import Foundation
import TestSupport
import Testing

/// The readout with `--interval permutation`: the same randomization inference as
/// `RandomizationInterval` (the list's customers relabelled with their orders and revenue),
/// carried to the incremental revenue and profit, recorded in the JSON and read back.
@Suite struct CampaignReadoutPermutationConsistencyTests {
  static func outcomes(_ seed: UInt64) -> [(group: CampaignGroup, outcome: CampaignOutcome)] {
    CampaignReadoutBootstrapConsistencyTests.outcomes(seed: seed)
  }

  @Test func usesTheRandomizationIntervalOfEachMeasure() throws {
    let outcomes = Self.outcomes(5)
    let readout = try CampaignReadout(
      outcomes: outcomes, offerCost: 1, margin: 0.5,
      intervals: .permutation(permutations: 999, seed: 17))
    let pairs: [(CampaignGroup, Double, Double)] = outcomes.map {
      ($0.group, Double($0.outcome.orders), $0.outcome.revenue)
    }
    let treated = pairs.filter { $0.0 == .treatment }.flatMap { [$0.1, $0.2] }
    let held = pairs.filter { $0.0 == .control }.flatMap { [$0.1, $0.2] }
    let direct = RandomizationInterval.compare(
      treated, held, measures: 2, permutations: 999, seed: 17)
    #expect(readout.ordersPerCustomer.interval == direct[0].interval)
    #expect(readout.revenuePerCustomer.interval == direct[1].interval)
    #expect(readout.revenuePerCustomer.relativeInterval == direct[1].relativeInterval)
    #expect(readout.ordersPerCustomer.relativeInterval != nil)
    #expect(readout.revenuePerCustomer.pValue == direct[1].pValue)
    #expect(readout.revenuePerCustomer.method.hasPrefix("randomization test (999 permutations"))
    let n = Double(readout.treatment.customers)
    let r = try #require(direct[1].interval)
    assertClose(
      readout.incrementalRevenue.interval.lower, n * r.lower, relative: 1e-12, source: "n_t × lift")
    assertClose(
      readout.incrementalProfit.interval.upper, 0.5 * n * r.upper - n, relative: 1e-12,
      source: "margin × revenue − cost")
    let welch = try CampaignReadout(outcomes: outcomes, offerCost: 1, margin: 0.5)
    #expect(readout.purchaseRate == welch.purchaseRate)
    #expect(readout.revenuePerCustomer.difference == welch.revenuePerCustomer.difference)
  }

  @Test func closeToWelchOnLargeGroups() throws {
    // 4,000 and 1,000 customers: the randomization limits differ from Welch's by the unequal
    // variances' and the skewness's share (a fraction of a standard error here) plus Monte Carlo
    // error. Band: 0.5 se per limit, far below the 3.92 se width.
    let outcomes = Self.outcomes(6)
    let permutation = try CampaignReadout(outcomes: outcomes, intervals: .permutation())
    let welch = try CampaignReadout(outcomes: outcomes)
    for (b, w) in [
      (permutation.ordersPerCustomer, welch.ordersPerCustomer),
      (permutation.revenuePerCustomer, welch.revenuePerCustomer),
    ] {
      let se = (w.interval.upper - w.interval.lower) / (2 * 1.96)
      assertClose(b.interval.lower, w.interval.lower, absolute: 0.5 * se, source: "Welch ± 0.5 se")
      assertClose(b.interval.upper, w.interval.upper, absolute: 0.5 * se, source: "Welch ± 0.5 se")
    }
  }

  @Test func theJSONRecordsTheMethodAndReadsBack() throws {
    let readout = try CampaignReadout(
      outcomes: Self.outcomes(7), intervals: .permutation(permutations: 499, seed: 12345))
    let text = readout.json.prettyPrinted()
    #expect(text.contains("\"permutation\""))
    let back = try CampaignReadout(
      json: try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)), file: "readout.json")
    #expect(back.meanIntervals == .permutation(permutations: 499, seed: 12345))
    #expect(back.revenuePerCustomer.method == readout.revenuePerCustomer.method)
    assertClose(
      back.revenuePerCustomer.interval.lower, readout.revenuePerCustomer.interval.lower,
      relative: 1e-15, source: "JSON round trip")
  }
}
