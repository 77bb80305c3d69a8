import CLVEvaluation
import CLVNumerics
import CLVScoring
import Foundation
import TestSupport
import Testing

/// The readout with a 10% control group (100 control, 900 treatment customers) against scipy
/// 1.17.1 and statsmodels 0.15.0 (`scripts/reference/campaign_readout_unequal.py`,
/// `Reference/campaign_readout_unequal.csv`, 17 significant digits): every interval, test and
/// the minimum detectable lift use the groups' actual sizes, not equal halves.
@Suite struct CampaignReadoutUnequalCorrectnessTests {
  static let source =
    "scipy 1.17.1 / statsmodels 0.15.0, scripts/reference/campaign_readout_unequal.py"

  /// name → value of the reference file.
  static func reference() throws -> [String: Double] {
    let url = Fixtures.repositoryRoot
      .appendingPathComponent("Tests/CLVEvaluationTests/Reference/campaign_readout_unequal.csv")
    let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").dropFirst()
    var values: [String: Double] = [:]
    for line in lines {
      let fields = line.split(separator: ",")
      values[String(fields[0])] = Double(fields[1])
    }
    return values
  }

  /// The script's list: i = 1…1000, control when i is a multiple of 10; purchased when
  /// (37 i) mod 100 < 30 (treatment) or < 20 (control); 1 + [i mod 3 = 0] orders of
  /// ((53 i) mod 97 + 5)/4 each.
  static func outcomes() -> [(group: CampaignGroup, outcome: CampaignOutcome)] {
    (1...1000).map { i in
      let control = i % 10 == 0
      let purchased = (37 * i) % 100 < (control ? 20 : 30)
      let orders = purchased ? 1 + (i % 3 == 0 ? 1 : 0) : 0
      let revenue = Double(orders) * (Double((53 * i) % 97 + 5) / 4)
      return (control ? .control : .treatment, CampaignOutcome(orders: orders, revenue: revenue))
    }
  }

  @Test func intervalsAndTestsUseTheActualGroupSizes() throws {
    let ref = try Self.reference()
    #expect(ref.count == 20)
    let r = try CampaignReadout(outcomes: Self.outcomes())
    #expect(r.treatment.customers == 900 && r.control.customers == 100)
    #expect(r.treatment.purchasers == 270 && r.control.purchasers == 20)
    // Wilson and Newcombe: closed forms of sqrt and the normal quantile (ours by bisection to
    // adjacent doubles): 1e-12 relative.
    let closed: [(Double, String)] = [
      (r.treatment.purchaseRateInterval.lower, "wilson_t_lower"),
      (r.treatment.purchaseRateInterval.upper, "wilson_t_upper"),
      (r.control.purchaseRateInterval.lower, "wilson_c_lower"),
      (r.control.purchaseRateInterval.upper, "wilson_c_upper"),
      (r.purchaseRate.interval.lower, "newcombe_lower"),
      (r.purchaseRate.interval.upper, "newcombe_upper"),
    ]
    for (value, name) in closed {
      assertClose(value, ref[name]!, relative: 1e-12, source: "\(Self.source), \(name)")
    }
    // The p-value goes through erfc (libm vs scipy's cephes): 1e-10 relative. Welch's
    // interval and p through the t quantile and survival (continued fractions and bisection,
    // 1e-10 in CampaignStatisticsCorrectnessTests) and sums over 900 values: 1e-9 relative.
    assertClose(r.purchaseRate.pValue!, ref["rate_p"]!, relative: 1e-10, source: Self.source)
    for (lift, name) in [(r.ordersPerCustomer, "orders"), (r.revenuePerCustomer, "revenue")] {
      assertClose(
        lift.interval.lower, ref["\(name)_welch_lower"]!, relative: 1e-9, source: Self.source)
      assertClose(
        lift.interval.upper, ref["\(name)_welch_upper"]!, relative: 1e-9, source: Self.source)
      assertClose(lift.pValue!, ref["\(name)_welch_p"]!, relative: 1e-9, source: Self.source)
    }
    let welch = TwoGroupComparison.welch(r.treatment.revenueMoments, r.control.revenueMoments)
    assertClose(
      welch.degreesOfFreedom!, ref["revenue_welch_df"]!, relative: 1e-10, source: Self.source)
    // Incremental revenue scales by the 900 treatment customers (not by half the list).
    for (value, name) in [
      (r.incrementalRevenue.value, "value"), (r.incrementalRevenue.interval.lower, "lower"),
      (r.incrementalRevenue.interval.upper, "upper"),
    ] {
      assertClose(
        value, ref["incremental_revenue_\(name)"]!, relative: 1e-9, source: Self.source)
    }
  }

  @Test func minimumDetectableLiftUsesTheActualGroupSizes() throws {
    let ref = try Self.reference()
    let design = ControlGroup.design(
      of: Self.outcomes().map(\.group), baselineRate: 0.2)
    #expect(design.treatment == 900 && design.control == 100)
    // Closed form of two normal quantiles and a square root: 1e-12 relative.
    assertClose(design.minimumDetectableLift, ref["mde"]!, relative: 1e-12, source: Self.source)
    // Equal halves of the same list would promise a lift two-thirds smaller than 100 control
    // customers can detect (0.071 against 0.118).
    #expect(design.minimumDetectableLift > 1.5 * ref["mde_equal_halves"]!)
  }
}
