import CLVData
import CLVModels
import CLVScoring
import Testing

/// Scoring with Gamma-Gamma with covariates: each customer's expected spend and CLV use their
/// own scale γ(w), with or without covariates in the purchase model, and customers with the same
/// history and other attributes never share a cached value.
@Suite struct CovariateSpendScoringConsistencyTests {
  let spend: CovariateGammaGamma
  let attributes: CustomerAttributes

  init() throws {
    attributes = try CustomerAttributes(
      csv: "customer_id,channel\na,web\nb,store\nc,web\nd,store\n", file: "attributes.csv")
    let design = try CovariateDesign.learn(
      from: attributes, purchase: nil, dropout: nil, spend: nil, fill: false,
      processes: [.spend], model: GammaGamma.modelName)
    spend = CovariateGammaGamma(
      base: GammaGamma(p: 6.25, q: 3.74, gamma: 15.44), design: design, coefficients: [0.3])
  }

  @Test func customersWithTheSameHistoryAndOtherAttributesGetTheirOwnSpend() throws {
    let rows = ["a", "b", "c", "d"].map {
      RFMSummary.Row(customerID: $0, frequency: 3, recency: 20, age: 30, monetaryValue: 25)
    }
    let covariates = try SpendCovariates(
      model: spend, customerIDs: rows.map(\.customerID), attributes: attributes)
    #expect(covariates.vectors == [[1], [0], [1], [0]])
    let purchase = BGNBD(r: 0.25, alpha: 4, a: 0.8, b: 2.5)
    let scores = try CovariateScoring.scores(
      rows, model: purchase, covariates: nil, spend: spend.model(for: [0]),
      spendCovariates: covariates, horizon: 52, discountRate: 0, margin: 1,
      modelUnit: .time(.week))
    for (i, row) in rows.enumerated() {
      let own = spend.model(for: covariates.vectors[i])
      #expect(scores.expectedSpend[i] == own.expectedAverageSpend(for: row))
      // The purchase model has no covariates: the same P(alive) for everyone.
      #expect(scores.probabilityAlive[i] == purchase.probabilityAlive(for: row))
    }
    #expect(scores.expectedSpend[0] != scores.expectedSpend[1])
    #expect(scores.expectedSpend[0] == scores.expectedSpend[2])
    let web = try #require(scores.clv[0])
    let store = try #require(scores.clv[1])
    let ratio = try #require(scores.expectedSpend[0]) / (try #require(scores.expectedSpend[1]))
    // CLV = margin · spend · discounted purchases, the purchases the same for a and b.
    #expect(abs(web / store - ratio) <= 1e-12 * ratio)
  }
}
