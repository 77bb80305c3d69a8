import CLVData
import TestSupport
import Testing

@Suite struct SummaryCSVReaderInputTests {
  @Test func layoutsAreRecognisedFromTheHeader() {
    #expect(
      SummaryCSVReader.layout(ofHeader: ["customer_id", "frequency", "recency", "T"]) == .summary)
    #expect(SummaryCSVReader.layout(ofHeader: ["ID", "frequency", "recency", "T"]) == .lifetimes)
    #expect(
      SummaryCSVReader.layout(ofHeader: ["customer_id", "frequency_cal", "recency_cal", "T_cal"])
        == .calibrationHoldout)
    #expect(
      SummaryCSVReader.layout(ofHeader: ["frequency", "recency", "periods", "weights"])
        == .donations)
    #expect(SummaryCSVReader.layout(ofHeader: ["customer_id", "date", "amount"]) == nil)
  }

  @Test func donationsLayout() throws {
    let donations = try SummaryCSVReader.read(
      path: Fixtures.sharedDataset("donations.csv").path, unit: .week)
    #expect(donations.layout == .donations)
    #expect(donations.count == 22)
    // ../shared/datasets/README.md: weights sum to 11,104 donors; 6 opportunities each.
    #expect(donations.weights?.reduce(0, +) == 11_104)
    #expect(donations.summary.rows.allSatisfy { $0.age == 6 })
    #expect(
      donations.summary.rows[0] == RFMSummary.Row(customerID: "1", frequency: 0, recency: 0, age: 6)
    )
  }

  private func readError(_ text: String) throws -> (String, DataError?) {
    let path = try temporaryFile(text, name: "summary.csv")
    let error = #expect(throws: DataError.self) {
      try SummaryCSVReader.read(path: path, unit: .week)
    }
    return (path, error)
  }

  @Test func badValuesNameLineColumnAndValue() throws {
    let header = "customer_id,frequency,recency,T\n1,0,0,5\n"
    var (path, error) = try readError(header + "2,1.5,1,5\n")
    #expect(
      error?.description
        == "\(path):3: column 'frequency': cannot parse '1.5' as a non-negative whole number")
    (path, error) = try readError(header + "2,1,6,5\n")
    #expect(error?.description == "\(path):3: column 'recency': '6' is greater than T (5)")
    (path, error) = try readError(header + "2,0,1,5\n")
    #expect(
      error?.description == "\(path):3: column 'recency': '1' is not 0 although frequency is 0")
    (path, error) = try readError(header + "2,1,1,-5\n")
    #expect(error?.description == "\(path):3: column 'T': '-5' is negative")
    (path, error) = try readError(header + "2,1,nan,5\n")
    #expect(
      error?.description == "\(path):3: column 'recency': cannot parse 'nan' as a finite number")
    (path, error) = try readError(header + ",1,1,5\n")
    #expect(
      error?.description
        == "\(path):3: column 'customer_id': '' is empty (every row needs a customer id)")
    (path, error) = try readError(header + "2,1,1\n")
    #expect(error?.description == "\(path):3: expected 4 fields, found 3")
  }

  @Test func badFiles() throws {
    var (path, error) = try readError("customer_id,frequency,recency,T\n")
    #expect(error == .invalidFile(file: path, reason: "a header but no data rows"))
    (path, error) = try readError("customer_id,date,amount\n1,2020-01-01,3\n")
    #expect(error?.description.hasPrefix("\(path): not a summary file") == true)
    (path, error) = try readError(
      "customer_id,frequency_cal,recency_cal,T_cal,frequency_holdout\n1,0,0,1,0\n")
    #expect(
      error
        == .invalidFile(
          file: path, reason: "a holdout layout needs both frequency_holdout and duration_holdout"))
  }
}
