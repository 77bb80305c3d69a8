import CLVData
import CLVScoring
import Testing

/// The `--customers` list: header contract, errors with file and line, prospects.
@Suite struct CustomerListReaderInputTests {
  func parse(_ text: String) throws -> [String] {
    try CustomerListReader.parse(Array(text.utf8), file: "c.csv")
  }

  @Test func readsIDsInOrderOnce() throws {
    #expect(try parse("email,customer_id\r\nx@y,b\r\nz@w,a\r\nq,b\r\n\r\n") == ["b", "a"])
    #expect(try parse("customer_id\n\"a,1\"\n") == ["a,1"])
    #expect(try parse("customer_id\n").isEmpty)
  }

  @Test func errors() {
    #expect(
      throws: DataError.invalidFile(
        file: "c.csv",
        reason: "is empty (expected a customer_id header)")
    ) { try parse("") }
    #expect(
      throws: DataError.invalidRow(
        file: "c.csv", line: 1,
        reason: "no 'customer_id' column in the header")
    ) { try parse("id\n1\n") }
    #expect(
      throws: DataError.invalidRow(
        file: "c.csv", line: 3,
        reason: "1 fields, expected 2 as in the header (no value for column 'name')")
    ) {
      try parse("customer_id,name\na,b\nc\n")
    }
    #expect(
      throws: DataError.invalidField(
        file: "c.csv", line: 2, column: "customer_id",
        value: "", expected: "a customer id")
    ) { try parse("customer_id,name\n,b\n") }
  }

  @Test func prospectsAreListedCustomersWithoutOrders() {
    let prospects = ScoreAugmenter.prospects(
      listed: ["c", "a", "z"], customersWithOrders: ["a", "b"])
    #expect(prospects.map(\.customerID) == ["c", "z"])
    #expect(prospects.allSatisfy { $0.history == nil })
  }
}
