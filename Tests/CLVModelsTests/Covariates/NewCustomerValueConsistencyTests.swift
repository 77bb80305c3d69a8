import CLVData
import CLVNumerics
import TestSupport
import Testing

@testable import CLVModels

/// `clv predict-new`'s library function: a new customer's E[X(H)], spend and value, per
/// attribute profile for a covariate model.
@Suite struct NewCustomerValueConsistencyTests {
  let bgnbd = BGNBD(r: 0.243, alpha: 4.414, a: 0.793, b: 2.426)
  let spend = GammaGamma(p: 6.25, q: 3.74, gamma: 15.44)

  @Test func withoutDiscountTheValueIsSpendTimesExpectedPurchases() throws {
    let prediction = try NewCustomerValue.predict(
      bgnbd, profile: "x", spend: spend, horizon: 52)
    #expect(prediction.expectedPurchases == bgnbd.expectedPurchases(in: 52))
    let mean = 6.25 * 15.44 / (3.74 - 1)  // p γ / (q − 1) [FH2013]
    assertClose(
      try #require(prediction.expectedSpend), mean, relative: 1e-14, source: "p γ / (q − 1)")
    assertClose(
      try #require(prediction.value), mean * prediction.expectedPurchases, relative: 1e-14,
      source: "telescoping sum at d = 0")
    let discounted = try NewCustomerValue.predict(
      bgnbd, profile: "x", spend: spend, horizon: 52, discountRate: 0.01)
    #expect(try #require(discounted.value) < prediction.value!)
    // Every term is discounted by at most 1.01⁵².
    #expect(try #require(discounted.value) > prediction.value! / Double.pow(1.01, 52))
  }

  @Test func profilesGetTheirOwnParametersAndZeroCoefficientsGiveTheModel() throws {
    let profiles = try CustomerAttributes(
      csv: "customer_id,channel\nweb_customer,web\nstore_customer,store\n", file: "profiles.csv")
    let design = try CovariateDesign.learn(
      from: profiles, purchase: nil, dropout: [], fill: false, model: "BG/NBD")
    let zero = StaticCovariateModel(base: bgnbd, design: design, coefficients: [[0], [], []])
    let flat = try NewCustomerValue.predict(
      zero, profiles: profiles, spend: nil, horizon: 39)
    #expect(flat.map(\.profile) == ["web_customer", "store_customer"])
    #expect(flat.allSatisfy { $0.expectedPurchases == bgnbd.expectedPurchases(in: 39) })
    #expect(flat.allSatisfy { $0.value == nil && $0.expectedSpend == nil })
    // channel=web buys more (positive purchase coefficient: α smaller).
    let effect = StaticCovariateModel(base: bgnbd, design: design, coefficients: [[0.5], [], []])
    let split = try NewCustomerValue.predict(
      effect, profiles: profiles, spend: nil, horizon: 39)
    #expect(split[0].expectedPurchases > split[1].expectedPurchases)
    #expect(split[1].expectedPurchases == bgnbd.expectedPurchases(in: 39))
    let web = BGNBD(r: 0.243, alpha: 4.414 * Double.exp(-0.5), a: 0.793, b: 2.426)
    assertClose(
      split[0].expectedPurchases, web.expectedPurchases(in: 39), relative: 1e-15,
      source: "α e^(−γ)")
    #expect(
      NewCustomerValue.csv(split).hasPrefix(
        "profile,expected_purchases,expected_spend,clv\nweb_customer,"))
  }
}
