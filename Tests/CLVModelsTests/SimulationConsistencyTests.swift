import CLVData
import CLVModels
import TestSupport
import Testing

/// The simulator: reproducible, whole purchase days inside the window, and BG/NBD parameters
/// recovered from its output.
@Suite struct SimulationConsistencyTests {
  static let truth = (r: 0.243, alpha: 4.414, a: 0.793, b: 2.426)

  static func settings(customers: Int, seed: UInt64) -> Simulation.Settings {
    Simulation.Settings(
      customers: customers, seed: seed,
      process: BGNBD(r: truth.r, alpha: truth.alpha, a: truth.a, b: truth.b),
      spend: GammaGamma(p: 6.25, q: 3.74, gamma: 15.44), unit: .week,
      start: Day(year: 2024, month: 1, day: 1)!, acquisitionDays: 90, days: 730)
  }

  /// (x, tₓ, T) in weeks from the simulated orders (one order per purchase day by design), and
  /// z̄, the mean amount of the repeat purchases (0 without one).
  static func summary(_ settings: Simulation.Settings) -> RFMSummary {
    var rows: [RFMSummary.Row] = []
    var current = 0
    var first = Day(daysSinceEpoch: 0), last = first, count = 0
    var repeatSpend = 0.0
    func flush() {
      guard current > 0 else { return }
      rows.append(
        RFMSummary.Row(
          customerID: "\(current)", frequency: count - 1, recency: Double(last - first) / 7,
          age: Double(settings.observationEnd - first) / 7,
          monetaryValue: count > 1 ? repeatSpend / Double(count - 1) : 0))
    }
    Simulation.orders(settings) { customer, day, amount in
      if customer != current {
        flush()
        current = customer
        first = day
        count = 0
        repeatSpend = 0
      } else {
        repeatSpend += amount
      }
      last = day
      count += 1
    }
    flush()
    return RFMSummary(rows: rows, unit: .week)
  }

  @Test func sameSeedSameOrders() {
    var a: [String] = [], b: [String] = [], c: [String] = []
    Simulation.orders(Self.settings(customers: 200, seed: 7)) { a.append("\($0) \($1) \($2)") }
    Simulation.orders(Self.settings(customers: 200, seed: 7)) { b.append("\($0) \($1) \($2)") }
    Simulation.orders(Self.settings(customers: 200, seed: 8)) { c.append("\($0) \($1) \($2)") }
    #expect(a == b)
    #expect(a != c)
  }

  @Test func purchasesFallOnDistinctDaysInsideTheWindow() {
    let settings = Self.settings(customers: 2000, seed: 3)
    var previous: (Int, Day)? = nil
    var customers = Set<Int>()
    Simulation.orders(settings) { customer, day, amount in
      customers.insert(customer)
      #expect(day >= settings.start && day <= settings.observationEnd)
      #expect(amount > 0)
      if let (c, d) = previous, c == customer { #expect(day > d) }
      previous = (customer, day)
    }
    #expect(customers.count == 2000)
  }

  /// Parameter recovery on 100,000 simulated customers (≈ 2 s in a debug build), with the
  /// CLI's default seed 1 and the CDNOW estimates as the truth: the true values must lie inside
  /// the 95% Wald intervals θ̂ ± 1.96·SE from the fit's Hessian. This is a statistical check
  /// (each interval misses with probability ≈ 5% for a given seed): over seeds 1–12 and 42 the
  /// release binary put the truth inside the intervals for 45 of 52 parameter estimates (13%
  /// misses against 5% nominal, most likely from the whole-day rounding of purchase times: with
  /// a 10× finer time resolution, 3 seeds, all |z| ≤ 1.71); see the models helper's report.
  @Test func recoversBGNBDParametersWithinTheirIntervals() throws {
    let summary = Self.summary(Self.settings(customers: 100_000, seed: 1))
    let fitted = try BGNBD.fit(summary)
    let intervals = try #require(fitted.fitReport?.confidenceIntervals(for: fitted.parameterValues))
    let truth = [Self.truth.r, Self.truth.alpha, Self.truth.a, Self.truth.b]
    for (name, (interval, value)) in zip(fitted.parameterNames, zip(intervals, truth)) {
      #expect(
        interval.contains(value), "true \(name) = \(value) outside the 95% interval \(interval)")
    }
  }
}
