import CLVData
import CLVEvaluation
import CLVModels
import CLVScoring
import Testing

/// The readout recovers a simulated campaign's effect.
@Suite struct CampaignReadoutConsistencyTests {
  @Test func recoversASimulatedUpliftWithinItsInterval() throws {
    let window = (
      start: Day(year: 2025, month: 10, day: 2)!, end: Day(year: 2025, month: 12, day: 30)!
    )
    let settings = Simulation.Settings(
      customers: 20_000, seed: 2026, process: BGNBD(r: 0.243, alpha: 4.414, a: 0.793, b: 2.426),
      spend: GammaGamma(p: 6.25, q: 3.74, gamma: 15.44), unit: .week,
      start: Day(year: 2024, month: 1, day: 1)!, acquisitionDays: 90, days: 730,
      treatment: Simulation.Treatment(uplift: 0.05, start: window.start, end: window.end))
    var groups: [Int: CampaignGroup] = [:]
    var outcomes: [Int: CampaignOutcome] = [:]
    var converted = 0
    Simulation.orders(
      settings,
      assignments: {
        groups[$0.customer] = $0.treated ? .treatment : .control
        if $0.converted { converted += 1 }
      }
    ) { customer, day, amount in
      guard day >= window.start, day <= window.end else { return }
      outcomes[customer, default: CampaignOutcome()].orders += 1
      outcomes[customer, default: CampaignOutcome()].revenue += amount
    }
    #expect(groups.count == 20_000)
    let readout = try CampaignReadout(
      outcomes: groups.keys.sorted().map { (groups[$0]!, outcomes[$0] ?? CampaignOutcome()) })
    let treated = readout.treatment.customers
    // The realised effect on the purchase rate: converted / treated customers.
    let effect = Double(converted) / Double(treated)
    #expect(readout.purchaseRate.interval.contains(effect), "\(readout.purchaseRate) vs \(effect)")
    // The effect is 0.05 × (1 − rate without the offer), the control rate estimating that
    // rate: within 4σ, σ = √(0.05 · 0.95 / treated) ≈ 0.0022 for the conversions, plus 0.001
    // for the control rate's own error (0.05 × its 4σ of about 0.02).
    let expected = 0.05 * (1 - readout.control.purchaseRate)
    #expect(abs(effect - expected) < 4 * (0.05 * 0.95 / Double(treated)).squareRoot() + 0.001)
    // About 10,000 per group: the interval excludes 0 (a minimum detectable lift near 1.4
    // points, against an effect near 4.5).
    #expect(readout.purchaseRate.interval.lower > 0)
    #expect(readout.incrementalRevenue.interval.contains(0) == false)
    // Randomization inference on the same campaign: each converted customer adds one order,
    // so the realised effect on orders per treatment customer is the same converted/treated;
    // its interval holds it, and the revenue lift's excludes 0.
    let permutation = try CampaignReadout(
      outcomes: groups.keys.sorted().map { (groups[$0]!, outcomes[$0] ?? CampaignOutcome()) },
      intervals: .permutation())
    #expect(
      permutation.ordersPerCustomer.interval.contains(effect),
      "\(permutation.ordersPerCustomer) vs \(effect)")
    #expect(permutation.revenuePerCustomer.interval.lower > 0)
    #expect(permutation.incrementalRevenue.interval.contains(0) == false)
  }
}
