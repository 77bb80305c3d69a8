import CLVData
import CLVModels
import CLVScoring
import Testing

/// Scoring with covariates: each customer is scored with their own parameters θ(z), and the
/// scorer's per-(x, T) cache never shares values between customers with the same history and
/// different attributes.
@Suite struct CovariateScoringConsistencyTests {
  let model: StaticCovariateModel<BGNBD>
  let attributes: CustomerAttributes

  init() throws {
    attributes = try CustomerAttributes(
      csv: "customer_id,channel,basket\na,web,1\nb,store,1\nc,web,3\nd,store,1\n",
      file: "attributes.csv")
    let design = try CovariateDesign.learn(
      from: attributes, purchase: nil, dropout: ["channel"], fill: false, model: "BG/NBD")
    // Features: channel=web (reference store), basket. Purchase: both; dropout: channel.
    model = StaticCovariateModel(
      base: BGNBD(r: 0.25, alpha: 4, a: 0.8, b: 2.5), design: design,
      coefficients: [[0.4, -0.2], [0.5], [-0.3]])
  }

  @Test func customersWithTheSameHistoryAndOtherAttributesScoreDifferently() throws {
    // a, b, c share (x, tₓ, T); b and d share their attributes and their history.
    let rows = ["a", "b", "c", "d"].map {
      RFMSummary.Row(customerID: $0, frequency: 3, recency: 20, age: 30)
    }
    let covariates = try CustomerCovariates(
      model: model, customerIDs: rows.map(\.customerID), attributes: attributes)
    #expect(covariates.vectors == [[1, 1], [0, 1], [1, 3], [0, 1]])
    let scores = try CovariateScoring.scores(
      rows, covariates: covariates, spend: nil, horizon: 52, discountRate: 0, margin: 1,
      modelUnit: .time(.week))
    // Each score is the customer's own model's (no cache shared across z).
    for (i, row) in rows.enumerated() {
      let own = model.model(for: covariates.vectors[i])
      #expect(scores.probabilityAlive[i] == own.probabilityAlive(for: row))
      let expected = own.expectedPurchases(in: 52, for: row)
      #expect(abs(scores.expectedPurchases[i] - expected) <= 1e-12 * expected)
    }
    #expect(scores.expectedPurchases[0] != scores.expectedPurchases[1])
    #expect(scores.expectedPurchases[0] != scores.expectedPurchases[2])
    #expect(scores.probabilityAlive[0] != scores.probabilityAlive[1])
    #expect(scores.expectedPurchases[1] == scores.expectedPurchases[3])
  }

  @Test func anUnknownLevelAtScoringIsAnErrorNamingTheLine() throws {
    let later = try CustomerAttributes(
      csv: "customer_id,channel,basket\na,web,1\nb,app,2\n", file: "later.csv")
    #expect {
      _ = try CustomerCovariates(model: model, customerIDs: ["a", "b"], attributes: later)
    } throws: { error in
      "\(error)".contains("later.csv:3") && "\(error)".contains("'app'")
        && "\(error)".contains("store, web")
    }
  }

  @Test func aCustomerWithoutARowIsAnErrorWithoutFill() throws {
    #expect {
      _ = try CustomerCovariates(model: model, customerIDs: ["a", "zz"], attributes: attributes)
    } throws: { error in
      "\(error)".contains("attributes.csv") && "\(error)".contains("'zz'")
    }
  }
}
