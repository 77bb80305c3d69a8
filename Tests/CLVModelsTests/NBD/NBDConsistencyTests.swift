import CLVData
import CLVModels
import Foundation
import TestSupport
import Testing

/// The NBD's predictions agree with each other and with its likelihood.
@Suite struct NBDConsistencyTests {
  let model = NBD(r: 0.385, alpha: 12.07)

  /// P(X(t) = n) sums to 1 and its mean is E[X(t)] = r t / α (truncated at n = 2000, where
  /// the tail is below 1e-30 for these parameters).
  @Test func countDistributionHasTheStatedMean() {
    for horizon in [1.0, 39, 78] {
      var total = 0.0
      var mean = 0.0
      for n in 0...2000 {
        let p = model.probabilityOfPurchases(n, in: horizon)
        total += p
        mean += Double(n) * p
      }
      assertClose(total, 1, absolute: 1e-12, source: "probabilities sum to 1")
      assertClose(
        mean, model.expectedPurchases(in: horizon), relative: 1e-10,
        source: "mean of the NBD = r t / α")
    }
  }

  /// A new customer's P(no purchase in t) is P(X(t) = 0), and the conditional expectation of a
  /// customer without history (x = 0, T = 0) is the unconditional one.
  @Test func newCustomerMatchesTheUnconditionalModel() {
    let newcomer = RFMSummary.Row(customerID: "n", frequency: 0, recency: 0, age: 0)
    for horizon in [0.5, 10, 52] {
      assertClose(
        model.probabilityOfNoPurchase(in: horizon, for: newcomer),
        model.probabilityOfPurchases(0, in: horizon), relative: 1e-12,
        source: "P(X(t)=0) = (α/(α+t))^r")
      assertClose(
        model.expectedPurchases(in: horizon, for: newcomer), model.expectedPurchases(in: horizon),
        relative: 1e-12, source: "E[Y(t) | 0, 0] = E[X(t)]")
    }
  }

  /// The analytic gradient of the total log-likelihood matches central differences, and the
  /// total is the sum of the customers' contributions.
  @Test func gradientAndPerCustomerLikelihoodAgree() throws {
    let summary = try ReferenceData.cdnowSummary()
    let data = try CollapsedRFM(summary.rows, model: NBD.modelName)
    let theta = [0.4, 11.0]
    var gradient: [Double] = []
    let total = NBD.logLikelihood(theta, data: data, gradient: &gradient)
    for i in 0..<2 {
      let h = 1e-6 * theta[i]
      var plus = theta
      var minus = theta
      plus[i] += h
      minus[i] -= h
      var ignored: [Double] = []
      let numeric =
        (NBD.logLikelihood(plus, data: data, gradient: &ignored)
          - NBD.logLikelihood(minus, data: data, gradient: &ignored)) / (2 * h)
      assertClose(gradient[i], numeric, relative: 1e-6, source: "central difference, h = 1e-6 θ")
    }
    let atTheta = NBD(r: theta[0], alpha: theta[1])
    let sum = try summary.rows.reduce(0.0) { $0 + (try atTheta.logLikelihood(of: $1)) }
    assertClose(sum, total, relative: 1e-12, source: "Σ per-customer log L = total log L")
  }

  @Test func expectedTimeToNextPurchaseIsThePosteriorMeanOfOneOverLambda() {
    let row = RFMSummary.Row(customerID: "c", frequency: 3, recency: 20, age: 30)
    let expected = (model.alpha + 30) / (model.r + 3 - 1)
    assertClose(
      model.expectedTimeToNextPurchase(for: row) ?? .nan, expected, relative: 1e-15,
      source: "E[1/λ] of gamma(r + x, α + T)")
    let none = RFMSummary.Row(customerID: "z", frequency: 0, recency: 0, age: 30)
    #expect(model.expectedTimeToNextPurchase(for: none) == nil, "r + x ≤ 1: no finite mean")
  }

  /// The registry line is all `clv` needs: the descriptor fits the model, names its parameters
  /// and decodes its file.
  @Test func theRegistryFitsAndReadsTheNBD() throws {
    let descriptor = try #require(ModelRegistry.descriptor(for: "nbd"))
    #expect(descriptor.kind == .purchase)
    #expect(descriptor.parameterNames == ["r", "alpha"])
    let summary = try ReferenceData.cdnowSummary()
    let fitted = try descriptor.fit(summary)
    let file = ModelFile(model: fitted, unit: .time(.week), data: nil, toolVersion: "test")
    let decoded = try ModelFile.decode(
      Data(try file.jsonText().utf8), path: "nbd.json"
    ).makeModel(path: "nbd.json")
    let nbd = try #require(decoded as? NBD)
    #expect(nbd.parameterValues == fitted.parameterValues)
  }
}
