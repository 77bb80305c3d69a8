import Foundation
import TestSupport
import Testing

/// `clv score --population-cycle-days` (issue 18: a file scored in parts, one Spark partition
/// at a time, gets the whole population's cycle), on a hand-made summary scored as of a day.
@Suite struct ScoreInPartsCommandTests {
  static let summary = """
    customer_id,frequency,recency,T
    new,0,0,1
    fortnightly,3,6,8
    monthly,2,8.571428571428571,10

    """
  static let bgnbd = """
    { "schema": "clvkit-model/1", "model": "bgnbd",
      "parameters": {"r": 0.8, "alpha": 4.3, "a": 0.9, "b": 3.2}, "unit": "week",
      "createdAt": "2026-11-22T20:00:00Z", "tool": {"name": "clv", "version": "0.1.0"} }
    """

  func score(_ extra: [String]) throws -> (Fixtures.RunResult, [String: [String: String]]) {
    let folder = try Fixtures.temporaryDirectory()
    try Data(Self.summary.utf8).write(to: folder.appendingPathComponent("summary.csv"))
    try Data(Self.bgnbd.utf8).write(to: folder.appendingPathComponent("bg.json"))
    let result = try Fixtures.runCLV(
      ["score", "summary.csv", "--model", "bg.json", "--as-of", "2024-03-01"] + extra,
      in: folder)
    var rows: [String: [String: String]] = [:]
    let lines = result.standardOutput.split(separator: "\n").map {
      $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    }
    if let header = lines.first {
      for line in lines.dropFirst() {
        rows[line[0]] = Dictionary(uniqueKeysWithValues: zip(header, line))
      }
    }
    return (result, rows)
  }

  /// A one-time buyer's cycle is the population's (shrinkage with no own gap): the next
  /// purchase is the first purchase (as-of − 7 days) plus round(c_pop). From the file,
  /// c_pop = the median of the repeat buyers' mean gaps 14 (42 days / 3) and 30 (60 / 2) = 22.
  @Test func populationCycleReplacesTheFilesMedian() throws {
    let (fromFile, rows) = try score([])
    #expect(fromFile.status == 0, "\(fromFile.standardError)")
    #expect(rows["new"]?["last_purchase"] == "2024-02-23")
    #expect(rows["new"]?["expected_next_purchase"] == "2024-03-16")
    let (given, givenRows) = try score(["--population-cycle-days", "10"])
    #expect(given.status == 0, "\(given.standardError)")
    #expect(givenRows["new"]?["expected_next_purchase"] == "2024-03-04")
    // The same cycle as the file's gives the same scores as without the option.
    let (same, sameRows) = try score(["--population-cycle-days", "22"])
    #expect(same.status == 0)
    #expect(sameRows == rows)
  }

  @Test(arguments: ["0", "nan"])
  func nonPositiveCycleIsAUsageError(value: String) throws {
    let (result, _) = try score(["--population-cycle-days", value])
    #expect(result.status == 64)
    #expect(result.standardError.contains("--population-cycle-days must be a positive number"))
  }
}
