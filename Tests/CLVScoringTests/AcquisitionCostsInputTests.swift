import CLVData
import CLVModels
import CLVScoring
import Testing

/// The CAC file: its three kinds of key, the lookup, and the errors with file and line.
@Suite struct AcquisitionCostsInputTests {
  static func day(_ text: String) -> Day { Day(iso: text)! }

  @Test func costsByCohortMonthThenQuarter() throws {
    let costs = try AcquisitionCosts.parse(
      csv: "cohort,cac\n2024-01,35\n2024-Q1,20\n", file: "cac.csv")
    #expect(costs.key == .cohort)
    #expect(costs.cost(customerID: "a", firstPurchase: Self.day("2024-01-31")) == 35)
    // February has no month row: its quarter's.
    #expect(costs.cost(customerID: "a", firstPurchase: Self.day("2024-02-01")) == 20)
    #expect(costs.cost(customerID: "a", firstPurchase: Self.day("2024-04-01")) == nil)
  }

  @Test func costsByCustomerAndByAttribute() throws {
    let byCustomer = try AcquisitionCosts.parse(csv: "cac,customer_id\n12.5,a\n", file: "c.csv")
    #expect(byCustomer.key == .customer)
    #expect(byCustomer.cost(customerID: "a", firstPurchase: Self.day("2024-01-01")) == 12.5)
    let byChannel = try AcquisitionCosts.parse(
      csv: "channel,cac\nsearch,40\nsocial,25\n", file: "c.csv")
    #expect(byChannel.key == .attribute("channel"))
    let attributes = try CustomerAttributes(
      csv: "customer_id,channel\na,search\nb,NA\nc,social\n", file: "attributes.csv")
    let values = try byChannel.keyValues(in: attributes)!
    #expect(values == ["a": "search", "c": "social"])  // NA is missing
    #expect(
      byChannel.cost(customerID: "a", firstPurchase: Self.day("2024-01-01"), attributes: values)
        == 40)
    #expect(
      byChannel.cost(customerID: "b", firstPurchase: Self.day("2024-01-01"), attributes: values)
        == nil)
    #expect(throws: DataError.self) { try byChannel.keyValues(in: nil) }
    let noColumn = try CustomerAttributes(csv: "customer_id,region\na,north\n", file: "attr.csv")
    #expect {
      try byChannel.keyValues(in: noColumn)
    } throws: { "\($0)".contains("attr.csv:1") && "\($0)".contains("no 'channel' column") }
  }

  @Test func errorsNameFileLineAndValue() {
    let cases: [(String, String)] = [
      ("cohort,cost\n2024-01,3\n", "c.csv:1"),
      ("cohort,cac,extra\n2024-01,3,4\n", "c.csv:1"),
      ("cohort,cac\n2024-13,3\n", "c.csv:2: column 'cohort': cannot parse '2024-13'"),
      ("cohort,cac\n24-01,3\n", "c.csv:2: column 'cohort': cannot parse '24-01'"),
      ("cohort,cac\n2024-01,-3\n", "c.csv:2: column 'cac': cannot parse '-3'"),
      ("cohort,cac\n2024-01,nan\n", "c.csv:2: column 'cac': cannot parse 'nan'"),
      ("channel,cac\n,3\n", "c.csv:2: column 'channel'"),
      ("channel,cac\nweb,3\nweb,4\n", "c.csv:3: channel 'web' repeats line 2"),
      ("channel,cac\n", "c.csv: no rows"),
    ]
    for (text, message) in cases {
      #expect {
        try AcquisitionCosts.parse(csv: text, file: "c.csv")
      } throws: { error in
        "\(error)".contains(message)
      }
    }
  }
}
