import CLVData
import CLVEvaluation
import CLVNumerics
import CLVScoring
import Foundation
import TestSupport
import Testing

/// The campaign readout on `CampaignFixtures`, every number worked out by hand.
@Suite struct CampaignReadoutCorrectnessTests {

  func readout(offerCost: Double = 2, margin: Double = 0.5) throws -> CampaignReadout {
    let folder = try Fixtures.temporaryDirectory()
    let listURL = folder.appendingPathComponent("list.csv")
    let ordersURL = folder.appendingPathComponent("orders.csv")
    try CampaignFixtures.list.write(to: listURL, atomically: true, encoding: .utf8)
    try CampaignFixtures.orders.write(to: ordersURL, atomically: true, encoding: .utf8)
    return try CampaignReadout.measure(
      list: listURL.path, orders: ordersURL.path, format: OrderLogFormat(),
      settings: .init(
        start: Day(iso: "2024-03-01")!, end: Day(iso: "2024-03-31")!, offerCost: offerCost,
        margin: margin))
  }

  @Test func groupsCountOnlyListCustomersInTheWindow() throws {
    let r = try readout()
    // Treatment: t1 (2 orders, 30), t2 (1, 30), t3 (order before the window: 0), t4 (none: 0).
    #expect(r.treatment.customers == 4 && r.treatment.purchasers == 2 && r.treatment.orders == 3)
    #expect(r.treatment.revenue == 60)
    #expect(r.treatment.purchaseRate == 0.5 && r.treatment.ordersPerCustomer == 0.75)
    // Control: c1 (1, 15), c2 (order after the window: 0), c3 (none). x9's 1000 is ignored.
    #expect(r.control.customers == 3 && r.control.purchasers == 1 && r.control.orders == 1)
    #expect(r.control.revenue == 15)
    // Revenue per customer 15 (variance (2·15² + 2·15²)/3 = 300) and 5 (variance
    // (10² + 5² + 5²)/2 = 75).
    #expect(r.treatment.revenuePerCustomer == 15 && r.treatment.revenueMoments.variance == 300)
    #expect(r.control.revenuePerCustomer == 5 && r.control.revenueMoments.variance == 75)
  }

  @Test func liftsAndMoneyMatchTheHandCalculation() throws {
    let r = try readout()
    // Rate lift 1/2 − 1/3 = 1/6 with Newcombe's interval (checked against [NEW1998b] in
    // CampaignStatisticsCorrectnessTests); relative (1/2)/(1/3) − 1 = 0.5.
    assertClose(r.purchaseRate.difference, 1.0 / 6, absolute: 1e-15, source: "by hand")
    #expect(
      r.purchaseRate.interval
        == TwoGroupComparison.newcombeDifference(successes: 2, trials: 4, versus: 1, trials: 3))
    assertClose(r.purchaseRate.relative!, 0.5, absolute: 1e-15, source: "by hand")
    // Revenue per customer: 15 − 5 = 10, se = √(300/4 + 75/3) = 10,
    // ν = 100² / (75²/3 + 25²/2) = 10000 / 2187.5 = 4.571428…
    let welch = r.revenuePerCustomer
    #expect(welch.difference == 10)
    let nu = 10000 / 2187.5
    let t = StudentT.quantile(0.975, degreesOfFreedom: nu)
    assertClose(welch.interval.lower, 10 - 10 * t, relative: 1e-12, source: "by hand, Welch")
    assertClose(welch.interval.upper, 10 + 10 * t, relative: 1e-12, source: "by hand, Welch")
    assertClose(
      welch.pValue!, 2 * StudentT.survival(1, degreesOfFreedom: nu), relative: 1e-12,
      source: "by hand, Welch: t = 10/10 = 1")
    // Incremental revenue 4 · 10 = 40; profit 0.5 · 40 − 2 · 4 = 12.
    #expect(r.incrementalRevenue.value == 40)
    assertClose(r.incrementalProfit.value, 12, absolute: 1e-12, source: "by hand")
    assertClose(
      r.incrementalProfit.interval.lower, 0.5 * 4 * welch.interval.lower - 8, absolute: 1e-12,
      source: "by hand")
  }

  @Test func outputsHaveOneRowPerMeasureAndNoNonFiniteNumbers() throws {
    let r = try readout()
    let lines = r.csvLines
    #expect(lines.first == CampaignReadout.csvHeader)
    #expect(
      lines.dropFirst().map { String($0.prefix { $0 != "," }) } == [
        "customers", "purchasers", "purchase_rate", "orders", "orders_per_customer", "revenue",
        "revenue_per_customer", "incremental_revenue", "incremental_profit",
      ])
    let text = lines.joined(separator: "\n") + r.json.prettyPrinted() + r.summary
    for bad in ["nan", "inf"] { #expect(!text.lowercased().contains(bad)) }
  }

  @Test func aGroupOfFewerThanTwoIsAnError() {
    let outcomes: [(group: CampaignGroup, outcome: CampaignOutcome)] = [
      (.treatment, .init(orders: 1, revenue: 5)), (.treatment, .init()), (.control, .init()),
    ]
    #expect(throws: EvaluationError.self) { try CampaignReadout(outcomes: outcomes) }
  }
}
