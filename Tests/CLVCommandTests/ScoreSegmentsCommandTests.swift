import Foundation
import TestSupport
import Testing

/// `clv score` with the segment and lifecycle columns, run as a binary on a hand-made order log
/// (as-of 2024-03-01; BG/NBD and Gamma-Gamma parameters given in hand-written model files).
@Suite struct ScoreSegmentsCommandTests {
  static let orders = """
    customer_id,date,amount
    new,2024-02-20,10
    regular,2023-12-01,20
    regular,2024-01-01,20
    regular,2024-01-31,20
    regular,2024-02-25,20
    once,2023-02-01,50
    back,2023-01-01,30
    back,2023-01-10,30
    back,2023-09-01,30
    back,2024-02-20,30
    gone,2023-06-01,40
    gone,2023-07-01,40
    gone,2023-08-15,40

    """
  static let bgnbd = """
    { "schema": "clvkit-model/1", "model": "bgnbd",
      "parameters": {"r": 0.8, "alpha": 4.3, "a": 0.9, "b": 3.2}, "unit": "week",
      "createdAt": "2026-11-22T20:00:00Z", "tool": {"name": "clv", "version": "0.1.0"} }
    """
  static let gammaGamma = """
    { "schema": "clvkit-model/1", "model": "gamma-gamma",
      "parameters": {"p": 5.0, "q": 3.0, "gamma": 15.0}, "unit": "week",
      "createdAt": "2026-11-22T20:00:00Z", "tool": {"name": "clv", "version": "0.1.0"} }
    """

  func setUp() throws -> URL {
    let folder = try Fixtures.temporaryDirectory()
    try Data(Self.orders.utf8).write(to: folder.appendingPathComponent("orders.csv"))
    try Data(Self.bgnbd.utf8).write(to: folder.appendingPathComponent("bg.json"))
    try Data(Self.gammaGamma.utf8).write(to: folder.appendingPathComponent("gg.json"))
    try Data("customer_id\nregular\nlead-1\nlead-2\n".utf8)
      .write(to: folder.appendingPathComponent("crm.csv"))
    return folder
  }

  /// Rows by customer id, as column name → field.
  func table(_ csv: String) -> [String: [String: String]] {
    let lines = csv.split(separator: "\n").map {
      $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    }
    var rows: [String: [String: String]] = [:]
    for fields in lines.dropFirst() {
      let row = Dictionary(uniqueKeysWithValues: zip(lines[0], fields))
      rows[row["customer_id"] ?? ""] = row
    }
    return rows
  }

  @Test func stagesDatesProspectsAndModelIDs() throws {
    let folder = try setUp()
    let result = try Fixtures.runCLV(
      [
        "score", "orders.csv", "--model", "bg.json", "--spend-model", "gg.json",
        "--as-of", "2024-03-01", "--customers", "crm.csv", "--alive-threshold", "0",
      ],
      in: folder)
    #expect(result.status == 0, "\(result.standardError)")
    #expect(
      result.standardOutput.hasPrefix(
        "customer_id,frequency,recency,T,monetary_value,p_alive,expected_purchases,"
          + "prob_no_purchase,expected_spend,clv,segment,lifecycle_stage,as_of,first_purchase,"
          + "last_purchase,expected_next_purchase,churn_probability,model,spend_model,churn_model\n"
      ))
    let rows = table(result.standardOutput)
    #expect(rows.count == 7)
    // Stages, hand-derived from the dates (thresholds 90, 180, 360):
    // new: one purchase 10 days ago; regular: last 5 days ago, gaps ≤ 31;
    // once: one purchase 394 days ago; back: gap 2023-01-10 → 2023-09-01 = 234 days, last 10
    // days ago; gone: last purchase 2023-08-15, 199 days ago.
    #expect(rows["new"]?["lifecycle_stage"] == "new")
    #expect(rows["regular"]?["lifecycle_stage"] == "active")
    #expect(rows["once"]?["lifecycle_stage"] == "departing-360")
    #expect(rows["back"]?["lifecycle_stage"] == "returned")
    #expect(rows["gone"]?["lifecycle_stage"] == "departing-180")
    // new-buyer: one purchase within 30 days; prospects: listed, no orders.
    #expect(rows["new"]?["segment"] == "new-buyer")
    #expect(rows["lead-1"]?["segment"] == "prospect")
    #expect(rows["lead-2"]?["segment"] == "prospect")
    #expect(rows["lead-1"]?["frequency"] == "" && rows["lead-1"]?["lifecycle_stage"] == "")
    // With --alive-threshold 0 every customer who is not lapsed is active: low or high value.
    for id in ["regular", "back"] {
      #expect(["loyal", "low-aov-regular"].contains(rows[id]?["segment"] ?? ""), "\(id)")
    }
    // Lapsed whatever P(alive): once bought once, 394 days ago (> 90); gone's cycle is
    // (2·37.5 + 75) / (2 + 2) = 37.5 days, silent 199 > max(90, 2 · 37.5) days.
    for id in ["once", "gone"] {
      #expect(["at-risk", "non-target"].contains(rows[id]?["segment"] ?? ""), "\(id)")
      #expect(rows[id]?["expected_next_purchase"] == "", "\(id)")
    }
    // Cycle shrunk toward the population's: own mean gaps regular 86 / 3, back 415 / 3,
    // gone 75 / 2 = 37.5 (the median); regular's (2 · 37.5 + 86) / (2 + 3) = 32.2 → 32 days
    // after 2024-02-25 = 2024-03-28.
    #expect(rows["regular"]?["expected_next_purchase"] == "2024-03-28")
    #expect(rows["regular"]?["first_purchase"] == "2023-12-01")
    #expect(rows["regular"]?["last_purchase"] == "2024-02-25")
    #expect(rows["regular"]?["as_of"] == "2024-03-01")
    #expect(
      rows["regular"]?["model"] == "bgnbd" && rows["regular"]?["spend_model"] == "gamma-gamma")
    #expect(rows["regular"]?["churn_probability"] == "" && rows["regular"]?["churn_model"] == "")
  }

  @Test func valueAndAliveThresholdsSplitTheQuadrants() throws {
    let folder = try setUp()
    // A value threshold above every CLV: nobody is high value.
    let low = try Fixtures.runCLV(
      [
        "score", "orders.csv", "--model", "bg.json", "--spend-model", "gg.json",
        "--value-threshold", "1e9", "--alive-threshold", "1",
      ], in: folder)
    #expect(low.status == 0, "\(low.standardError)")
    let rows = table(low.standardOutput)
    // P(alive) = 1 only for customers without repeat purchases (BG/NBD), but once bought
    // 394 days ago, past the first departing threshold: lapsed, not active.
    #expect(rows["once"]?["segment"] == "non-target")
    #expect(rows["gone"]?["segment"] == "non-target")
    let high = try Fixtures.runCLV(
      [
        "score", "orders.csv", "--model", "bg.json", "--spend-model", "gg.json",
        "--value-threshold=-1", "--alive-threshold", "1",
      ], in: folder)
    #expect(high.status == 0, "\(high.standardError)")
    let highRows = table(high.standardOutput)
    #expect(highRows["once"]?["segment"] == "at-risk")
    #expect(highRows["gone"]?["segment"] == "at-risk")
  }

  @Test func scoresFeedTheTargetCommand() throws {
    let folder = try setUp()
    let score = try Fixtures.runCLV(
      ["score", "orders.csv", "--model", "bg.json", "--spend-model", "gg.json", "-o", "s.csv"],
      in: folder)
    #expect(score.status == 0, "\(score.standardError)")
    let winBack = try Fixtures.runCLV(
      ["target", "s.csv", "--campaign", "win-back", "--orders", "orders.csv"], in: folder)
    #expect(winBack.status == 0, "\(winBack.standardError)")
    let ids = table(winBack.standardOutput).keys
    // The list is at-risk and departing customers; once and gone are departing.
    #expect(ids.contains("once") && ids.contains("gone"))
    #expect(!ids.contains("regular") && !ids.contains("new"))
  }

  @Test func badOptionsAreUsageErrors() throws {
    let folder = try setUp()
    for extra in [
      ["--alive-threshold", "1.5"], ["--departing-days", "180,90"], ["--new-window-days", "-1"],
      ["--attributes", "crm.csv"],
    ] {
      let result = try Fixtures.runCLV(
        ["score", "orders.csv", "--model", "bg.json"] + extra, in: folder)
      #expect(result.status == 64, "\(extra): \(result.standardError)")
    }
  }

  @Test func stdinTwiceIsAUsageError() throws {
    let result = try Fixtures.runCLV(
      ["score", "-", "--model", "bg.json", "--customers", "-"], input: Self.orders,
      in: try setUp())
    #expect(result.status == 64)
    #expect(result.standardError.contains("cannot both be standard input"))
  }

  @Test func badCustomerListIsAFileLineError() throws {
    let folder = try setUp()
    try Data("id\nx\n".utf8).write(to: folder.appendingPathComponent("bad.csv"))
    let result = try Fixtures.runCLV(
      ["score", "orders.csv", "--model", "bg.json", "--customers", "bad.csv", "-o", "s.csv"],
      in: folder)
    #expect(result.status == 65)
    #expect(result.standardError.contains("bad.csv:1: no 'customer_id' column in the header"))
    #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("s.csv").path))
  }

  @Test func summaryWithoutDatesLeavesTheColumnsEmpty() throws {
    // The CDNOW summary has no dates: the base columns as before, the new ones empty.
    let summary = try Fixtures.sharedDataset("cdnow_customers_summary.csv")
    let folder = try setUp()
    let result = try Fixtures.runCLV(
      ["score", summary.path, "--model", "bg.json"], in: folder)
    #expect(result.status == 0, "\(result.standardError)")
    #expect(result.standardError.contains("segment and lifecycle columns left empty"))
    let lines = result.standardOutput.split(separator: "\n")
    #expect(lines.count == 2358)  // header + 2,357 customers
    for line in lines.dropFirst() {
      let fields = line.split(separator: ",", omittingEmptySubsequences: false)
      #expect(fields.count == 20 && fields[10..<17].allSatisfy(\.isEmpty), "\(line)")
      #expect(fields[17] == "bgnbd" && fields[18].isEmpty && fields[19].isEmpty)
      #expect(!fields[5].isEmpty)  // p_alive is there
      if fields.count != 20 { break }
    }
  }

  @Test func summaryWithAsOfIsDatedFromT() throws {
    // CDNOW customer 1: x = 2, tₓ = 30.43, T = 38.86 weeks at 1997-09-30: first purchase
    // 272 days earlier (1997-01-01), last 213 days after it (1997-08-02).
    let summary = try Fixtures.sharedDataset("cdnow_customers_summary.csv")
    let folder = try setUp()
    let result = try Fixtures.runCLV(
      ["score", summary.path, "--model", "bg.json", "--as-of", "1997-09-30"], in: folder)
    #expect(result.status == 0, "\(result.standardError)")
    let row = table(result.standardOutput)["1"]
    #expect(row?["first_purchase"] == "1997-01-01")
    #expect(row?["last_purchase"] == "1997-08-02")
    #expect(row?["lifecycle_stage"] == "active")
    #expect(row?["as_of"] == "1997-09-30")
  }
}
