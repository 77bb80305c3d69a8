import Foundation
import TestSupport
import Testing

/// `clv target --control`, `clv measure` and `clv simulate --uplift` run as a binary.
@Suite struct CampaignCommandTests {
  func write(_ text: String, _ name: String, in folder: URL) throws -> String {
    let url = folder.appendingPathComponent(name)
    try Data(text.utf8).write(to: url)
    return url.path
  }

  @Test func winBackListWithControlGroupKeepsRowsAndWarnsWhenSmall() throws {
    let folder = try Fixtures.temporaryDirectory()
    let scores = try write(TargetCommandTests.scores, "scores.csv", in: folder)
    let orders = try write(TargetCommandTests.orders, "orders.csv", in: folder)
    let result = try Fixtures.runCLV([
      "target", scores, "--campaign", "win-back", "--orders", orders, "--control", "50%",
      "--seed", "3",
    ])
    #expect(result.status == 0, "\(result.standardError)")
    let lines = result.standardOutput.split(separator: "\n")
    #expect(lines.first?.hasSuffix(",offer_tier,reason,group") == true)
    // Both rows stay: round(0.5 · 2) = 1 control, 1 treatment.
    #expect(lines.count == 3)
    #expect(lines.dropFirst().count(where: { $0.hasSuffix(",control") }) == 1)
    #expect(lines.dropFirst().count(where: { $0.hasSuffix(",treatment") }) == 1)
    // Baseline: the list's mean p_reactivation, 1/3 (TargetCommandTests); MDE with 1 and 1.
    #expect(result.standardError.contains("1 treatment, 1 control (seed 3)"))
    #expect(result.standardError.contains("baseline purchase rate 33.3% (mean p_reactivation)"))
    #expect(result.standardError.contains("minimum detectable lift"))
    #expect(result.standardError.contains("clv: warning: the list is too small"))
  }

  @Test func controlOptionErrorsAreUsageErrors() throws {
    let folder = try Fixtures.temporaryDirectory()
    let scores = try write(TargetCommandTests.scores, "scores.csv", in: folder)
    for arguments in [
      ["--control", "0%"], ["--control", "100"], ["--control", "ten"], ["--seed", "4"],
      ["--control", "10%", "--baseline-rate", "1.5"],
    ] {
      let result = try Fixtures.runCLV(
        ["target", scores, "--campaign", "replenishment"] + arguments)
      #expect(result.status == 64, "\(arguments): \(result.standardError)")
    }
  }

  @Test func measureWritesSummaryCSVAndJSON() throws {
    let folder = try Fixtures.temporaryDirectory()
    let list = try write(CampaignFixtures.list, "list.csv", in: folder)
    let orders = try write(CampaignFixtures.orders, "orders.csv", in: folder)
    let csv = folder.appendingPathComponent("readout.csv")
    let json = folder.appendingPathComponent("readout.json")
    let result = try Fixtures.runCLV([
      "measure", list, orders, "--start", "2024-03-01", "--end", "2024-03-31", "--offer-cost",
      "2", "--margin", "0.5", "-o", csv.path, "--json", json.path,
    ])
    #expect(result.status == 0, "\(result.standardError)")
    // Hand-computed in CampaignReadoutCorrectnessTests: rates 50% and 33.33%, revenue per
    // customer 15 and 5, incremental revenue 40, profit 0.5 · 40 − 2 · 4 = 12.
    #expect(result.standardOutput.contains("treatment  4          2           50.00%"))
    #expect(result.standardOutput.contains("control    3          1           33.33%"))
    #expect(result.standardOutput.contains("incremental revenue: 40.00"))
    #expect(result.standardOutput.contains("incremental profit: 12.00"))
    let rows = try String(contentsOf: csv, encoding: .utf8).split(separator: "\n")
    #expect(rows.count == 10)
    #expect(rows.contains { $0.hasPrefix("revenue_per_customer,15,,,5,,,10,") })
    #expect(rows.contains { $0.hasPrefix("incremental_profit,,,,,,,12,") })
    let object = try JSONSerialization.jsonObject(with: Data(contentsOf: json)) as? [String: Any]
    let profit = object?["incrementalProfit"] as? [String: Any]
    #expect(profit?["value"] as? Double == 12)
  }

  @Test func measureErrorsNameTheProblem() throws {
    let folder = try Fixtures.temporaryDirectory()
    let list = try write("customer_id\nt1\n", "list.csv", in: folder)
    let orders = try write(CampaignFixtures.orders, "orders.csv", in: folder)
    let noGroup = try Fixtures.runCLV([
      "measure", list, orders, "--start", "2024-03-01", "--end", "2024-03-31",
    ])
    #expect(noGroup.status == 65)
    #expect(noGroup.standardError.contains("list.csv:1: no 'group' column"))
    // A customer in neither group (an empty group), or a row without the group field: bad
    // data naming file, line, column and value.
    let neither = try write(
      "customer_id,group\nt1,treatment\nc9,\nc1,control\n", "neither.csv", in: folder)
    let unassigned = try Fixtures.runCLV([
      "measure", neither, orders, "--start", "2024-03-01", "--end", "2024-03-31",
    ])
    #expect(unassigned.status == 65)
    #expect(
      unassigned.standardError.contains(
        "neither.csv:3: column 'group': cannot parse '' as treatment or control"))
    let short = try write("customer_id,group\nt1,treatment\nc9\n", "short.csv", in: folder)
    let missingField = try Fixtures.runCLV([
      "measure", short, orders, "--start", "2024-03-01", "--end", "2024-03-31",
    ])
    #expect(missingField.status == 65)
    #expect(
      missingField.standardError.contains(
        "short.csv:3: 1 fields, expected 2 as in the header (no value for column 'group')"))
    let reversed = try Fixtures.runCLV([
      "measure", list, orders, "--start", "2024-03-31", "--end", "2024-03-01",
    ])
    #expect(reversed.status == 64)
    let good = try write(CampaignFixtures.list, "good.csv", in: folder)
    let margin = try Fixtures.runCLV([
      "measure", good, orders, "--start", "2024-03-01", "--end", "2024-03-31", "--margin", "2",
    ])
    #expect(margin.status == 64)
  }

  @Test func measureWithTheBootstrapIsSeededAndRecordsItsMethod() throws {
    let folder = try Fixtures.temporaryDirectory()
    let list = try write(CampaignFixtures.list, "list.csv", in: folder)
    let orders = try write(CampaignFixtures.orders, "orders.csv", in: folder)
    func run(_ extra: [String]) throws -> (status: Int32, out: String, err: String) {
      let result = try Fixtures.runCLV(
        ["measure", list, orders, "--start", "2024-03-01", "--end", "2024-03-31"] + extra)
      return (result.status, result.standardOutput, result.standardError)
    }
    let options = ["--interval", "bootstrap-t", "--bootstrap-resamples", "999", "--seed", "5"]
    let first = try run(options + ["--json", "-"])
    #expect(first.status == 0, "\(first.err)")
    let again = try run(options + ["--json", "-"])
    #expect(again.out == first.out)
    let object =
      try JSONSerialization.jsonObject(with: Data(first.out.utf8)) as? [String: Any]
    let method = object?["meanIntervals"] as? [String: Any]
    #expect(method?["method"] as? String == "bootstrap-t")
    #expect(method?["resamples"] as? Double == 999)
    #expect(method?["seed"] as? String == "5")
    let revenue = object?["revenuePerCustomerLift"] as? [String: Any]
    #expect(
      (revenue?["method"] as? String)?.hasPrefix(
        "studentized bootstrap (bootstrap-t, 999 resamples, seed 5)") == true)
    // Another seed gives other resamples; the summary names the method.
    let other = try run([
      "--interval", "bootstrap-t", "--bootstrap-resamples", "999", "--seed", "6",
    ])
    #expect(other.status == 0, "\(other.err)")
    #expect(other.out.contains("(bootstrap-t), p"))
    let welch = try run([])
    #expect(welch.out.contains("revenue per customer lift: 10.00 ["))
    #expect(welch.out.contains("(Welch), p"))
  }

  @Test func measureIntervalOptionErrorsAreUsageErrors() throws {
    let folder = try Fixtures.temporaryDirectory()
    let list = try write(CampaignFixtures.list, "list.csv", in: folder)
    let orders = try write(CampaignFixtures.orders, "orders.csv", in: folder)
    for (arguments, message) in [
      (["--interval", "bca"], "--interval"),
      (["--interval", "bootstrap-t", "--bootstrap-resamples", "98"], "between 99 and 100000"),
      (["--interval", "bootstrap-t", "--bootstrap-resamples", "100001"], "between 99 and 100000"),
      (["--interval", "bootstrap-t", "--seed", "-1"], "--seed"),
      (["--interval", "welch", "--seed", "3"], "--seed applies with --interval bootstrap-t only"),
      (
        ["--bootstrap-resamples", "999"],
        "--bootstrap-resamples applies with --interval bootstrap-t only"
      ),
    ] {
      let result = try Fixtures.runCLV(
        ["measure", list, orders, "--start", "2024-03-01", "--end", "2024-03-31"] + arguments)
      #expect(result.status == 64, "\(arguments): \(result.standardError)")
      #expect(result.standardError.contains(message), "\(arguments): \(result.standardError)")
    }
  }

  @Test func simulateWithUpliftWritesGroupsThatMeasureReads() throws {
    let folder = try Fixtures.temporaryDirectory()
    let orders = folder.appendingPathComponent("orders.csv").path
    let plain = folder.appendingPathComponent("plain.csv").path
    let common = ["simulate", "--customers", "400", "--seed", "9", "--days", "400"]
    let run = try Fixtures.runCLV(
      common + ["-o", orders, "--uplift", "0.2", "--uplift-start", "2024-10-01"])
    #expect(run.status == 0, "\(run.standardError)")
    let groups = try String(contentsOfFile: orders + ".groups.csv", encoding: .utf8)
    #expect(groups.hasPrefix("customer_id,group\n"))
    #expect(groups.split(separator: "\n").count == 401)
    let truth =
      try JSONSerialization.jsonObject(
        with: Data(contentsOf: URL(fileURLWithPath: orders + ".truth.json"))) as? [String: Any]
    let treatment = truth?["treatment"] as? [String: Any]
    #expect(treatment?["end"] as? String == "2025-02-03")
    // Without --uplift: no groups file, no treatment in the truth.
    let plainRun = try Fixtures.runCLV(common + ["-o", plain])
    #expect(plainRun.status == 0)
    #expect(!FileManager.default.fileExists(atPath: plain + ".groups.csv"))
    let measure = try Fixtures.runCLV([
      "measure", orders + ".groups.csv", orders, "--start", "2024-10-01", "--end", "2025-02-03",
    ])
    #expect(measure.status == 0, "\(measure.standardError)")
    #expect(measure.standardOutput.contains("purchase rate lift:"))
  }

  /// `clv simulate --uplift U --control P%`: unequal random groups; 50% is the default draw.
  @Test func simulateWithAControlShare() throws {
    let folder = try Fixtures.temporaryDirectory()
    let path = { folder.appendingPathComponent($0).path }
    let common = [
      "simulate", "--customers", "4000", "--seed", "3", "--days", "400", "--uplift", "0",
      "--uplift-start", "2024-12-06",
    ]
    for (name, extra) in [
      ("ten", ["--control", "10%"]), ("half", ["--control", "50"]), ("plain", []),
    ] {
      let run = try Fixtures.runCLV(common + ["-o", path(name + ".csv")] + extra)
      #expect(run.status == 0, "\(run.standardError)")
    }
    func groups(_ name: String) throws -> [Substring] {
      try String(contentsOfFile: path(name + ".csv.groups.csv"), encoding: .utf8)
        .split(separator: "\n").dropFirst().map { $0.split(separator: ",")[1] }
    }
    // 10%: the control count is Binomial(n, 0.1), n ≈ 4000 customers acquired before the
    // window: within 4σ = 4 √(n · 0.1 · 0.9) ≈ 76 of n/10.
    let ten = try groups("ten")
    let control = ten.count { $0 == "control" }
    #expect(
      abs(Double(control) - Double(ten.count) / 10) < 4 * (Double(ten.count) * 0.09).squareRoot())
    // --control 50 draws the same groups as no --control (the draw before the option existed).
    #expect(try groups("half") == groups("plain"))
    let measure = try Fixtures.runCLV([
      "measure", path("ten.csv.groups.csv"), path("ten.csv"), "--start", "2024-12-06", "--end",
      "2025-02-03", "--json", path("readout.json"),
    ])
    #expect(measure.status == 0, "\(measure.standardError)")
    let readout =
      try JSONSerialization.jsonObject(
        with: Data(contentsOf: URL(fileURLWithPath: path("readout.json"))))
      as? [String: Any]
    #expect((readout?["control"] as? [String: Any])?["customers"] as? Double == Double(control))
    // Usage errors: not a percentage, with --treat, without --uplift.
    for extra in [
      ["--control", "0%"], ["--control", "ten"],
      ["--control", "10%", "--treat", path("ten.csv.groups.csv")],
    ] {
      let bad = try Fixtures.runCLV(common + ["-o", path("bad.csv")] + extra)
      #expect(bad.status == 64, "\(extra): \(bad.standardError)")
    }
    let noUplift = try Fixtures.runCLV([
      "simulate", "--customers", "10", "-o", path("x.csv"), "--control", "10%",
    ])
    #expect(
      noUplift.status == 64
        && noUplift.standardError.contains("--control applies with --uplift only"))
  }
}

/// `clv cohorts` run as a binary (the table itself is checked in CohortTableCorrectnessTests).
@Suite struct CohortsCommandTests {
  static let orders = """
    customer_id,date,amount
    a,2024-01-05,10
    a,2024-01-20,5
    a,2024-03-02,20
    b,2024-01-31,8
    c,2024-02-10,12
    c,2024-04-01,6
    d,2024-02-28,4
    d,2024-02-29,4
    d,2024-03-15,4

    """

  @Test func writesTheTriangleAndSplitsBySegment() throws {
    let folder = try Fixtures.temporaryDirectory()
    let orders = folder.appendingPathComponent("orders.csv")
    try Data(Self.orders.utf8).write(to: orders)
    let attributes = folder.appendingPathComponent("attributes.csv")
    try Data("customer_id,channel\na,web\nb,web\nc,store\n".utf8).write(to: attributes)
    let plain = try Fixtures.runCLV(["cohorts", orders.path])
    #expect(plain.status == 0, "\(plain.standardError)")
    let lines = plain.standardOutput.split(separator: "\n")
    #expect(lines.count == 6)
    #expect(lines[1] == "2024-01,,2,0.5,0.5,15,0,1,0.5,11.5,11.5")
    let split = try Fixtures.runCLV([
      "cohorts", orders.path, "--by", "quarter", "--attributes", attributes.path,
      "--segment-by", "channel",
    ])
    #expect(split.status == 0, "\(split.standardError)")
    #expect(split.standardOutput.contains("\n2024-Q1,(missing),1,"))
    #expect(split.standardOutput.contains("\n2024-Q1,web,2,0.5,0.5,15,0,1,0.5,21.5,21.5"))
    let unpaired = try Fixtures.runCLV(["cohorts", orders.path, "--segment-by", "channel"])
    #expect(unpaired.status == 64)
    let wrongColumn = try Fixtures.runCLV([
      "cohorts", orders.path, "--attributes", attributes.path, "--segment-by", "region",
    ])
    #expect(wrongColumn.status == 65)
    #expect(wrongColumn.standardError.contains("no 'region' column"))
  }
}
