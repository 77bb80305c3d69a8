import CLVData
import Testing

@testable import CLVModels

/// Bad covariate designs and attribute values fail with a message naming the column, file and
/// line.
@Suite struct CovariateInputTests {
  func attributes(_ text: String) throws -> CustomerAttributes {
    try CustomerAttributes(csv: text, file: "attributes.csv")
  }

  func learnError(
    _ text: String, purchase: [String]? = nil, dropout: [String]? = nil
  ) throws -> String {
    do {
      _ = try CovariateDesign.learn(
        from: try attributes(text), purchase: purchase, dropout: dropout, fill: false,
        model: "BG/NBD")
      return ""
    } catch {
      return "\(error)"
    }
  }

  @Test func unknownRepeatedOrUninformativeColumnsAreErrors() throws {
    let text = "customer_id,channel,basket,region\na,web,1,eu\nb,store,2,eu\n"
    #expect(try learnError(text, purchase: ["chanel"]).contains("no column 'chanel'"))
    #expect(
      try learnError(text, purchase: ["channel", "channel"]).contains("'channel' is listed twice"))
    #expect(try learnError(text).contains("'region' has a single level"))
    #expect(
      try learnError("customer_id,channel,basket\na,web,3\nb,store,3\n").contains(
        "'basket' is constant"))
    #expect(try learnError(text, purchase: [], dropout: []).contains("no covariate column"))
  }

  @Test func theDesignKeepsFileOrderAndSplitsTheProcesses() throws {
    let design = try CovariateDesign.learn(
      from: try attributes("customer_id,basket,channel\na,1,web\nb,2,store\nc,2,app\n"),
      purchase: ["channel", "basket"], dropout: ["channel"], fill: false, model: "BG/NBD")
    #expect(design.featureNames == ["basket", "channel=store", "channel=web"])
    #expect(design.purchaseColumns == ["basket", "channel"])
    #expect(design.featureIndices(of: .dropout) == [1, 2])
    #expect(design.featureNames(of: .dropout) == ["channel=store", "channel=web"])
  }

  @Test func missingValuesAreErrorsUnlessFilled() throws {
    let table = try attributes("customer_id,channel,basket\na,web,1\nb,,2\nc,store,NA\n")
    var design = try CovariateDesign.learn(
      from: table, purchase: nil, dropout: nil, fill: false, model: "BG/NBD")
    #expect {
      _ = try design.covariates(for: ["a", "b"], attributes: table, model: "BG/NBD")
    } throws: { error in
      "\(error)".contains("attributes.csv:3") && "\(error)".contains("channel")
    }
    design.fill = true
    let filled = try design.covariates(
      for: ["a", "b", "c", "x"], attributes: table, model: "BG/NBD")
    // channel=web, basket; missing text → reference (store), missing number → mean 1.5.
    #expect(filled == [[1, 1], [0, 2], [0, 1.5], [0, 1.5]])
  }
}
