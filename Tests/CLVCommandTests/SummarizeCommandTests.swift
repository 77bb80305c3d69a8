import Foundation
import TestSupport
import Testing

/// `clv summarize`: runs the built binary and checks stdout, stderr and the exit code.
@Suite struct SummarizeCommandTests {
  private func file(
    _ text: String, _ name: String = "orders.csv"
  ) throws -> (dir: URL, path: String) {
    let dir = try Fixtures.temporaryDirectory()
    let url = dir.appendingPathComponent(name)
    try Data(text.utf8).write(to: url)
    return (dir, url.path)
  }

  private let orders =
    "customer_id,date,amount\n1,2020-01-01,10\n2,2020-01-03,4\n1,2020-01-15,6\n1,2020-01-15,2\n"

  @Test func cdnowSampleAsInTheIssue() throws {
    let sample = try Fixtures.sharedDataset("CDNOW_sample.txt").path
    let result = try Fixtures.runCLV([
      "summarize", sample, "--no-header", "--delimiter", "whitespace", "--customer-column", "2",
      "--date-column", "3", "--amount-column", "5", "--date-format", "yyyyMMdd",
      "--observation-end", "1997-09-30",
    ])
    #expect(result.status == 0)
    let lines = result.standardOutput.split(separator: "\n")
    #expect(lines.count == 2358)
    #expect(lines.first == "customer_id,frequency,recency,T,monetary_value")
    // Customer 1 of cdnow_customers_summary.csv: 2, 30.43, 38.86 (2 decimals, FHL2005a);
    // monetary value (29.73 + 14.96) / 2 from the log.
    #expect(lines[1] == "0001,2,30.428571428571427,38.857142857142854,22.345")
    #expect(result.standardError.contains("2357 customers"))
    #expect(result.standardError.contains("unit: week"))
    #expect(result.standardError.contains("ignored 1959 order row(s) after the observation end"))
  }

  @Test func cdnowMasterCalibrationHeader() throws {
    let master = try Fixtures.sharedDataset("CDNOW_master.txt").path
    let result = try Fixtures.runCLV([
      "summarize", master, "--delimiter", "whitespace", "--customer-column", "customer_id",
      "--date-column", "date", "--amount-column", "dollar_value", "--calibration-end",
      "1997-09-30", "--observation-end", "1998-06-30",
    ])
    #expect(result.status == 0)
    let lines = result.standardOutput.split(separator: "\n")
    #expect(lines.count == 23571)
    #expect(
      lines.first
        == "customer_id,frequency_cal,recency_cal,T_cal,monetary_value_cal,frequency_holdout,monetary_value_holdout,duration_holdout,cohort"
    )
    #expect(lines.contains("00002,0,0,37.285714285714285,0,0,0,39,1997-01"))
    #expect(result.standardError.contains("date format yyyyMMdd (detected"))
  }

  @Test func standardInputAndOutputFile() throws {
    let (dir, path) = try file(orders)
    let fromFile = try Fixtures.runCLV(["summarize", path, "--unit", "day"])
    let fromStdin = try Fixtures.runCLV(["summarize", "-", "--unit", "day"], input: orders)
    #expect(fromFile.status == 0 && fromStdin.status == 0)
    #expect(
      fromFile.standardOutput
        == "customer_id,frequency,recency,T,monetary_value\n1,1,14,14,8\n2,0,0,12,0\n")
    #expect(fromStdin.standardOutput == fromFile.standardOutput)
    #expect(fromStdin.standardError.contains("<stdin>"))
    let out = dir.appendingPathComponent("summary.csv").path
    let written = try Fixtures.runCLV(["summarize", path, "--unit", "day", "-o", out])
    #expect(written.status == 0)
    #expect(written.standardOutput.isEmpty)
    #expect(try String(contentsOfFile: out, encoding: .utf8) == fromFile.standardOutput)
  }

  @Test func unsortedStandardInputIsReplayed() throws {
    let shuffled =
      "customer_id,date,amount\n1,2020-01-15,6\n2,2020-01-03,4\n1,2020-01-01,10\n1,2020-01-15,2\n"
    let result = try Fixtures.runCLV(["summarize", "-", "--unit", "day"], input: shuffled)
    #expect(result.status == 0)
    #expect(
      result.standardOutput
        == "customer_id,frequency,recency,T,monetary_value\n1,1,14,14,8\n2,0,0,12,0\n")
    #expect(result.standardError.contains("1 customer(s) had orders out of date order"))
  }

  @Test func aBadRowStopsTheRunAndWritesNothing() throws {
    let (dir, path) = try file(orders + "3,1997-13-45,1\n")
    let out = dir.appendingPathComponent("summary.csv").path
    try "previous\n".write(toFile: out, atomically: false, encoding: .utf8)
    let result = try Fixtures.runCLV(["summarize", path, "--date-format", "yyyy-MM-dd", "-o", out])
    #expect(result.status == 65)
    #expect(
      result.standardError
        == "clv: error: \(path):6: column 'date': cannot parse '1997-13-45' as yyyy-MM-dd\n")
    #expect(try String(contentsOfFile: out, encoding: .utf8) == "previous\n")
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == [
        "orders.csv", "summary.csv",
      ])
  }

  @Test func skipBadRowsReportsCountsPerReason() throws {
    let (_, path) = try file(
      orders + "3,1997-13-45,1\n4,2020-01-02,abc\n5,2020-01-02,NaN\n,2020-01-02,1\n6,2020-01-02\n")
    let result = try Fixtures.runCLV(["summarize", path, "--skip-bad-rows"])
    #expect(result.status == 0)
    #expect(result.standardOutput.split(separator: "\n").count == 3)
    for line in [
      "skipped 1 row(s): wrong number of fields (first at line 10)",
      "skipped 1 row(s): empty customer id (first at line 9)",
      "skipped 1 row(s): unparsable date (first at line 6)",
      "skipped 1 row(s): non-numeric amount (first at line 7)",
      "skipped 1 row(s): NaN or infinite amount (first at line 8)",
    ] {
      #expect(result.standardError.contains(line), "\(line)")
    }
  }

  @Test func badFilesExit65Or66() throws {
    let (_, empty) = try file("")
    var result = try Fixtures.runCLV(["summarize", empty])
    #expect(result.status == 65)
    #expect(result.standardError == "clv: error: \(empty): empty file\n")
    let (_, headerOnly) = try file("customer_id,date,amount\n")
    result = try Fixtures.runCLV(["summarize", headerOnly])
    #expect(result.status == 65)
    #expect(result.standardError == "clv: error: \(headerOnly): a header but no data rows\n")
    let (_, noColumn) = try file("id,date\n1,2020-01-01\n")
    result = try Fixtures.runCLV(["summarize", noColumn])
    #expect(result.status == 65)
    #expect(result.standardError.contains("no column 'customer_id'"))
    let (_, binary) = try file("\u{0}\u{1}\u{2}garbage")
    result = try Fixtures.runCLV(["summarize", binary])
    #expect(result.status == 65)
    #expect(result.standardError.contains("binary data"))
    result = try Fixtures.runCLV(["summarize", "/nonexistent-folder/orders.csv"])
    #expect(result.status == 66)
    #expect(
      result.standardError
        == "clv: error: /nonexistent-folder/orders.csv: cannot read: No such file or directory\n")
  }

  @Test func unwritableOutputExits73() throws {
    let (_, path) = try file(orders)
    let result = try Fixtures.runCLV(["summarize", path, "-o", "/nonexistent-folder/out.csv"])
    #expect(result.status == 73)
  }

  @Test func usageErrorsExit64() throws {
    let (_, path) = try file(orders)
    for arguments in [
      ["--delimiter", "::"], ["--date-format", "dd-MM-yy"], ["--unit", "year"],
      ["--returns", "keep"], ["--observation-end", "2020-02-30"],
      ["--calibration-end", "2020-02-01", "--observation-end", "2020-01-01"],
      ["--no-header", "--customer-column", "customer_id", "--date-column", "2"],
    ] {
      let result = try Fixtures.runCLV(["summarize", path] + arguments)
      #expect(result.status == 64, "\(arguments)")
      #expect(result.standardOutput.isEmpty)
    }
  }

  @Test func ambiguousDatesAreReported() throws {
    let (_, path) = try file("customer_id,date\n1,01/02/2020\n1,03/04/2020\n")
    let result = try Fixtures.runCLV(["summarize", path, "--unit", "day"])
    #expect(result.status == 0)
    #expect(result.standardError.contains("dates are ambiguous (MM/dd/yyyy or dd/MM/yyyy"))
    #expect(result.standardOutput == "customer_id,frequency,recency,T\n1,1,62,62\n")
  }

  @Test func aSummaryFileIsAcceptedAsInput() throws {
    let summary = try Fixtures.sharedDataset("cdnow_customers_summary.csv").path
    let result = try Fixtures.runCLV(["summarize", summary])
    #expect(result.status == 0)
    let lines = result.standardOutput.split(separator: "\n")
    #expect(lines.first == "customer_id,frequency,recency,T")
    #expect(lines[1] == "1,2,30.43,38.86")
    #expect(result.standardError.contains("summary file (lifetimes layout), 2357 rows"))
  }

  @Test func helpStatesDefaults() throws {
    let result = try Fixtures.runCLV(["summarize", "--help"])
    #expect(result.status == 0)
    for text in [
      "--returns", "default: ignore)", "--skip-bad-rows", "--date-format", "whitespace",
      "--calibration-end",
    ] {
      #expect(result.standardOutput.contains(text), "\(text)")
    }
  }
}
