import Foundation
import TestSupport
import Testing

/// `clv score --cac`, `clv cohorts --cac` and `clv report --cohorts` run as a binary, on three
/// customers whose CLV, CLV:CAC and payback are worked out by hand with an NBD purchase model
/// (E[Y(t) | x, T] = t (r + x)/(α + T), linear in t) and Gamma-Gamma spend
/// (E[Z | x, z̄] = p (γ + x z̄)/(p x + q − 1), [FH2013] eq. (5)).
@Suite struct AcquisitionCommandTests {
  /// As of 2024-02-05 (the last date). a: x = 1, T = 5 weeks, z̄ = 48; b: x = 0, T = 0;
  /// c: x = 0, T = 26 days.
  static let orders = """
    customer_id,date,amount
    a,2024-01-01,20
    a,2024-01-15,48
    c,2024-01-10,200
    b,2024-02-05,10

    """
  static let nbd = """
    { "schema": "clvkit-model/1", "model": "nbd", "parameters": {"r": 2, "alpha": 4},
      "unit": "week", "createdAt": "2026-12-07T17:00:00Z",
      "tool": {"name": "clv", "version": "0.1.0"} }
    """
  static let gammaGamma = """
    { "schema": "clvkit-model/1", "model": "gamma-gamma",
      "parameters": {"p": 6, "q": 4, "gamma": 15}, "unit": "week",
      "createdAt": "2026-12-07T17:00:00Z", "tool": {"name": "clv", "version": "0.1.0"} }
    """

  func setUp() throws -> URL {
    let folder = try Fixtures.temporaryDirectory()
    for (name, text) in [
      ("orders.csv", Self.orders), ("nbd.json", Self.nbd), ("gg.json", Self.gammaGamma),
      ("cac.csv", "cohort,cac\n2024-01,50\n2024-02,25\n"),
      ("channels.csv", "channel,cac\nsearch,60\nsocial,10\n"),
      ("attributes.csv", "customer_id,channel\na,search\nc,social\n"),
    ] {
      try Data(text.utf8).write(to: folder.appendingPathComponent(name))
    }
    return folder
  }

  func score(_ folder: URL, _ extra: [String]) throws -> Fixtures.RunResult {
    try Fixtures.runCLV(
      [
        "score", folder.appendingPathComponent("orders.csv").path, "--model",
        folder.appendingPathComponent("nbd.json").path, "--spend-model",
        folder.appendingPathComponent("gg.json").path, "--margin", "0.5",
      ] + extra)
  }

  /// Column name → field of each row, by customer id.
  func rows(_ csv: String) -> [String: [String: String]] {
    let lines = csv.split(separator: "\n").map {
      $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    }
    var rows: [String: [String: String]] = [:]
    for fields in lines.dropFirst() {
      rows[fields[0]] = Dictionary(uniqueKeysWithValues: zip(lines[0], fields))
    }
    return rows
  }

  func number(_ text: String?) -> Double { text.flatMap(Double.init) ?? .nan }

  @Test func scoreAddsTheCACColumnsComputedByHand() throws {
    let folder = try setUp()
    let cac = folder.appendingPathComponent("cac.csv").path
    let result = try score(folder, ["--cac", cac])
    #expect(result.status == 0, "\(result.standardError)")
    let rows = rows(result.standardOutput)
    let source = "by hand, NBD r = 2, α = 4, Gamma-Gamma p = 6, q = 4, γ = 15, margin 0.5"
    // a: E[Z] = 6 (15 + 48)/9 = 42, E[Y(t)] = 3t/9 = t/3, clv = 0.5 · 42 · 52/3 = 364.
    // First order 0.5 · 20 = 10, to date 0.5 · 68 = 34, CAC (January) 50: ratio 398/50 = 7.96.
    // 16 short at 0.5 · 42/3 = 7 per week: 16/7 weeks = 16 days after as-of, 35 + 16 = 51.
    let a = rows["a"]!
    assertClose(number(a["clv"]), 364, relative: 1e-12, source: source)
    #expect(a["cac"] == "50" && a["first_order_profit"] == "10" && a["margin_to_date"] == "34")
    assertClose(number(a["clv_to_cac"]), 7.96, relative: 1e-12, source: source)
    assertClose(number(a["payback_days"]), 51, absolute: 1e-6, source: source)
    // b: E[Z] = 6 · 15/3 = 30, E[Y(t)] = t/2, clv = 0.5 · 30 · 26 = 390; CAC (February) 25;
    // to date 5: ratio 395/25 = 15.8; 20 short at 7.5 per week: 8/3 weeks = 56/3 days.
    let b = rows["b"]!
    assertClose(number(b["clv"]), 390, relative: 1e-12, source: source)
    #expect(b["cac"] == "25" && b["first_order_profit"] == "5")
    assertClose(number(b["clv_to_cac"]), 15.8, relative: 1e-12, source: source)
    // Written to the thousandth of a day: 18.667.
    #expect(b["payback_days"] == "18.667")
    // c: its first order's margin, 100, pays back the CAC of 50 on day 0.
    let c = rows["c"]!
    #expect(c["first_order_profit"] == "100" && c["payback_days"] == "0")
    // clv = 0.5 · 30 · 52 · 2/(4 + 26/7) = 15 · 728/54; ratio (100 + clv)/50.
    assertClose(
      number(c["clv_to_cac"]), (100 + 15 * 728.0 / 54) / 50, relative: 1e-12, source: source)
  }

  @Test func withoutCACTheOutputIsUnchanged() throws {
    let folder = try setUp()
    let plain = try score(folder, [])
    let withCAC = try score(folder, ["--cac", folder.appendingPathComponent("cac.csv").path])
    #expect(plain.status == 0 && withCAC.status == 0)
    let plainLines = plain.standardOutput.split(separator: "\n")
    let cacLines = withCAC.standardOutput.split(separator: "\n")
    #expect(plainLines.count == cacLines.count)
    #expect(!plainLines[0].contains("cac"))
    // Each line with --cac is the line without it and five more fields.
    for (line, extended) in zip(plainLines, cacLines) {
      let fields = extended.split(separator: ",", omittingEmptySubsequences: false)
      #expect(fields.dropLast(5).joined(separator: ",") == line)
    }
    #expect(cacLines[0].hasSuffix(",cac,first_order_profit,margin_to_date,clv_to_cac,payback_days"))
  }

  @Test func costsByChannelFromTheAttributes() throws {
    let folder = try setUp()
    let result = try score(
      folder,
      [
        "--cac", folder.appendingPathComponent("channels.csv").path, "--attributes",
        folder.appendingPathComponent("attributes.csv").path,
      ])
    #expect(result.status == 0, "\(result.standardError)")
    let rows = rows(result.standardOutput)
    // a (search, 60): 26 short at 7 per week, 26 days after as-of: 35 + 26 = 61.
    #expect(rows["a"]!["cac"] == "60")
    assertClose(number(rows["a"]!["payback_days"]), 61, absolute: 1e-6, source: "by hand")
    // b is not in the attributes: no CAC, the margins still there.
    #expect(rows["b"]!["cac"] == "" && rows["b"]!["clv_to_cac"] == "")
    #expect(rows["b"]!["payback_days"] == "" && rows["b"]!["margin_to_date"] == "5")
    #expect(result.standardError.contains("1 of 3 customers have no CAC"))
  }

  @Test func cacOptionErrors() throws {
    let folder = try setUp()
    let cac = folder.appendingPathComponent("cac.csv").path
    // Without a spend model: usage error.
    let noSpend = try Fixtures.runCLV([
      "score", folder.appendingPathComponent("orders.csv").path, "--model",
      folder.appendingPathComponent("nbd.json").path, "--cac", cac,
    ])
    #expect(noSpend.status == 64 && noSpend.standardError.contains("--cac needs --spend-model"))
    // Costs by channel without attributes: bad data, naming the costs file.
    let noAttributes = try score(
      folder, ["--cac", folder.appendingPathComponent("channels.csv").path])
    #expect(noAttributes.status == 65)
    #expect(noAttributes.standardError.contains("channels.csv: costs by 'channel' need"))
    // A malformed costs file: file, line, column.
    let bad = folder.appendingPathComponent("bad.csv")
    try Data("cohort,cac\n2024-01,cheap\n".utf8).write(to: bad)
    let malformed = try score(folder, ["--cac", bad.path])
    #expect(malformed.status == 65)
    #expect(malformed.standardError.contains("bad.csv:2: column 'cac': cannot parse 'cheap'"))
  }

  @Test func cohortsWithCACAndTheReportSection() throws {
    let folder = try setUp()
    let cohortsPath = folder.appendingPathComponent("cohorts.csv").path
    let cohorts = try Fixtures.runCLV([
      "cohorts", folder.appendingPathComponent("orders.csv").path, "--cac",
      folder.appendingPathComponent("cac.csv").path, "--margin", "0.5", "-o", cohortsPath,
    ])
    #expect(cohorts.status == 0, "\(cohorts.standardError)")
    let lines = try String(contentsOfFile: cohortsPath, encoding: .utf8).split(separator: "\n")
    // January (a, c): the log ends 2024-02-05, so only January is complete. Revenue per
    // customer (20 + 48 + 200)/2 = 134, margin 67, CAC 50: 1.34, paid back in period 0.
    #expect(lines[0].hasSuffix(",margin,cac,cumulative_margin_to_cac,payback_period"))
    #expect(lines[1] == "2024-01,,2,0.5,0.5,14,0,1,0.5,134,134,0.5,50,1.34,0")
    // February (b) has no complete period: one row with empty period columns.
    #expect(lines[2] == "2024-02,,1,0,1,,,,,,,0.5,25,,")
  }

  /// `clv cohorts --scores` on the scores of ``scoreAddsTheCACColumnsComputedByHand``: each
  /// cohort's predicted CLV:CAC, payback and first-order profit vs CLV, in the CSV, the JSON
  /// and the report.
  @Test func cohortsWithScoresAndTheReportSection() throws {
    let folder = try setUp()
    let path = { folder.appendingPathComponent($0).path }
    let scored = try score(folder, ["--cac", path("cac.csv"), "-o", path("scores.csv")])
    #expect(scored.status == 0, "\(scored.standardError)")
    let cohorts = try Fixtures.runCLV([
      "cohorts", path("orders.csv"), "--scores", path("scores.csv"), "-o", path("cohorts.csv"),
      "--json", path("cohorts.json"),
    ])
    #expect(cohorts.status == 0, "\(cohorts.standardError)")
    let rows = try String(contentsOfFile: path("cohorts.csv"), encoding: .utf8)
      .split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
    let header = rows[0].map(String.init)
    func field(_ row: Int, _ name: String) -> Double {
      number(String(rows[row][header.firstIndex(of: name)!]))
    }
    let source = "by hand from the CLVs of scoreAddsTheCACColumnsComputedByHand (text round trip)"
    // January: a (CAC 50, first order 10, to date 34, clv 364, payback 51) and c (50, 100,
    // 100, clv 15 · 728/54, payback 0). Means 50, 55, 67; CLV:CAC (134 + 364 + 15 · 728/54)
    // / 100; median payback (0 + 51)/2 = 25.5; both paid back.
    let clvC = 15 * 728.0 / 54
    #expect(field(1, "scored_customers") == 2 && field(1, "mean_cac") == 50)
    #expect(field(1, "mean_first_order_profit") == 55 && field(1, "mean_margin_to_date") == 67)
    assertClose(field(1, "mean_clv"), (364 + clvC) / 2, relative: 1e-12, source: source)
    assertClose(
      field(1, "clv_to_cac"), (134 + 364 + clvC) / 100, relative: 1e-12, source: source)
    assertClose(field(1, "median_payback_days"), 25.5, absolute: 1e-6, source: source)
    #expect(field(1, "paid_back_share") == 1)
    // February: b alone (CAC 25, to date 5, clv 390, payback 18.667 as written).
    #expect(field(2, "scored_customers") == 1 && field(2, "mean_first_order_profit") == 5)
    assertClose(field(2, "clv_to_cac"), 15.8, relative: 1e-12, source: source)
    #expect(field(2, "median_payback_days") == 18.667)
    // The JSON holds the same, and the pooled row of all customers: (134 + 5 + 364 + 390 +
    // clv_c)/125.
    let json = try #require(
      JSONSerialization.jsonObject(
        with: Data(contentsOf: URL(fileURLWithPath: path("cohorts.json"))))
        as? [String: Any])
    let january = try #require((json["cohorts"] as? [[String: Any]])?.first)
    let predicted = try #require(january["predicted"] as? [String: Any])
    #expect(
      predicted["customers"] as? Double == 2 && predicted["medianPaybackDays"] as? Double == 25.5)
    let pooled = try #require(
      (json["predictedBySegment"] as? [[String: Any]])?.first?["predicted"] as? [String: Any])
    assertClose(
      pooled["clvToCAC"] as? Double ?? .nan, (134 + 5 + 364 + 390 + clvC) / 125, relative: 1e-12,
      source: source)
    // The report shows the section: the chart and the table.
    let run = Fixtures.repositoryRoot.appendingPathComponent(
      "Tests/CLVReportTests/Fixtures/example-run.json"
    ).path
    let report = try Fixtures.runCLV([
      "report", run, "--cohorts", path("cohorts.csv"), "-o", path("report.html"), "--markdown",
      path("report.md"),
    ])
    #expect(report.status == 0, "\(report.standardError)")
    let markdown = try String(contentsOfFile: path("report.md"), encoding: .utf8)
    #expect(markdown.contains("### Predicted unit economics"))
    #expect(
      markdown.contains("| 2024-01 | 2 | 50.00 | 55.00 | 67.00 | 283.11 | **7.00** | 26 | 100.0% |")
    )
    #expect(FileManager.default.fileExists(atPath: path("report-cohorts-economics.svg")))
    // Scores without the CAC columns: bad data, naming the file and the missing columns.
    let plain = try score(folder, ["-o", path("plain.csv")])
    #expect(plain.status == 0)
    let bad = try Fixtures.runCLV(["cohorts", path("orders.csv"), "--scores", path("plain.csv")])
    #expect(bad.status == 65)
    #expect(bad.standardError.contains("plain.csv:1: not a score table with CAC columns"))
  }
}
