import CLVData
import CLVModels
import TestSupport
import Testing

/// Customers with T = 0 (first purchase at the end of the data): likelihood 1 under every
/// purchase model, left out of the fits, scored like everyone else.
@Suite struct ZeroAgeConsistencyTests {
  static let bgnbd = BGNBD(r: 0.243, alpha: 4.414, a: 0.793, b: 2.426)
  static let mbgnbd = MBGNBD(r: 0.525, alpha: 6.183, a: 0.891, b: 1.614)
  static let pnbd = ParetoNBD(r: 0.553, alpha: 10.578, s: 0.606, beta: 11.669)
  static let bgbb = BGBB(alpha: 1.204, beta: 0.750, gamma: 0.657, delta: 2.783)

  static func zero(_ id: String = "z") -> RFMSummary.Row {
    RFMSummary.Row(customerID: id, frequency: 0, recency: 0, age: 0)
  }

  /// The per-customer log-likelihood at (0, 0, 0) is exactly 0 and is the limit of the formula:
  /// at T = 10⁻¹² the same formula gives a value within 10⁻⁹ of 0 (|log L| = O(T)).
  @Test func zeroAgeContributesExactlyZeroToTheLogLikelihood() throws {
    let near = RFMSummary.Row(customerID: "near", frequency: 0, recency: 0, age: 1e-12)
    let models: [any TransactionModel] = [Self.bgnbd, Self.mbgnbd, Self.pnbd]
    for model in models {
      #expect(try model.logLikelihood(of: Self.zero()) == 0, "\(type(of: model).modelName)")
      assertClose(
        try model.logLikelihood(of: near), 0, absolute: 1e-9,
        source: "\(type(of: model).modelName): log L = O(T) as T → 0 (CollapsedRFM+ZeroAge)")
    }
    // BG/BB is discrete: n = 0 opportunities; one opportunity without a transaction is not 0.
    #expect(Self.bgbb.logLikelihood(of: Self.zero()) == 0)
    #expect(
      Self.bgbb.logLikelihood(
        of: RFMSummary.Row(customerID: "n1", frequency: 0, recency: 0, age: 1))
        < 0)
  }

  @Test func collapsingLeavesZeroAgeCustomersOutAndCountsThem() throws {
    let rows = [
      RFMSummary.Row(customerID: "a", frequency: 2, recency: 5, age: 10),
      Self.zero("b"), Self.zero("c"),
    ]
    let data = try CollapsedRFM(rows, weights: [1, 2, 3], model: "test")
    #expect(data.customers == 1)
    #expect(data.zeroAgeCustomers == 5)
    #expect(data.count == 1)
  }

  static func withZeroAge(_ summary: RFMSummary, count: Int) -> RFMSummary {
    var rows = summary.rows
    // Interleaved, so that first-appearance numbering would change if they were kept.
    for i in 0..<count { rows.insert(zero("z\(i)"), at: (i * 37) % rows.count) }
    return RFMSummary(rows: rows, unit: summary.unit)
  }

  /// Adding T = 0 customers leaves every purchase-model fit bit-identical (same parameters,
  /// log-likelihood, customer count); `dropped` counts them.
  @Test func fitsWithAndWithoutZeroAgeCustomersAreIdentical() throws {
    let cdnow = try ReferenceData.cdnowSummary()
    let padded = Self.withZeroAge(cdnow, count: 50)
    let pairs: [(any FittedModel, any FittedModel)] = [
      (try BGNBD.fit(cdnow), try BGNBD.fit(padded)),
      (try MBGNBD.fit(cdnow), try MBGNBD.fit(padded)),
      (try ParetoNBD.fit(cdnow), try ParetoNBD.fit(padded)),
    ]
    for (plain, withZero) in pairs {
      let name = type(of: plain).modelName
      #expect(plain.parameterValues == withZero.parameterValues, "\(name)")
      #expect(plain.fitReport?.logLikelihood == withZero.fitReport?.logLikelihood, "\(name)")
      #expect(plain.fitReport?.customers == withZero.fitReport?.customers, "\(name)")
      #expect(plain.fitReport?.dropped == 0, "\(name)")
      #expect(withZero.fitReport?.dropped == 50, "\(name)")
    }
    // BG/BB on the donations data, weighted: n = 0 histories with weights 4.
    let donations = try ReferenceData.donations()
    var rows = donations.summary.rows
    var weights = donations.weights
    rows.insert(Self.zero(), at: 3)
    weights.insert(4, at: 3)
    let plain = try BGBB.fit(donations.summary, weights: donations.weights)
    let withZero = try BGBB.fit(
      RFMSummary(rows: rows, unit: donations.summary.unit), weights: weights)
    #expect(plain.parameterValues == withZero.parameterValues)
    #expect(plain.fitReport?.logLikelihood == withZero.fitReport?.logLikelihood)
    #expect(withZero.fitReport?.dropped == 4)
    // Gamma-Gamma never used them (no repeat purchase): same fit, two more customers dropped.
    let spend = try ReferenceData.cdnowCalibrationWithSpend()
    let spendPadded = Self.withZeroAge(spend, count: 2)
    let gg = try GammaGamma.fit(spend)
    let ggPadded = try GammaGamma.fit(spendPadded)
    #expect(gg.parameterValues == ggPadded.parameterValues)
    #expect(ggPadded.fitReport!.dropped == gg.fitReport!.dropped + 2)
  }

  /// At T = 0 the conditional predictions are those of a new customer: P(alive) is the
  /// probability of being alive after the first purchase, and E[Y(t) | 0, 0, 0] = E[X(t)].
  @Test func zeroAgeCustomersAreScoredAsNewCustomers() throws {
    let z = Self.zero()
    #expect(Self.bgnbd.probabilityAlive(for: z) == 1)
    #expect(Self.pnbd.probabilityAlive(for: z) == 1)
    assertClose(
      Self.mbgnbd.probabilityAlive(for: z), Self.mbgnbd.b / (Self.mbgnbd.a + Self.mbgnbd.b),
      relative: 1e-14, source: "MBG/NBD drops out at time 0 with probability a/(a+b) [BDF2007]")
    assertClose(
      Self.bgbb.probabilityAlive(for: z), Self.bgbb.delta / (Self.bgbb.gamma + Self.bgbb.delta),
      relative: 1e-14, source: "BG/BB: alive at opportunity 1 with probability δ/(γ+δ) [FHS2010]")
    let models: [any TransactionModel] = [Self.bgnbd, Self.mbgnbd, Self.pnbd, Self.bgbb]
    for model in models {
      let name = type(of: model).modelName
      for t in [1.0, 13, 52] {
        let conditional = model.expectedPurchases(in: t, for: z)
        assertClose(
          conditional, model.expectedPurchases(in: t), relative: 1e-9,
          source: "\(name): E[Y(t) | 0, 0, 0] = E[X(t)] (eq. (10) at T = 0 is eq. (7))")
        let none = model.probabilityOfNoPurchase(in: t, for: z)
        #expect(none.isFinite && none >= 0 && none <= 1, "\(name) P(no purchase) \(none)")
      }
      if let next = model.expectedTimeToNextPurchase(for: z) {
        #expect(next.isFinite && next > 0, "\(name)")
      }
    }
    let value = CustomerValue.discountedValue(
      transactions: Self.bgnbd, spend: GammaGamma(p: 6.25, q: 3.74, gamma: 15.44), customer: z,
      horizon: 52, discountRate: 0.01)
    #expect(value.isFinite && value > 0)
  }
}
