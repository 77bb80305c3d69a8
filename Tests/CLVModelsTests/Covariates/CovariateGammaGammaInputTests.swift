import CLVData
import Testing

@testable import CLVModels

/// Gamma-Gamma with spend covariates: bad designs, attribute values and data fail with a
/// message naming the column, or the file and line.
@Suite struct CovariateGammaGammaInputTests {
  func attributes(_ text: String) throws -> CustomerAttributes {
    try CustomerAttributes(csv: text, file: "attributes.csv")
  }

  func learnError(
    _ text: String, purchase: [String]? = nil, spend: [String]? = nil
  ) throws -> String {
    do {
      _ = try CovariateDesign.learn(
        from: try attributes(text), purchase: purchase, dropout: nil, spend: spend, fill: false,
        processes: [.spend], model: GammaGamma.modelName)
      return ""
    } catch {
      return "\(error)"
    }
  }

  static let rows = [
    RFMSummary.Row(customerID: "a", frequency: 2, recency: 5, age: 10, monetaryValue: 20),
    RFMSummary.Row(customerID: "b", frequency: 1, recency: 4, age: 10, monetaryValue: 35),
    RFMSummary.Row(customerID: "c", frequency: 0, recency: 0, age: 10, monetaryValue: 0),
    RFMSummary.Row(customerID: "d", frequency: 3, recency: 9, age: 10, monetaryValue: 12),
  ]

  @Test func spendColumnsAreCheckedAndOnlyTheSpendProcessIsUsed() throws {
    let text = "customer_id,channel,basket,region\na,web,1,eu\nb,store,2,eu\n"
    #expect(try learnError(text, spend: ["chanel"]).contains("no column 'chanel'"))
    #expect(try learnError(text).contains("'region' has a single level"))
    #expect(try learnError(text, spend: []).contains("no covariate column"))
    #expect(
      try learnError(text, purchase: ["channel"], spend: ["channel"]).contains(
        "--purchase-covariates does not apply"))
    let design = try CovariateDesign.learn(
      from: try attributes(text), purchase: nil, dropout: nil, spend: ["basket", "channel"],
      fill: false, processes: [.spend], model: GammaGamma.modelName)
    #expect(design.spendColumns == ["channel", "basket"])
    #expect(design.purchaseColumns.isEmpty && design.dropoutColumns.isEmpty)
    #expect(
      CovariateGammaGamma.coefficientNames(design) == ["spend.channel=web", "spend.basket"])
  }

  @Test func missingAndUnknownAttributeValuesNameFileAndLine() throws {
    let table = try attributes("customer_id,channel\na,web\nb,\nd,store\n")
    let design = try CovariateDesign.learn(
      from: table, purchase: nil, dropout: nil, spend: nil, fill: false, processes: [.spend],
      model: GammaGamma.modelName)
    #expect {
      _ = try design.covariates(
        for: Self.rows.map(\.customerID), attributes: table, model: GammaGamma.modelName)
    } throws: { error in
      "\(error)".contains("attributes.csv:3") && "\(error)".contains("channel")
    }
    let profiles = try attributes("customer_id,channel\nnew,app\n")
    #expect {
      _ = try design.covariates(for: ["new"], attributes: profiles, model: GammaGamma.modelName)
    } throws: { error in
      "\(error)".contains("attributes.csv:2") && "\(error)".contains("'app'")
    }
  }

  @Test func badCovariateVectorsAndTooFewBuyersAreErrors() throws {
    let design = CovariateDesign(
      encodings: [
        AttributeEncoding(column: "basket", kind: .numeric, levels: [], fillValue: nil)
      ], purchaseColumns: [], dropoutColumns: [], spendColumns: ["basket"])
    #expect(throws: ModelError.self) {
      _ = try CovariateGammaGamma.fit(Self.rows, covariates: [[1], [2]], design: design)
    }
    #expect {
      _ = try CovariateGammaGamma.fit(
        Self.rows, covariates: [[1], [.nan], [1], [2]], design: design)
    } throws: { error in
      "\(error)".contains("customer 'b'")
    }
    #expect {
      _ = try CovariateGammaGamma.fit(
        Array(Self.rows.prefix(1)), covariates: [[1]], design: design)
    } throws: { error in
      "\(error)".contains("needs repeat buyers")
    }
    #expect(throws: ModelError.self) {
      _ = try CovariateGammaGamma.fit(
        Self.rows, covariates: [[1], [2], [3], [4]], design: design, covariateL2: -1)
    }
  }
}
