import CLVData
import CLVScoring
import Foundation
import TestSupport
import Testing

/// CAC, first-order profit, margin to date, CLV:CAC and payback on hand-made customers, every
/// value worked out by hand (``AcquisitionEconomics`` gives the definitions).
@Suite struct AcquisitionEconomicsCorrectnessTests {
  static func day(_ text: String) -> Day { Day(iso: text)! }
  static let asOf = day("2024-02-05")

  /// Bought 20 on Jan 1 and 48 on Jan 15; margin 0.5, CAC 50; the future margin grows by 7 per
  /// week (M(t) = 7t), the model unit is the week.
  @Test func paybackFromTheModelWhenTheMarginToDateFallsShort() {
    let economics = AcquisitionEconomics.of(
      purchases: .init(days: [Self.day("2024-01-01"), Self.day("2024-01-15")], amounts: [20, 48]),
      asOf: Self.asOf, cac: 50, margin: 0.5, clv: 364, horizon: 52, unitDays: 7,
      expectedMargin: { 7 * $0 })
    // First order 0.5 · 20 = 10; to date 0.5 · 68 = 34; (34 + 364) / 50 = 7.96.
    #expect(economics.firstOrderProfit == 10 && economics.marginToDate == 34)
    assertClose(economics.clvToCAC!, 7.96, relative: 1e-15, source: "by hand, (34 + 364)/50")
    // 16 still owed at 7 per week: 16/7 weeks = 16 days after as-of, which is 35 days after
    // the first purchase: 51 days.
    assertClose(
      economics.paybackDays!, 51, absolute: 1e-9, source: "by hand, 35 + 7 · 16/7 days")
  }

  @Test func paybackOnTheDayTheRealisedMarginReachesTheCAC() {
    let purchases = PurchaseLog.Purchases(
      days: ["2024-01-01", "2024-01-11", "2024-01-31"].map(Self.day), amounts: [40, 40, 40])
    // Margin 0.5: 20, 40, 60. CAC 40 is reached on Jan 11, 10 days after the first purchase.
    let reached = AcquisitionEconomics.of(
      purchases: purchases, asOf: Self.asOf, cac: 40, margin: 0.5, clv: 10, horizon: 52,
      unitDays: 7, expectedMargin: { _ in .nan })
    #expect(reached.paybackDays == 10 && reached.marginToDate == 60)
    #expect(reached.clvToCAC == 70.0 / 40)
    // The first order alone pays back a CAC of 20: day 0.
    let first = AcquisitionEconomics.of(
      purchases: purchases, asOf: Self.asOf, cac: 20, margin: 0.5, clv: 10, horizon: 52,
      unitDays: 7, expectedMargin: nil)
    #expect(first.paybackDays == 0 && first.firstOrderProfit == 20)
  }

  @Test func emptyWhereUndefinedOrNotReached() {
    let purchases = PurchaseLog.Purchases(days: [Self.day("2024-02-05")], amounts: [10])
    // M(52) = 52 < 100 − 5: not paid back within the horizon.
    let short = AcquisitionEconomics.of(
      purchases: purchases, asOf: Self.asOf, cac: 100, margin: 0.5, clv: 52, horizon: 52,
      unitDays: 7, expectedMargin: { $0 })
    #expect(short.paybackDays == nil && short.clvToCAC == 57.0 / 100)
    // No CAC: ratio and payback empty, the margins still shown.
    let unknown = AcquisitionEconomics.of(
      purchases: purchases, asOf: Self.asOf, cac: nil, margin: 0.5, clv: 52, horizon: 52,
      unitDays: 7, expectedMargin: { $0 })
    #expect(unknown.clvToCAC == nil && unknown.paybackDays == nil)
    #expect(unknown.firstOrderProfit == 5 && unknown.marginToDate == 5)
    // A CAC of 0: paid back at once, no ratio.
    let free = AcquisitionEconomics.of(
      purchases: purchases, asOf: Self.asOf, cac: 0, margin: 0.5, clv: 52, horizon: 52,
      unitDays: 7, expectedMargin: { $0 })
    #expect(free.paybackDays == 0 && free.clvToCAC == nil)
    // Without a spend model: no CLV, no payback from the future.
    let noSpend = AcquisitionEconomics.of(
      purchases: purchases, asOf: Self.asOf, cac: 100, margin: 0.5, clv: nil, horizon: 52,
      unitDays: 7, expectedMargin: nil)
    #expect(noSpend.clvToCAC == nil && noSpend.paybackDays == nil)
  }

  /// With no discounting the CLV is M(H), so payback within as-of + H ⇔ CLV:CAC ≥ 1, for a
  /// curved M too (here M(t) = 30·(1 − e^(−t/20)), a customer who fades).
  @Test func paybackWithinTheHorizonExactlyWhenCLVToCACReachesOne() {
    let purchases = PurchaseLog.Purchases(days: [Self.day("2024-01-01")], amounts: [30])
    let margin = { (t: Double) in 30 * (1 - exp(-t / 20)) }
    for cac in stride(from: 1.0, through: 60, by: 1.5) {
      let economics = AcquisitionEconomics.of(
        purchases: purchases, asOf: Self.asOf, cac: cac, margin: 0.5, clv: margin(52),
        horizon: 52, unitDays: 7, expectedMargin: margin)
      #expect((economics.paybackDays != nil) == (economics.clvToCAC! >= 1), "cac \(cac)")
      if let days = economics.paybackDays, cac > 15 {
        // 15 of margin to date; t* solves 30(1 − e^(−t/20)) = cac − 15.
        let t = -20 * log(1 - (cac - 15) / 30)
        assertClose(
          days, 35 + 7 * t, absolute: 5e-4 + 1e-9,
          source: "closed form of M(t) = cac − 15, rounded to 0.001 day")
      }
    }
  }
}
